<?php
// README "run() — dispatch and wait", up to "// All options:" (the rest is
// run_all_options.php): GenerateThumbnails through route "normal"; prints 1.
// Added: the autoloader and $letts.
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;

$letts = Client::default();

// ---- README code, verbatim ----
$r = $letts->run(
    mission: 'GenerateThumbnails',
    route: 'normal', // addressing: route | host & lane | match & lane
    input: ['video_id' => 123],
);
echo $r->return['processed'];
