<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\DevServer;
use Letts\Result\RunResult;
use Letts\Schedule;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Callbacks stay callable as long as something can call them, against a
 * letts-devserver running a shell mission that succeeds at once: a
 * completion observer outlives the Client copy that installed it while
 * another copy (or a RunHandle) holds it, and of many onDispatch()
 * callbacks only the last one set is called.
 */
final class CallbackOwnersTest extends TestCase
{
    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-callback-owners');
        file_put_contents(self::$dir . '/quick', "#!/bin/sh\necho '{\"event\":\"success\"}' >&3\n");
        chmod(self::$dir . '/quick', 0755);
        self::$srv = DevServer::start(self::$dir);
        self::$client = self::$srv->client();
    }

    public static function tearDownAfterClass(): void
    {
        self::$srv?->stop();
        self::$srv = null;
        Temp::remove(self::$dir);
    }

    public function testTheObserverOutlivesTheCopyThatInstalledIt(): void
    {
        $seen = [];
        $observed = self::$client->withCompletionObserver(function (RunResult $r) use (&$seen): void {
            $seen[] = $r->missionId;
        });
        $copy = $observed->withMatch([]);
        unset($observed);
        gc_collect_cycles();
        $result = $copy->run(mission: 'quick', host: 'devserver', lane: 'default', waitTimeout: '60s');
        $this->assertSame([$result->missionId], $seen);
    }

    public function testARunHandleKeepsTheObserverOfItsClient(): void
    {
        $seen = [];
        $observed = self::$client->withCompletionObserver(function (RunResult $r) use (&$seen): void {
            $seen[] = $r->missionId;
        });
        $handle = $observed->start(mission: 'quick', host: 'devserver', lane: 'default', waitTimeout: '60s');
        unset($observed);
        gc_collect_cycles();
        $deadline = microtime(true) + 60;
        while (!$handle->step()) {
            $left = $deadline - microtime(true);
            $this->assertGreaterThan(0, $left, 'the run did not end within a minute');
            $read = [$handle->stream()];
            $write = $except = null;
            stream_select($read, $write, $except, (int) $left, (int) (($left - (int) $left) * 1e6));
        }
        $result = $handle->result();
        $this->assertSame([$result->missionId], $seen);
    }

    public function testOnlyTheLastDispatchCallbackIsCalled(): void
    {
        $calls = [];
        $schedule = (new Schedule(self::$client))
            ->add('tick', '@every 1s', 'quick', host: 'devserver', lane: 'default');
        for ($i = 0; $i < 100; $i++) {
            $schedule->onDispatch(function () use (&$calls, $i): void {
                $calls[] = "replaced $i";
            });
        }
        $schedule->onDispatch(function (string $entry, int $tick, string $missionId) use (&$calls): void {
            $calls[] = "$entry " . (Schedule::tickId($entry, $tick) === $missionId ? 'own id' : 'other id');
        });
        $deadline = microtime(true) + 30;
        $schedule->step();
        while ($calls === []) {
            $left = $deadline - microtime(true);
            $this->assertGreaterThan(0, $left, 'no tick was dispatched within 30 s');
            $read = [$schedule->stream()];
            $write = $except = null;
            stream_select($read, $write, $except, (int) $left, (int) (($left - (int) $left) * 1e6));
            $schedule->step();
        }
        $this->assertSame(['tick own id'], $calls);
    }
}
