<?php
// README "runParallel() and runOnAll() — fan-out", third block: FlushCache
// on every dugdale labelled prod that declares lane normal (s1 and s2).
// Added: the autoloader and $letts.
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;

$letts = Client::default();

// ---- README code, verbatim ----
$results = $letts->runOnAll(mission: 'FlushCache', lane: 'normal', match: ['prod']);
