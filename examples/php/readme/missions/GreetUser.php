<?php
// README "Input", as a mission. Its first line throws when user.name is
// absent (the mission then fails with reason uncaught_exception); otherwise
// the mission returns what the four calls see.
//   php GreetUser.php --input='{"user":{"name":"ada"}}'
require __DIR__ . '/../../../../bindings/php/autoload.php';

use Letts\Mission;

$m = Mission::start();

// ---- README "Input", verbatim ----
$m->input('user.name'); // throws if the path is absent
$m->input('user.name', 'guest'); // returns the default if absent
$m->has('user.name'); // bool
$m->all(); // the whole input array
// ---- end of README code ----

$m->success([
    'name' => $m->input('user.name'),
    'nickname' => $m->input('user.nickname', 'guest'),
    'has_name' => $m->has('user.name'),
    'has_nickname' => $m->has('user.nickname'),
    'all' => $m->all(),
]);
