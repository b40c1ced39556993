<?php
// The mission of run_parallel.php: how full the filesystem of input
// "mount" is. return.summary reads "/ 42% used".
//   php DiskUsage.php --input='{"mount":"/"}'
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();
$mount = $m->input('mount');
$total = @disk_total_space($mount);
$free = @disk_free_space($mount);
if ($total === false || $free === false || $total <= 0) {
    $m->fail("cannot read the size of $mount", details: ['mount' => $mount]);
}
$m->success([
    'summary' => sprintf('%s %.0f%% used', $mount, 100 * ($total - $free) / $total),
    'total_bytes' => (int) $total,
    'free_bytes' => (int) $free,
]);
