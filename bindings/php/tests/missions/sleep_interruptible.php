<?php
// Works in small steps, polling checkSignal(), until it is interrupted.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
$m->onInterrupt(function (int $signal): void {
    fwrite(STDERR, "onInterrupt($signal)\n");
});
$m->progress(0.0, 'ready');
$deadline = microtime(true) + 60;
try {
    while (microtime(true) < $deadline) {
        $m->checkSignal();
        usleep(10000);
    }
} catch (Letts\Exceptions\InterruptedException $e) {
    fwrite(STDERR, 'checkSignal: ' . $e->getMessage() . "\n");
    throw $e;
}
$m->success(['interrupted' => false]);
