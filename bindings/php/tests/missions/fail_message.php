<?php
// An explicit failure with details and exit code 2.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
$m->fail('boom', exitCode: 2, details: ['url' => 'http://upstream.invalid/']);
