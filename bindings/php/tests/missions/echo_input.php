<?php
// Returns its whole input.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
$m->success(['input' => $m->all(), 'user' => $m->input('user.name', 'guest')]);
