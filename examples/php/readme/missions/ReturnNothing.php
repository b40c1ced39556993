<?php
// README "Success & failure", second line: success without a return value.
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();

// ---- README "Success & failure", line 2, verbatim ----
$m->success(); // no return value
