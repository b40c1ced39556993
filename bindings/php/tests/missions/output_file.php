<?php
// Writes out/result (the input's "bytes" repeated "times" times) and registers it.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
$fh = fopen($m->outputPath('result'), 'wb');
for ($i = 0; $i < $m->input('times', 1); $i++) {
    fwrite($fh, $m->input('bytes'));
}
fclose($fh);
$m->outputFile('result');
$m->success(['written' => true]);
