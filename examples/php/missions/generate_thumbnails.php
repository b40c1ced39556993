<?php
// The README's first mission: read the input, report progress, succeed.
//   php generate_thumbnails.php --input='{"video_id":42}'
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();
$videoId = $m->input('video_id');
$m->progress(0.5, "processing video $videoId");
// ... do work ...
$m->success(['processed' => true]);
