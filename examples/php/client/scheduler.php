<?php
// A schedule that any number of copies of this script may run at once:
// every tick of "flush-cache-every-second" is dispatched with the tick's
// derived mission id (Letts\Schedule::tickId), so however many schedulers
// run, the dugdale gets one flush_cache mission per tick. Driven here by a
// stream_select() loop over Schedule::stream(); Schedule::run() is the
// blocking form.
//
//   LETTS_CONFIG=letts.yaml php scheduler.php <dugdale> <lane> [ticks]
declare(strict_types=1);
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;
use Letts\Schedule;

[$host, $lane, $want] = [$argv[1] ?? 'devserver', $argv[2] ?? 'default', (int) ($argv[3] ?? 3)];
$letts = Client::default();

$ticks = [];  // tick time => mission id
$schedules = [];
foreach (['A', 'B'] as $who) {  // two schedulers, as if on two machines
    $schedules[$who] = (new Schedule($letts))
        ->add('flush-cache-every-second', '@every 1s', 'flush_cache', host: $host, lane: $lane,
            input: ['items' => ['sessions']])
        ->onDispatch(function (string $entry, int $tick, string $id) use (&$ticks, $who): void {
            echo "scheduler $who tick $tick mission $id\n";
            $ticks[$tick] = $id;
        });
    $schedules[$who]->step();  // starts it
}
while (count($ticks) < $want) {
    $read = array_map(fn (Schedule $s) => $s->stream(), $schedules);
    $write = $except = [];
    if (stream_select($read, $write, $except, null) === false) {
        fwrite(STDERR, "stream_select failed\n");
        exit(1);
    }
    foreach ($schedules as $s) {
        if (in_array($s->stream(), $read, true)) {
            $s->step();
        }
    }
}
echo count($ticks) . " ticks, " . count(array_unique($ticks)) . " missions\n";
