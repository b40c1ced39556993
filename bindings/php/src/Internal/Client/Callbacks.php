<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Exceptions\LettsException;
use Letts\Internal\Errors;
use Letts\Internal\Native;
use Letts\Result\LaunchFailure;

/**
 * PHP closures called by libletts: the progress callback of run() and the
 * launch-failure observer.
 *
 * PHP's FFI makes a native trampoline for every closure passed as a function
 * pointer and keeps it until the process ends, so passing a new closure per
 * call would grow memory with every run(). Instead there is one trampoline
 * per callback type for the whole process; it calls the handler of the call
 * in progress, kept on a stack (a handler may itself call the client).
 * libletts calls back only on the calling thread, during the call, so the
 * top of the stack is always the right handler.
 */
final class Callbacks
{
    /** @var list<array{handler: ?\Closure, thrown: ?\Throwable}> */
    private static array $progress = [];
    /** @var list<array{observer: ?\Closure, host: int|string|null, timeouts: array<string, string>, reported: ?LettsException, status: int}> */
    private static array $observers = [];
    private static ?FFI\CData $progressTrampoline = null;
    private static ?FFI\CData $observerTrampoline = null;

    /**
     * Run `$call` with `$onProgress` as the handler of progress events; `$call`
     * gets the function pointer to pass to letts_run_options_set_progress().
     * An exception thrown by the handler stops the wait (libletts then
     * reports LETTS_ERR_INTERRUPTED) and is rethrown here, as php-client lets
     * it propagate.
     *
     * @template T
     * @param \Closure(FFI\CData): T $call
     * @return T
     */
    public static function withProgress(\Closure $onProgress, \Closure $call): mixed
    {
        self::$progress[] = ['handler' => $onProgress, 'thrown' => null];
        $frame = array_key_last(self::$progress);
        try {
            $value = $call(self::progressTrampoline());
        } catch (\Throwable $e) {
            throw self::$progress[$frame]['thrown'] ?? $e;
        } finally {
            $thrown = self::$progress[$frame]['thrown'];
            array_pop(self::$progress);
        }
        if ($thrown !== null) {
            throw $thrown;
        }
        return $value;
    }

    /**
     * Run `$call` with `$observer` told about launch failures. `$host` is the
     * host argument as the caller passed it (php-client reports it raw), and
     * `$timeouts` the jobs' timeouts as written (Job::timeoutsAsWritten()),
     * likewise reported raw. The exception given to the observer is returned
     * by reported() during the call, so that the caller can throw that very
     * object.
     *
     * @template T
     * @param \Closure(): T $call
     * @param array<string, string> $timeouts
     * @return T
     */
    public static function observing(?\Closure $observer, int|string|null $host, \Closure $call, array $timeouts = []): mixed
    {
        self::$observers[] = ['observer' => $observer, 'host' => $host, 'timeouts' => $timeouts, 'reported' => null, 'status' => Errors::OK];
        try {
            return $call();
        } finally {
            array_pop(self::$observers);
        }
    }

    /** The exception the current call's observer was given (for the same status), if any. */
    public static function reported(int $status): ?LettsException
    {
        $i = array_key_last(self::$observers);
        return $i !== null && self::$observers[$i]['status'] === $status ? self::$observers[$i]['reported'] : null;
    }

    /** The trampoline installed on every libletts client handle of the binding. */
    public static function observerTrampoline(): FFI\CData
    {
        if (self::$observerTrampoline === null) {
            // Not owned by PHP: it must outlive every client handle.
            $slot = Native::ffi()->new('letts_launch_failure_fn[1]', false);
            $slot[0] = static function ($failure, $userData): void {
                self::onLaunchFailure($failure);
            };
            self::$observerTrampoline = $slot[0];
        }
        return self::$observerTrampoline;
    }

    private static function progressTrampoline(): FFI\CData
    {
        if (self::$progressTrampoline === null) {
            $slot = Native::ffi()->new('letts_progress_fn[1]', false);
            $slot[0] = static function ($hasValue, $value, $message, $userData): int {
                return self::onProgress((bool) $hasValue, (float) $value, Errors::str($message));
            };
            self::$progressTrampoline = $slot[0];
        }
        return self::$progressTrampoline;
    }

    private static function onProgress(bool $hasValue, float $value, ?string $message): int
    {
        $i = array_key_last(self::$progress);
        if ($i === null || self::$progress[$i]['handler'] === null) {
            return 0;
        }
        try {
            (self::$progress[$i]['handler'])($hasValue ? $value : null, $message);
            return 0;
        } catch (\Throwable $e) {
            // Never let an exception unwind through C: keep it, stop the wait.
            self::$progress[$i]['thrown'] = $e;
            return 1;
        }
    }

    private static function onLaunchFailure(FFI\CData $failure): void
    {
        $i = array_key_last(self::$observers);
        if ($i === null || self::$observers[$i]['observer'] === null) {
            return;
        }
        try {
            $report = self::launchFailure($failure, self::$observers[$i]['host'], self::$observers[$i]['timeouts']);
            self::$observers[$i]['reported'] = $report->exception;
            self::$observers[$i]['status'] = Native::ffi()->letts_error_status(Native::ffi()->letts_launch_failure_error($failure));
            (self::$observers[$i]['observer'])($report);
        } catch (\Throwable $e) {
            // A side channel: whatever the observer does, the call goes on.
            error_log('letts failure observer threw: ' . $e->getMessage());
        }
    }

    /** @param array<string, string> $timeouts */
    private static function launchFailure(FFI\CData $failure, int|string|null $rawHost, array $timeouts): LaunchFailure
    {
        $ffi = Native::ffi();
        $exception = Errors::fromError($ffi->letts_launch_failure_error($failure));
        if (!$exception instanceof LettsException) {
            // An argument or internal error: report it as php-client would a
            // refusal of the request.
            $exception = new \Letts\Exceptions\BadRequestException($exception->getMessage());
        }
        $method = (string) Errors::str($ffi->letts_launch_failure_method($failure));
        $d = json_decode((string) Errors::str($ffi->letts_launch_failure_json($failure)), true);
        $d = is_array($d) ? $d : [];
        $host = $d['host'] ?? null;
        if ($method !== 'runParallel') {
            $host = $rawHost;
        }
        return new LaunchFailure(
            exception: $exception,
            retryable: (bool) $ffi->letts_launch_failure_retryable($failure),
            method: $method,
            phase: (string) Errors::str($ffi->letts_launch_failure_phase($failure)),
            mission: (string) Errors::str($ffi->letts_launch_failure_mission($failure)),
            route: isset($d['route']) ? (string) $d['route'] : null,
            host: is_int($host) || is_string($host) ? $host : null,
            match: array_values(array_map('strval', is_array($d['match'] ?? null) ? $d['match'] : [])),
            lane: isset($d['lane']) ? (string) $d['lane'] : null,
            input: is_array($d['input'] ?? null) ? $d['input'] : [],
            files: is_array($d['files'] ?? null) ? array_map('strval', $d['files']) : [],
            timeout: $timeouts[isset($d['timeout']) ? (string) $d['timeout'] : '']
                ?? (isset($d['timeout']) ? (string) $d['timeout'] : null),
            missionId: Errors::str($ffi->letts_launch_failure_mission_id($failure)),
        );
    }
}
