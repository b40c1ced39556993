<?php
// README "dispatch() — fire-and-forget": NotifyUser on s7, lane high, with
// /tmp/pic.jpg as its "photo" input file.
// Added: the autoloader and $letts.
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;

$letts = Client::default();

// ---- README code, verbatim ----
$id = $letts->dispatch(
    mission: 'NotifyUser',
    host: 's7', lane: 'high', // or route:, or match: with lane:
    input: ['user_id' => 1],
    files: ['photo' => '/tmp/pic.jpg'], // optional, see Input files
    timeout: '30s', // optional mission execution timeout
    missionId: null, // optional caller-supplied id (idempotency)
);
