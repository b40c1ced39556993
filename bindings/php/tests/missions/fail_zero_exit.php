<?php
// fail() asked to exit 0: the runtime exits 1 instead.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
$m->fail('deliberate failure', exitCode: 0);
