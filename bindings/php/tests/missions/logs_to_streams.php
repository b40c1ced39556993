<?php
// Writes markers to stdout and stderr.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
echo "to-stdout-marker\n";
fwrite(STDERR, "to-stderr-marker\n");
$m->success();
