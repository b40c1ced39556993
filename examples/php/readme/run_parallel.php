<?php
// README "runParallel() and runOnAll() — fan-out", first block: DiskUsage
// on s1 and s2 at once; prints one line per dugdale.
// Added: the autoloader and $letts.
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;

$letts = Client::default();

// ---- README code, verbatim ----
$results = $letts->runParallel([
    ['host' => 's1', 'lane' => 'manual', 'mission' => 'DiskUsage', 'input' => ['mount' => '/']],
    ['host' => 's2', 'lane' => 'manual', 'mission' => 'DiskUsage', 'input' => ['mount' => '/']],
]);
foreach ($results as $hr) { // each is a HostResult
    if ($hr->isSuccess()) {
        echo "$hr->host: " . $hr->result->return['summary'] . "\n";
    } else {
        echo "$hr->host: " . ($hr->error->kind ?? 'fail') . "\n";
    }
}
