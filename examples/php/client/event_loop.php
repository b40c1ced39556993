<?php
// Many runs from one PHP thread, driven by a plain stream_select() loop:
// Client::start() returns a Letts\RunHandle at once; its stream() is
// readable whenever step() has work, and result() is what run() would
// have returned. ReactPHP, Amp and Revolt do the same with a read watcher
// on stream() (call step() in it, stop watching once isDone()).
//
//   LETTS_CONFIG=letts.yaml php event_loop.php <dugdale> <lane> [count]
//
// Runs generate_thumbnails (../missions) for videos 1..count at once.
declare(strict_types=1);
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;
use Letts\Exceptions\LettsException;

[$host, $lane, $count] = [$argv[1] ?? 'devserver', $argv[2] ?? 'default', (int) ($argv[3] ?? 10)];
$letts = Client::default();

$runs = [];      // video id => RunHandle
$progress = [];  // video id => progress events seen
for ($video = 1; $video <= $count; $video++) {
    $progress[$video] = 0;
    $runs[$video] = $letts->start(
        mission: 'generate_thumbnails', host: $host, lane: $lane,
        input: ['video_id' => $video], waitTimeout: '2m',
        // Called inside step(), on this thread.
        onProgress: function (?float $value, ?string $message) use (&$progress, $video): void {
            $progress[$video]++;
        },
    );
}

$pending = $runs;
while ($pending !== []) {
    // step() first: a run may be done already (e.g. a refused dispatch).
    foreach ($pending as $video => $run) {
        if ($run->isDone()) {
            unset($pending[$video]);
        }
    }
    if ($pending === []) {
        break;
    }
    $read = array_map(fn ($run) => $run->stream(), $pending);
    $write = $except = [];
    if (stream_select($read, $write, $except, null) === false) {
        fwrite(STDERR, "stream_select failed\n");
        exit(1);
    }
    foreach ($pending as $video => $run) {
        if (in_array($run->stream(), $read, true)) {
            $run->step();
        }
    }
}

$failed = 0;
foreach ($runs as $video => $run) {
    try {
        $r = $run->result();
        printf("video %d: %s after %d progress event(s), returned %s\n",
            $video, $r->outcome, $progress[$video], json_encode($r->return));
    } catch (LettsException $e) {
        $failed++;
        printf("video %d: %s: %s\n", $video, get_class($e), $e->getMessage());
    } finally {
        $run->free();  // also closes its stream
    }
}
exit($failed === 0 ? 0 : 1);
