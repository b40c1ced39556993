<?php
// Allocates until PHP's memory limit stops it.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

ini_set('memory_limit', '16M');
$m = Letts\Mission::start();
$hog = [];
while (true) {
    $hog[] = str_repeat('x', 1 << 20);
}
