<?php
// README "runParallel() and runOnAll() — fan-out", second block: the same
// fan-out with a wait deadline.
// Added: the autoloader, $letts and $jobs (DiskUsage of /tmp on s1 and s2).
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;

$letts = Client::default();
$jobs = [
    ['host' => 's1', 'lane' => 'manual', 'mission' => 'DiskUsage', 'input' => ['mount' => '/tmp']],
    ['host' => 's2', 'lane' => 'manual', 'mission' => 'DiskUsage', 'input' => ['mount' => '/tmp']],
];

// ---- README code, verbatim ----
$results = $letts->runParallel($jobs, waitTimeout: '2m');
