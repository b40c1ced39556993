<?php
// README "run() — dispatch and wait", from "// All options:" on:
// RenderReport on s1 with /tmp/t.html as its template; prints its progress
// and saves its output as /tmp/out/result.
// Added: the autoloader and $letts.
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;

$letts = Client::default();

// ---- README code, verbatim ----
// All options:
$r = $letts->run(
    mission: 'RenderReport',
    host: 's1', lane: 'normal',
    input: ['id' => 9],
    files: ['template' => '/tmp/t.html'],
    timeout: '5m', // mission-side execution limit (daemon)
    waitTimeout: '30s', // client-side wait deadline (ms/s/m/h)
    onProgress: fn(?float $v, ?string $m) => printf("%.0f%% %s\n", ($v ?? 0) * 100, $m),
    downloadOutputsTo: '/tmp/out', // save mission output files into this dir
    throwOnFailure: true, // default: non-success → MissionFailedException
    fetchLogs: false, // default: do NOT pull stdout/stderr (extra request)
);
