<?php
// Starts the two letts-devservers the README examples expect (A: dugdales
// s1 and s7, B: s2; lanes normal, high and manual; missions from
// ./missions) and writes the letts.yaml naming them (mode 0600: it holds
// their tokens; removed again on the way out, the tokens die with the
// servers). Runs until Enter, end of input, Ctrl-C or SIGTERM.
//   php serve.php [/path/to/letts.yaml]   (default: letts-readme-<pid>.yaml in the temp directory)
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\DevServer;

$config = $argv[1] ?? sys_get_temp_dir() . '/letts-readme-' . getmypid() . '.yaml';
$lanes = ['normal' => ['concurrency' => 4], 'high' => ['concurrency' => 4], 'manual' => ['concurrency' => 2]];
$a = DevServer::startPhp(__DIR__ . '/missions', $lanes);
$b = DevServer::startPhp(__DIR__ . '/missions', $lanes);
$yaml = strtr((string) file_get_contents(__DIR__ . '/letts.yaml.in'), [
    '@A_PORT@' => (string) $a->port(),
    '@A_URL@' => $a->url(),
    '@A_TOKEN@' => $a->dispatchToken(),
    '@A_ADMIN_TOKEN@' => $a->adminToken(),
    '@B_PORT@' => (string) $b->port(),
    '@B_TOKEN@' => $b->dispatchToken(),
    '@B_ADMIN_TOKEN@' => $b->adminToken(),
]);
@unlink($config);
touch($config);
chmod($config, 0600);
file_put_contents($config, $yaml);

printf("server A (s1, s7): %s\nserver B (s2):     %s\n\nexport LETTS_CONFIG=%s\n\nEnter or Ctrl-C stops both.\n",
    $a->url(), $b->url(), realpath($config));

// Ctrl-C and SIGTERM end the wait below (stream_select() is interrupted),
// so the servers are stopped — missions reaped, data directories removed.
$stop = false;
if (function_exists('pcntl_signal')) {
    pcntl_async_signals(true);
    foreach ([SIGINT, SIGTERM] as $signal) {
        pcntl_signal($signal, static function () use (&$stop): void {
            $stop = true;
        });
    }
}
while (!$stop) {
    $read = [STDIN];
    $write = $except = null;
    if (@stream_select($read, $write, $except, null) > 0) {
        fgets(STDIN); // Enter or end of input
        break;
    }
}
$a->stop();
$b->stop();
@unlink($config);
echo "stopped\n";
