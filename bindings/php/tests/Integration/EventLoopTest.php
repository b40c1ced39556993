<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Cancel;
use Letts\Client;
use Letts\DevServer;
use Letts\Exceptions\CancelledException;
use Letts\Exceptions\ConfigException;
use Letts\Exceptions\MissionFailedException;
use Letts\Exceptions\WaitTimeoutException;
use Letts\Result\LaunchFailure;
use Letts\RunHandle;
use Letts\Tests\Support\ClientFixture;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Client::start()/startWait() and Letts\RunHandle (letts/run_handle.h),
 * wait() and Letts\Cancel, against a letts-devserver running shell
 * missions, every run driven from a stream_select() loop on the handles'
 * streams — the loop never sleeps; a deadline only bounds a broken run.
 */
final class EventLoopTest extends TestCase
{
    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-loop');
        $missions = [
            // Echoes its input back as the return, with one progress event and a line of stdout.
            'loop_echo' => "input=\$(cat)\nprintf '{\"event\":\"progress\",\"value\":0.5,\"message\":\"half\"}\\n' >&3\n"
                . "printf 'out %s\\n' \"\$input\"\nprintf '{\"event\":\"success\",\"return\":{\"echo\":%s}}\\n' \"\$input\" >&3\n",
            'loop_fail' => "cat >/dev/null\nprintf '{\"event\":\"fail\",\"message\":\"no luck\",\"reason\":\"explicit\",\"exit_code\":3}\\n' >&3\nexit 3\n",
            // Reports it holds, then waits until it is killed.
            'loop_hold' => "cat >/dev/null\nprintf '{\"event\":\"progress\",\"message\":\"holding\"}\\n' >&3\nexec sleep 120\n",
        ];
        foreach ($missions as $name => $body) {
            file_put_contents(self::$dir . "/$name", "#!/bin/sh\n$body");
            chmod(self::$dir . "/$name", 0755);
        }
        self::$srv = DevServer::start(self::$dir);
        self::$client = self::$srv->client(['retry_backoff' => [5]]);
        $state = array_filter(self::$client->adminState('devserver')['state'], static fn ($v) => $v !== null);
        $state['lanes'] = ['default' => ['concurrency' => 16]];
        self::$client->adminApply('devserver', $state);
    }

    public static function tearDownAfterClass(): void
    {
        self::$srv?->stop();
        self::$srv = null;
        Temp::remove(self::$dir);
    }

    /**
     * Drives `$handles` from one stream_select() loop until `$until` says
     * stop (by default: until every handle is done). Returns the number of
     * step() calls.
     *
     * @param array<int|string, RunHandle> $handles
     */
    private static function drive(array $handles, ?\Closure $until = null, float $seconds = 60.0): int
    {
        $until ??= static fn (): bool => array_filter($handles, static fn (RunHandle $h) => !$h->isDone()) === [];
        $deadline = microtime(true) + $seconds;
        $steps = 0;
        while (!$until()) {
            $pending = array_filter($handles, static fn (RunHandle $h) => !$h->isDone());
            $read = array_map(static fn (RunHandle $h) => $h->stream(), $pending);
            $write = $except = [];
            $left = $deadline - microtime(true);
            if ($read === []) {
                throw new \RuntimeException('every handle is done, but the loop\'s condition was not met');
            }
            if ($left <= 0) {
                throw new \RuntimeException(sprintf('the loop did not finish within %.0f s (%d handles pending)', $seconds, count($read)));
            }
            $ready = stream_select($read, $write, $except, (int) $left, (int) (($left - (int) $left) * 1e6));
            if ($ready === false) {
                throw new \RuntimeException('stream_select failed');
            }
            foreach ($pending as $h) {
                if (in_array($h->stream(), $read, true)) {
                    $h->step();
                    $steps++;
                }
            }
        }
        return $steps;
    }

    public function testFiftyRunsFromOneStreamSelectLoop(): void
    {
        $progress = [];
        $handles = [];
        for ($i = 1; $i <= 50; $i++) {
            $progress[$i] = [];
            $handles[$i] = self::$client->start(
                mission: $i % 10 === 0 ? 'loop_fail' : 'loop_echo', host: 'devserver', lane: 'default',
                input: ['n' => $i], waitTimeout: '60s', fetchLogs: true,
                onProgress: function (?float $value, ?string $message) use (&$progress, $i): void {
                    $progress[$i][] = [$value, $message];
                });
        }
        $steps = self::drive($handles);
        $this->assertGreaterThanOrEqual(50, $steps);
        $ids = [];
        foreach ($handles as $i => $h) {
            $this->assertTrue($h->isDone());
            $this->assertSame('done', $h->state());
            $ids[] = $id = $h->missionId();
            if ($i % 10 === 0) {
                try {
                    $h->result();
                    $this->fail("run $i: no MissionFailedException");
                } catch (MissionFailedException $e) {
                    $this->assertSame('failed', $e->getResult()->outcome, "run $i");
                    $this->assertSame('no luck', $e->getResult()->failMessage, "run $i");
                    $this->assertSame(3, $e->getResult()->exitCode, "run $i");
                    $this->assertSame($id, $e->getResult()->missionId);
                }
                $this->assertSame([], $progress[$i], "run $i");
                continue;
            }
            $r = $h->result();
            $this->assertSame('success', $r->outcome, "run $i");
            $this->assertSame(['echo' => ['n' => $i]], $r->return, "run $i");
            $this->assertSame($id, $r->missionId);
            $this->assertSame('devserver', $r->host);
            $this->assertSame("out {\"n\":$i}\n", $r->logs->stdout, "run $i");
            $this->assertSame([[0.5, 'half']], $progress[$i], "run $i: progress delivered once, in step()");
            // result() may be asked again: the same outcome.
            $this->assertEquals($r, $h->result());
        }
        $this->assertCount(50, array_unique($ids));
        foreach ($handles as $h) {
            $stream = $h->stream();
            $h->free();
            $this->assertFalse(is_resource($stream), 'free() closes the stream');
        }
    }

    public function testStreamIsADuplicateOfTheHandlesDescriptor(): void
    {
        $h = self::$client->start(mission: 'loop_echo', host: 'devserver', lane: 'default', input: ['n' => 0]);
        $stream = $h->stream();
        $this->assertSame($stream, $h->stream(), 'one stream per handle');
        $meta = stream_get_meta_data($stream);
        $this->assertSame('PHP', $meta['wrapper_type']);
        // Closing it is allowed: the handle's own descriptor stays open and a new stream is made.
        fclose($stream);
        $again = $h->stream();
        $this->assertTrue(is_resource($again));
        self::drive([$h]);
        $this->assertSame(['echo' => ['n' => 0]], $h->result()->return);
        $this->assertIsInt($h->fd());
        $h->free();
    }

    public function testResultBeforeDoneThrowsAndFreeIsSafeInAnyState(): void
    {
        $h = self::$client->start(mission: 'loop_hold', host: 'devserver', lane: 'default');
        $this->assertFalse($h->isDone());
        try {
            $h->result();
            $this->fail('result() before the end did not throw');
        } catch (\LogicException $e) {
            $this->assertStringContainsString('has not finished', $e->getMessage());
        }
        self::drive([$h], static fn (): bool => $h->missionId() !== null);
        $id = (string) $h->missionId();
        $this->assertSame('following', $h->state());
        $stream = $h->stream();
        $h->free();  // abandoned while following: the mission keeps running
        $this->assertFalse(is_resource($stream));
        $this->assertTrue($h->isDone());
        $this->assertTrue($h->step(), 'step() after free() is harmless');
        $h->cancel();
        $h->free();
        $this->assertNull($h->missionId());
        try {
            $h->result();
            $this->fail('result() after free() did not throw');
        } catch (\LogicException $e) {
            $this->assertStringContainsString('freed', $e->getMessage());
        }
        $this->assertSame('running', self::$client->getMission($id, 'devserver')?->status);
        self::$client->kill($id, host: 'devserver');
        $this->assertSame('killed', self::$client->wait($id, 'devserver', waitTimeout: '30s', throwOnFailure: false)->outcome);
    }

    public function testFreeRightAfterStartAbandonsTheRun(): void
    {
        $id = ClientFixture::uuidv7();
        $h = self::$client->start(mission: 'loop_echo', host: 'devserver', lane: 'default', input: ['n' => 1], missionId: $id);
        $h->free();
        $this->assertTrue($h->isDone());
        // Whatever the run had done, the same mission id still gives that mission, and it ends.
        $r = self::$client->run(mission: 'loop_echo', host: 'devserver', lane: 'default', input: ['n' => 1], missionId: $id);
        $this->assertSame($id, $r->missionId);
        $this->assertSame(['echo' => ['n' => 1]], $r->return);
    }

    public function testFreeFromItsOwnProgressCallbackWaitsForTheStep(): void
    {
        $h = null;
        $calls = 0;
        $h = self::$client->start(mission: 'loop_hold', host: 'devserver', lane: 'default',
            onProgress: function () use (&$h, &$calls): void {
                $calls++;
                $h->free();
                $this->assertNotNull($h->missionId(), 'still alive inside the step');
            });
        self::drive([$h], static function () use (&$calls): bool {
            return $calls > 0;
        });
        $this->assertSame(1, $calls);
        $this->assertTrue($h->isDone());
        $this->assertNull($h->missionId());
        $this->killAll('loop_hold');
    }

    public function testCancelWithKillOnCancel(): void
    {
        $holding = false;
        $h = self::$client->start(mission: 'loop_hold', host: 'devserver', lane: 'default', killOnCancel: true,
            onProgress: function (?float $v, ?string $message) use (&$holding): void {
                $holding = $message === 'holding';
            });
        self::drive([$h], static function () use (&$holding): bool {
            return $holding;
        });
        $h->cancel();
        self::drive([$h]);
        try {
            $h->result();
            $this->fail('no CancelledException');
        } catch (CancelledException) {
        }
        $id = (string) $h->missionId();
        // The kill was sent before the run ended: the mission ends killed.
        $this->assertSame('killed', self::$client->wait($id, 'devserver', waitTimeout: '30s', throwOnFailure: false)->outcome);
        $h->free();
    }

    public function testCancelObjectOfStartLeavesTheMissionRunning(): void
    {
        $cancel = new Cancel();
        $h = self::$client->start(mission: 'loop_hold', host: 'devserver', lane: 'default', cancel: $cancel,
            onProgress: static fn () => $cancel->trigger());
        self::drive([$h]);
        $this->assertTrue($cancel->isTriggered());
        $this->expectException(CancelledException::class);
        try {
            $h->result();
        } finally {
            $this->assertSame('running', self::$client->getMission((string) $h->missionId(), 'devserver')?->status);
            $this->killAll('loop_hold');
        }
    }

    public function testProgressExceptionIsThrownByResult(): void
    {
        $thrown = new \RuntimeException('stop here');
        $h = self::$client->start(mission: 'loop_echo', host: 'devserver', lane: 'default',
            onProgress: static fn () => throw $thrown);
        self::drive([$h]);
        try {
            $h->result();
            $this->fail('result() did not throw');
        } catch (\RuntimeException $e) {
            $this->assertSame($thrown, $e);
        }
    }

    public function testLaunchFailureIsResultAndTheObserversException(): void
    {
        $seen = [];
        $client = self::$client->withFailureObserver(function (LaunchFailure $f) use (&$seen): void {
            $seen[] = $f;
        });
        $h = $client->start(mission: 'loop_echo', host: 'nosuch', lane: 'default');
        self::drive([$h]);
        try {
            $h->result();
            $this->fail('result() did not throw');
        } catch (ConfigException $e) {
            $this->assertCount(1, $seen);
            $this->assertSame($seen[0]->exception, $e);
            $this->assertSame('nosuch', $seen[0]->host);
        }
    }

    public function testWaitTimeoutOfAStartedRun(): void
    {
        $h = self::$client->start(mission: 'loop_hold', host: 'devserver', lane: 'default', waitTimeout: '300ms');
        self::drive([$h]);
        try {
            $h->result();
            $this->fail('no WaitTimeoutException');
        } catch (WaitTimeoutException) {
            $this->assertSame('running', self::$client->getMission((string) $h->missionId(), 'devserver')?->status);
        } finally {
            $this->killAll('loop_hold');
        }
    }

    public function testWaitAndStartWaitFollowADispatchedMission(): void
    {
        $id = self::$client->dispatch(mission: 'loop_echo', host: 'devserver', lane: 'default', input: ['n' => 7]);
        $progress = [];
        $r = self::$client->wait($id, 'devserver', onProgress: function (?float $v, ?string $m) use (&$progress): void {
            $progress[] = [$v, $m];
        });
        $this->assertSame(['echo' => ['n' => 7]], $r->return);
        $this->assertSame([[0.5, 'half']], $progress);
        $h = self::$client->startWait($id, 'devserver', fetchLogs: true);
        $this->assertSame($id, $h->missionId());
        self::drive([$h]);
        $this->assertSame("out {\"n\":7}\n", $h->result()->logs->stdout);
    }

    public function testCancelObjectWithWaitAndWithCancel(): void
    {
        $id = self::$client->dispatch(mission: 'loop_hold', host: 'devserver', lane: 'default');
        $cancel = new Cancel();
        try {
            self::$client->wait($id, 'devserver', waitTimeout: '60s', cancel: $cancel,
                onProgress: static fn () => $cancel->trigger());
            $this->fail('wait() was not cancelled');
        } catch (CancelledException) {
        }
        // A client copy with a triggered cancel: run() ends at once.
        $this->expectException(CancelledException::class);
        try {
            self::$client->withCancel($cancel)->run(mission: 'loop_echo', host: 'devserver', lane: 'default');
        } finally {
            $this->killAll('loop_hold');
        }
    }

    private function killAll(string $mission): void
    {
        foreach (self::$client->listMissions(host: 'devserver', filters: ['mission' => $mission, 'status' => 'running']) as $m) {
            self::$client->kill($m->missionId, host: 'devserver');
        }
    }
}
