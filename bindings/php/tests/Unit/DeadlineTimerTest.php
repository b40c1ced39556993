<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Client;
use Letts\Exceptions\CancelledException;
use Letts\Internal\Http\DeadlineTimer;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * DeadlineTimer triggers its Cancel at the deadline from outside PHP — the
 * case it exists for is a libletts call blocked with no callback due, here
 * a request to a socket that never answers (bounded by a 5 s inactivity
 * limit, so a timer that does not fire fails the test instead of hanging
 * it) — and a timer stopped in time never does.
 */
final class DeadlineTimerTest extends TestCase
{
    private const MISSION = '019aa000-0000-7000-8000-000000000000';

    private string $dir;
    /** @var resource a listening socket nobody accepts on: connects succeed, answers never come */
    private $silent;

    protected function setUp(): void
    {
        $this->dir = Temp::dir('letts-deadline-timer');
        $silent = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
        $this->assertNotFalse($silent, "cannot listen: $error");
        $this->silent = $silent;
        $url = 'http://' . stream_socket_get_name($silent, false);
        file_put_contents("$this->dir/letts.yaml", "dugdales:\n  - id: s1\n    url: $url\n    token: t\n");
        chmod("$this->dir/letts.yaml", 0600);
    }

    protected function tearDown(): void
    {
        fclose($this->silent);
        Temp::remove($this->dir);
    }

    private function silentClient(): Client
    {
        return Client::fromConfig("$this->dir/letts.yaml", ['retry_attempts' => 1, 'request_timeout' => 5]);
    }

    public function testTheCancelIsTriggeredAtTheDeadlineWhileACallBlocks(): void
    {
        $start = microtime(true);
        $timer = DeadlineTimer::start($start + 0.3);
        try {
            $this->silentClient()->withCancel($timer->cancel())->getMission(self::MISSION, 's1');
            $this->fail('a request nobody answers returned');
        } catch (CancelledException) {
            $elapsed = microtime(true) - $start;
            $this->assertGreaterThanOrEqual(0.29, $elapsed);
            $this->assertLessThan(10.0, $elapsed);
        }
        $this->assertTrue($timer->stop());
        $this->assertTrue($timer->stop(), 'stop() is idempotent');
    }

    public function testAPassedDeadlineFiresAtOnce(): void
    {
        $timer = DeadlineTimer::start(microtime(true) - 5);
        $this->expectException(CancelledException::class);
        $this->silentClient()->withCancel($timer->cancel())->getMission(self::MISSION, 's1');
    }

    public function testATimerStoppedInTimeNeverTriggers(): void
    {
        $timer = DeadlineTimer::start(microtime(true) + 60);
        $this->assertFalse($timer->stop());
        $this->assertFalse($timer->cancel()->isTriggered());
    }
}
