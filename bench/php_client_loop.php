<?php
// Memory of a long-lived PHP worker using Letts\Client: run() in a loop
// (with an onProgress closure each time) against a letts-devserver running
// as a separate process, so that the RSS measured is the client's alone.
// Reports the PHP heap and the RSS after each batch; the point is that
// neither grows with the number of runs. Nothing is asserted.
//
//   php bench/php_client_loop.php [BUILD_DIR] [RUNS]
declare(strict_types=1);

$build = rtrim($argv[1] ?? dirname(__DIR__) . '/build', '/');
$runs = (int) ($argv[2] ?? 2000);
require "$build/bindings/php/autoload.php";

$missions = sys_get_temp_dir() . '/letts-bench-php-' . bin2hex(random_bytes(4));
mkdir($missions, 0700);
// A shell mission: the bench measures the client, not PHP start-up.
file_put_contents("$missions/ok", "#!/bin/sh\nprintf '{\"event\":\"progress\",\"value\":0.5}\\n{\"event\":\"success\",\"return\":{\"ok\":true}}\\n' >&3\n");
chmod("$missions/ok", 0755);

$server = Letts\DevServer::startBinary($missions, binary: "$build/src/letts-devserver");
$client = $server->client();

$rssKiB = static function (): int {
    foreach (file('/proc/self/status') ?: [] as $line) {
        if (str_starts_with($line, 'VmRSS:')) {
            return (int) preg_replace('/\D/', '', $line);
        }
    }
    return 0;
};

$progress = 0;
$started = microtime(true);
printf("%8s %14s %10s %10s\n", 'runs', 'php heap (B)', 'RSS (KiB)', 'runs/s');
for ($i = 1; $i <= $runs; $i++) {
    $r = $client->run(mission: 'ok', host: 'devserver', lane: 'default', input: ['i' => $i],
        onProgress: static function (?float $v) use (&$progress): void {
            $progress++;
        });
    if (!$r->isSuccess()) {
        fwrite(STDERR, "run $i: {$r->outcome}\n");
        exit(1);
    }
    if ($i % max(1, intdiv($runs, 10)) === 0) {
        printf("%8d %14d %10d %10.0f\n", $i, memory_get_usage(), $rssKiB(), $i / (microtime(true) - $started));
    }
}
printf("progress events seen: %d (expected %d)\n", $progress, $runs);
$server->stop();
array_map('unlink', glob("$missions/*") ?: []);
rmdir($missions);
