<?php
// README "Success & failure", third line: an explicit failure with exit
// code 2 and details naming the upstream (input "url").
//   php CallUpstream.php --input='{"url":"https://upstream.invalid/"}'
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();

// $url, which the README line uses.
$url = $m->input('url', 'https://upstream.invalid/');

// ---- README "Success & failure", line 3, verbatim ----
$m->fail('could not reach upstream', exitCode: 2, details: ['url' => $url]);
