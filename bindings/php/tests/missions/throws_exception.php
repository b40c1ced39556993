<?php
// An exception nobody catches.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
throw new RuntimeException('kaboom');
