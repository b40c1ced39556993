<?php
// README "Mission runtime": the quick example, verbatim but for the
// autoloader path (README: __DIR__ . '/vendor/autoload.php').
// run.php runs it through route "normal" with video_id 123; standalone.sh
// runs it as missions/X.php.
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();
$videoId = $m->input('video_id');
$m->progress(0.5, "processing video $videoId");
// ... do work ...
$m->success(['processed' => true]);
