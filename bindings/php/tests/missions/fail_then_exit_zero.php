<?php
// Sends its fail event, then a shutdown function of the application ends
// the process with status 0: the daemon's fail_then_zero_exit diagnostic.
declare(strict_types=1);
require __DIR__ . '/../../autoload.php';

$m = Letts\Mission::start();
register_shutdown_function(static function (): void {
    exit(0);
});
$m->fail('failed, then exited 0');
