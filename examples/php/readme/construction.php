<?php
// README "Client › Construction".
// Added: the autoloader. Changed: the README's '/path/letts.yaml' is the
// file $LETTS_CONFIG names (the one Client::default() finds first).
require __DIR__ . '/../../../bindings/php/autoload.php';

// ---- README code, verbatim but for the config path ----
use Letts\Client;

$letts = Client::default(); // discover letts.yaml (see cascade below)
$letts = Client::fromConfig(getenv('LETTS_CONFIG') /* README: '/path/letts.yaml' */);
$letts = Client::fromConfig(getenv('LETTS_CONFIG') /* README: '/path/letts.yaml' */, [
    'request_timeout' => 30, // per-request inactivity seconds (default 30)
    'connect_timeout' => 5, // connection-phase seconds (best-effort per platform)
    'max_connections_per_host' => 4, // curl pool size (default 4)
    'retry_attempts' => 3, // total tries on network/5xx (default 3)
    'retry_backoff' => [100, 500, 2000],// backoff in ms between tries
]);
