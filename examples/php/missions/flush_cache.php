<?php
// A long job that stops cleanly when dugdale asks it to (kill or timeout).
//   echo '{"items":["a","b"]}' | php flush_cache.php --input=-
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Exceptions\InterruptedException;
use Letts\Mission;

$m = Mission::start();
$items = $m->input('items', []);
$done = 0;
try {
    foreach ($items as $item) {
        $m->checkSignal(); // throws InterruptedException on SIGTERM/SIGINT
        // ... flush $item ...
        $done++;
        $m->progress($done / max(1, count($items)), "flushed $item");
    }
} catch (InterruptedException $e) {
    $m->fail("stopped after $done of " . count($items) . ' items', exitCode: 3, details: ['done' => $done]);
}
$m->success(['flushed' => $done]);
