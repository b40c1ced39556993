<?php
// README "Progress & cooperative cancellation", second block (the
// checkSignal() loop), as the mission run_on_all.php fans out. Input:
// items (default: three cache names) and pause_ms, a stand-in for the time
// flushing one item takes. A kill or timeout stops it between two items.
//   php FlushCache.php --input='{"items":["a","b"]}'
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();

// $items and process(), which the README block uses.
$items = $m->input('items', ['routes', 'views', 'config']);

function process(string $item): void
{
    $m = Mission::start(); // the mission already started
    usleep(1000 * (int) $m->input('pause_ms', 0)); // ... flush $item ...
    $m->progress(message: "flushed $item");
}

// ---- README "Progress & cooperative cancellation", second block, verbatim ----
foreach ($items as $item) {
    $m->checkSignal(); // throws InterruptedException on SIGTERM/SIGINT
    process($item);
}
// ---- end of README code ----

$m->success(['flushed' => $items]);
