<?php
// Reads an input file by role. Standalone, the input member is the path:
//   php hash_photo.php --input='{"photo":"/etc/hostname"}'
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();
$ctx = hash_init('sha256');
hash_update_stream($ctx, $m->fileStream('photo'));
$m->success([
    'path' => $m->file('photo'),
    'size' => $m->fileSize('photo'),
    'sha256' => hash_final($ctx),
]);
