<?php
// README "Input files", as the mission dispatch.php dispatches with
// files: ['photo' => '/tmp/pic.jpg']. It returns what it found.
//   php NotifyUser.php --input='{"user_id":1,"photo":"/etc/hostname"}'
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();

// ---- README "Input files", verbatim ----
$path = $m->file('photo'); // absolute path to the materialized file
$size = $m->fileSize('photo');
$fh = $m->fileStream('photo'); // open read handle
$all = $m->files(); // role => {path, size, sha256}
// ---- end of README code ----

$m->success([
    'user_id' => $m->input('user_id'),
    'path' => $path,
    'size' => $size,
    'sha256' => hash('sha256', (string) stream_get_contents($fh)),
    'files' => $all,
]);
