<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Cancel;
use Letts\Client;
use Letts\Internal\Client\CompletionObserver;
use Letts\Schedule;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Installing callbacks again and again costs nothing that stays: PHP 8.2's
 * FFI keeps the native trampoline of every PHP closure it turns into a C
 * function pointer until the end of the request (about half a kilobyte of
 * PHP memory each, the closure included), so a binding making one per
 * withCompletionObserver() or onDispatch() call would grow by that much per
 * call. The observable is memory_get_usage() across 2000 calls.
 */
final class CallbackOwnershipTest extends TestCase
{
    private const CALLS = 2000;
    /** far below the ~1 MB that 2000 retained trampolines take */
    private const ALLOWED_GROWTH = 100 * 1024;

    private string $dir;

    protected function setUp(): void
    {
        $this->dir = Temp::dir('letts-callback-owners');
        file_put_contents("$this->dir/letts.yaml", "dugdales:\n  - id: s1\n    url: http://127.0.0.1:1\n");
        chmod("$this->dir/letts.yaml", 0600);
    }

    protected function tearDown(): void
    {
        Temp::remove($this->dir);
    }

    /**
     * Memory that `$call` leaves behind after `$times` calls, measured after
     * a warm-up so that one-time allocations (the process's trampoline,
     * autoloading) do not count.
     */
    private static function growth(\Closure $call, int $times): int
    {
        for ($i = 0; $i < 50; $i++) {
            $call($i);
        }
        gc_collect_cycles();
        $before = memory_get_usage();
        for ($i = 0; $i < $times; $i++) {
            $call($i);
        }
        gc_collect_cycles();
        return memory_get_usage() - $before;
    }

    public function testCompletionObserverCopiesLeaveNothingBehind(): void
    {
        $client = Client::fromConfig("$this->dir/letts.yaml");
        $live = CompletionObserver::liveCount();
        $grown = self::growth(static function (int $i) use ($client): void {
            $client->withCompletionObserver(static function () use ($i): void {
            })->withMatch(['a']);
        }, self::CALLS);
        $this->assertLessThan(self::ALLOWED_GROWTH, $grown, "$grown bytes kept after " . self::CALLS . ' observers');
        $this->assertSame($live, CompletionObserver::liveCount(), 'an observer outlived every client copy holding it');
    }

    public function testEveryKindOfCopyKeepsTheObserverAlive(): void
    {
        $copyMakers = [
            'withMatch' => static fn (Client $c): Client => $c->withMatch(['a']),
            'withFailureObserver' => static fn (Client $c): Client => $c->withFailureObserver(static function (): void {
            }),
            'withRetry' => static fn (Client $c): Client => $c->withRetry(['maxAttempts' => 2]),
            'withCancel' => static fn (Client $c): Client => $c->withCancel(new Cancel()),
        ];
        $live = CompletionObserver::liveCount();
        foreach ($copyMakers as $kind => $copyOf) {
            $observed = Client::fromConfig("$this->dir/letts.yaml")->withCompletionObserver(static function (): void {
            });
            $copy = $copyOf($observed);
            unset($observed);
            gc_collect_cycles();
            $this->assertSame($live + 1, CompletionObserver::liveCount(), "released while a $kind copy still holds it");
            unset($copy);
            gc_collect_cycles();
            $this->assertSame($live, CompletionObserver::liveCount(), "kept after the $kind copy went");
        }
    }

    public function testReplacingTheDispatchCallbackLeavesNothingBehind(): void
    {
        $schedule = new Schedule(Client::fromConfig("$this->dir/letts.yaml"));
        $grown = self::growth(static function (int $i) use ($schedule): void {
            $schedule->onDispatch(static function () use ($i): void {
            });
        }, self::CALLS);
        $this->assertLessThan(self::ALLOWED_GROWTH, $grown, "$grown bytes kept after " . self::CALLS . ' callbacks');
    }
}
