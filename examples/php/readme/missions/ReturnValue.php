<?php
// README "Success & failure", first line: success with a return value.
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();

// ---- README "Success & failure", line 1, verbatim ----
$m->success(['key' => 'value']); // return must be a JSON object (assoc array) or null — not a list
