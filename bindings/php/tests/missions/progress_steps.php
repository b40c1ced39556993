<?php
// Five progress events, then success.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
for ($i = 1; $i <= 5; $i++) {
    $m->progress($i / 5, "step $i");
}
$m->success(['steps' => 5]);
