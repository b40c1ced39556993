<?php
// The mission of run_all_options.php: README "Progress & cooperative
// cancellation" (first block) and "Output files". It renders the template
// file (role "template", {{id}} replaced by the input id) into output
// "result".
//   mkdir -p out && echo '<p>{{id}}</p>' > t.html && php RenderReport.php --input='{"id":9,"template":"t.html"}'
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();

// ---- README "Progress & cooperative cancellation", first block, verbatim ----
$m->progress(0.25, 'a quarter done'); // value (0..1) and/or message; both optional
$m->progress(message: 'still working');
// ---- end of README code ----

// $bytes, which the next block writes: the rendered report.
$bytes = str_replace('{{id}}', (string) $m->input('id'), (string) file_get_contents($m->file('template')));

// ---- README "Output files", verbatim ----
file_put_contents($m->outputPath('result'), $bytes);
$m->outputFile('result'); // register; dugdale collects and hashes it on success
$m->success(['written' => true]);
// ---- end of README code ----
