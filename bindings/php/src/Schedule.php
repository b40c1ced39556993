<?php
declare(strict_types=1);

namespace Letts;

use FFI;
use Letts\Internal\Client\CStrings;
use Letts\Internal\Client\Job;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * A schedule safe with any number of schedulers (libletts' letts/schedule.h).
 *
 * Entries fire on a cron expression ("0 9 * * MON-FRI", "@hourly") in a
 * named time zone, or on a fixed interval ("@every 1s"); every tick is
 * dispatched with the mission id Schedule::tickId(entry, tick time), so the
 * same schedule running in many processes on many machines dispatches each
 * tick exactly once — the daemon answers the others with a replay. Entry
 * names are the identity of the ticks: keep them unique across schedules.
 *
 * Run it blocking with run(), or from your event loop: watch stream() (or
 * fd()) for readability and call step() then. Catch-up after a pause:
 * setCatchUp('skip' | 'once' | 'all', ...) as documented in schedule.h.
 * onDispatch callbacks run inside step()/run(), on the calling thread. One
 * Schedule per scheduler; not shared between threads.
 */
final class Schedule
{
    private const POLICIES = ['skip' => 0, 'once' => 1, 'all' => 2];

    private ?FFI\CData $handle;
    /** onDispatch()'s callback; libletts holds only the process's trampoline */
    private ?\Closure $onDispatch = null;
    private ?\Throwable $thrown = null;
    /** @var resource|null */
    private $stream = null;

    /**
     * The schedules inside step()/run(), innermost last: libletts calls the
     * dispatch callback only during those calls, on the calling thread, so
     * the innermost one is the schedule the tick belongs to.
     *
     * @var list<self>
     */
    private static array $stepping = [];
    private static ?FFI\CData $trampoline = null;

    public function __construct(private readonly Client $client)
    {
        $ffi = Native::ffi();
        $out = $ffi->new('letts_schedule *');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_schedule_new(FFI::addr($out), FFI::addr($err)), $err);
        $this->handle = $out;
    }

    public function __destruct()
    {
        if (is_resource($this->stream)) {
            fclose($this->stream);
        }
        if ($this->handle !== null) {
            Native::ffi()->letts_schedule_free($this->handle);
            $this->handle = null;
        }
    }

    private function __clone()
    {
    }

    /**
     * Add entry `$name` firing on `$spec` in `$timeZone` (IANA name, null =
     * UTC) that dispatches `$mission` with the addressing and input given,
     * as Client::dispatch() takes them.
     *
     * @param list<string>         $match
     * @param array<string, mixed> $input
     */
    public function add(string $name, string $spec, string $mission, ?string $timeZone = null,
                        ?string $route = null, int|string|null $host = null, array $match = [],
                        ?string $lane = null, array $input = [], ?string $timeout = null): self
    {
        $job = new Job($mission, $route, $host, $match, $lane, $input, [], $timeout, null);
        $err = Native::errorHolder();
        Errors::check(Native::ffi()->letts_schedule_add($this->handle, $name, $spec, $timeZone, $job->handle,
            FFI::addr($err)), $err);
        return $this;
    }

    /** 'skip' | 'once' (the default) | 'all'; see letts/schedule.h. */
    public function setCatchUp(string $policy, int $graceMs = 1000, int $maxFires = 100): self
    {
        if (!isset(self::POLICIES[$policy])) {
            throw new \InvalidArgumentException("unknown catch-up policy \"$policy\" (skip, once, all)");
        }
        $err = Native::errorHolder();
        Errors::check(Native::ffi()->letts_schedule_set_catch_up($this->handle, self::POLICIES[$policy],
            $graceMs, $maxFires, FFI::addr($err)), $err);
        return $this;
    }

    /**
     * Call `$fn(string $entry, int $tickUnixMs, string $missionId)` after
     * each dispatched tick; null stops. What it throws, step()/run() throw.
     */
    public function onDispatch(?\Closure $fn): self
    {
        $err = Native::errorHolder();
        Errors::check(Native::ffi()->letts_schedule_set_on_dispatch($this->handle,
            $fn === null ? null : self::trampoline(), null, FFI::addr($err)), $err);
        $this->onDispatch = $fn;
        return $this;
    }

    /**
     * The next `$count` fire times (Unix ms) of entry `$name` after `$afterUnixMs`.
     *
     * @return list<int>
     */
    public function next(string $name, int $afterUnixMs, int $count = 1): array
    {
        $ffi = Native::ffi();
        $times = $ffi->new("int64_t[" . max(1, $count) . "]");
        $err = Native::errorHolder();
        Errors::check($ffi->letts_schedule_next($this->handle, $name, $afterUnixMs, $times, $count,
            FFI::addr($err)), $err);
        $out = [];
        for ($i = 0; $i < $count; $i++) {
            $out[] = (int) $times[$i];
        }
        return $out;
    }

    /** The mission id of entry `$name`'s tick at `$tickUnixMs` (letts_unique_id with a 1 ms window). */
    public static function tickId(string $name, int $tickUnixMs): string
    {
        $ffi = Native::ffi();
        $id = $ffi->new('char *');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_schedule_tick_id($name, $tickUnixMs, FFI::addr($id), FFI::addr($err)), $err);
        return (string) CStrings::take($id);
    }

    /** The descriptor that is readable when a tick is due (owned by the schedule). */
    public function fd(): int
    {
        return Native::ffi()->letts_schedule_fd($this->handle);
    }

    /**
     * A stream for stream_select() over fd() (php://fd opens a duplicate;
     * CLI SAPI only). Owned by this object: never read it.
     *
     * @return resource
     */
    public function stream()
    {
        if (!is_resource($this->stream)) {
            $this->stream = fopen('php://fd/' . $this->fd(), 'r');
        }
        return $this->stream;
    }

    /** Dispatch what is due now; the first call starts the schedule. */
    public function step(): void
    {
        $err = Native::errorHolder();
        $status = $this->whileCurrent(fn (): int =>
            Native::ffi()->letts_schedule_step($this->handle, $this->client->cdata(), FFI::addr($err)));
        $this->rethrow();
        Errors::check($status, $err);
    }

    /** Run until `$cancel` is triggered (then a CancelledException) or a dispatch fails. */
    public function run(?Cancel $cancel = null): void
    {
        $err = Native::errorHolder();
        $status = $this->whileCurrent(fn (): int =>
            Native::ffi()->letts_schedule_run($this->handle, $this->client->cdata(), $cancel?->cdata(), FFI::addr($err)));
        $this->rethrow();
        Errors::check($status, $err);
    }

    /** @param \Closure(): int $call */
    private function whileCurrent(\Closure $call): int
    {
        self::$stepping[] = $this;
        try {
            return $call();
        } finally {
            array_pop(self::$stepping);
        }
    }

    /**
     * The process's single letts_schedule_dispatch_fn. PHP 8.2's FFI keeps
     * the trampoline of a PHP closure until the end of the request and has
     * no way to free it, so one made per onDispatch() call would grow with
     * every call; this one is made once and finds its schedule by itself.
     */
    private static function trampoline(): FFI\CData
    {
        if (self::$trampoline === null) {
            $slot = Native::ffi()->new('letts_schedule_dispatch_fn[1]', false);
            $slot[0] = static function ($data, $entry, $tick, $id): void {
                $i = array_key_last(self::$stepping);
                if ($i !== null) {
                    self::$stepping[$i]->dispatched(self::text($entry), (int) $tick, self::text($id));
                }
            };
            self::$trampoline = $slot[0];
        }
        return self::$trampoline;
    }

    private function dispatched(string $entry, int $tickUnixMs, string $missionId): void
    {
        if ($this->onDispatch === null) {
            return;
        }
        try {
            ($this->onDispatch)($entry, $tickUnixMs, $missionId);
        } catch (\Throwable $e) {
            // Never unwind through C: step()/run() throw it once libletts returns.
            $this->thrown ??= $e;
        }
    }

    private function rethrow(): void
    {
        if ($this->thrown !== null) {
            [$e, $this->thrown] = [$this->thrown, null];
            throw $e;
        }
    }

    /** FFI hands a callback's `const char *` over as a PHP string already. */
    private static function text(mixed $value): string
    {
        return $value instanceof FFI\CData ? FFI::string($value) : (string) $value;
    }
}
