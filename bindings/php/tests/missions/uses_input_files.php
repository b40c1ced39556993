<?php
// Hashes the input file with role "photo".
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
$ctx = hash_init('sha256');
hash_update_stream($ctx, $m->fileStream('photo'));
$m->success([
    'sha256' => hash_final($ctx),
    'size' => $m->fileSize('photo'),
    'files' => $m->files(),
]);
