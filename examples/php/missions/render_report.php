<?php
// Writes an output file, registers it, and succeeds.
//   mkdir -p out && php render_report.php --input='{"title":"Q3"}'
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();
$title = $m->input('title', 'untitled');
$bytes = "<h1>" . htmlspecialchars($title) . "</h1>\n";
file_put_contents($m->outputPath('result'), $bytes);
$m->outputFile('result'); // register; dugdale collects and hashes it on success
$m->success(['written' => true, 'bytes' => strlen($bytes)]);
