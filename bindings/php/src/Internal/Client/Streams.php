<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * The two streaming reads of letts/mission_info.h — a mission's events
 * (letts_client_follow_events) and its captured output
 * (letts_client_stream_output) — handing each line or chunk to a PHP
 * closure during the call.
 *
 * Both are declared here with `const unsigned char *` data, not the
 * header's `const char *`: PHP's FFI would turn a `char *` argument into a
 * string with strlen(), cutting output at its first NUL byte. As for
 * Callbacks, there is one trampoline for the process (PHP keeps every
 * closure-to-C conversion until the process ends) and a stack of the
 * handlers of the calls in progress; libletts calls back only on the
 * calling thread, during the call, so the top is always the right one.
 */
final class Streams
{
    /** @var list<array{handler: \Closure, thrown: ?\Throwable, stopped: bool}> */
    private static array $handlers = [];
    private static ?FFI $raw = null;
    private static ?FFI\CData $trampoline = null;

    /**
     * Events of mission `$id` with seq > `$from`, each decoded and given to
     * `$onEvent(array $event)`; `$follow` follows them to `done`. The handler
     * returns false to stop (then this returns normally); what it throws
     * stops the stream and is rethrown. `$exec`: the job is an exec, read
     * with the exec token (letts_client_exec_follow_events).
     */
    public static function events(FFI\CData $client, string $host, string $id, int $from, bool $follow, \Closure $onEvent,
                                  bool $exec = false): void
    {
        $native = $exec ? 'letts_client_exec_follow_events' : 'letts_client_follow_events';
        $decode = static function (string $line) use ($onEvent): mixed {
            // The line is bounded by the client's max_event_line_bytes, and
            // json_decode() by its depth limit (PHP's default, 512).
            return $onEvent((array) json_decode($line, true, 512, JSON_THROW_ON_ERROR));
        };
        self::call($decode, static fn (FFI $raw, FFI\CData $fn, FFI\CData $err): int =>
            $raw->{$native}($client, $host, $id, $from, $follow ? 1 : 0, $fn, null, FFI::addr($err)));
    }

    /**
     * The captured `$stream` ("stdout", "stderr", "combined") of mission
     * `$id`, chunk by chunk (binary-safe) to `$onBytes(string $chunk)`;
     * stopping, exceptions and `$exec` as events().
     */
    public static function output(FFI\CData $client, string $host, string $id, string $stream, bool $follow, \Closure $onBytes,
                                  bool $exec = false): void
    {
        $native = $exec ? 'letts_client_exec_stream_output' : 'letts_client_stream_output';
        self::call($onBytes, static fn (FFI $raw, FFI\CData $fn, FFI\CData $err): int =>
            $raw->{$native}($client, $host, $id, $stream, $follow ? 1 : 0, $fn, null, FFI::addr($err)));
    }

    /** @param \Closure(FFI, FFI\CData, FFI\CData): int $call */
    private static function call(\Closure $handler, \Closure $call): void
    {
        self::$handlers[] = ['handler' => $handler, 'thrown' => null, 'stopped' => false];
        $frame = array_key_last(self::$handlers);
        $err = Native::errorHolder();
        try {
            $status = $call(self::raw(), self::trampoline(), $err);
        } finally {
            $top = self::$handlers[$frame];
            array_pop(self::$handlers);
        }
        if ($top['thrown'] !== null) {
            Native::ffi()->letts_error_free($err);
            throw $top['thrown'];
        }
        if ($status === Errors::INTERRUPTED && $top['stopped']) {
            Native::ffi()->letts_error_free($err);
            return;
        }
        Errors::check($status, $err);
    }

    private static function raw(): FFI
    {
        Native::ffi();
        return self::$raw ??= FFI::cdef(
            'typedef unsigned long size_t;'
            . ' typedef int (*letts_chunk_fn)(const unsigned char *data, size_t len, void *user_data);'
            . ' int letts_client_follow_events(const void *client, const char *host, const char *id,'
            . ' int64_t from, int follow, letts_chunk_fn fn, void *user_data, void **err);'
            . ' int letts_client_stream_output(const void *client, const char *host, const char *id,'
            . ' const char *stream, int follow, letts_chunk_fn fn, void *user_data, void **err);'
            . ' int letts_client_exec_follow_events(const void *client, const char *host, const char *id,'
            . ' int64_t from, int follow, letts_chunk_fn fn, void *user_data, void **err);'
            . ' int letts_client_exec_stream_output(const void *client, const char *host, const char *id,'
            . ' const char *stream, int follow, letts_chunk_fn fn, void *user_data, void **err);',
            (string) Native::loadedLibrary());
    }

    private static function trampoline(): FFI\CData
    {
        if (self::$trampoline === null) {
            // Not owned by PHP: it lives as long as the process.
            $slot = self::raw()->new('letts_chunk_fn[1]', false);
            $slot[0] = static function ($data, $len, $userData): int {
                return self::deliver($len > 0 ? FFI::string($data, $len) : '');
            };
            self::$trampoline = $slot[0];
        }
        return self::$trampoline;
    }

    private static function deliver(string $chunk): int
    {
        $i = array_key_last(self::$handlers);
        if ($i === null) {
            return 1;
        }
        try {
            if ((self::$handlers[$i]['handler'])($chunk) === false) {
                self::$handlers[$i]['stopped'] = true;
                return 1;
            }
            return 0;
        } catch (\Throwable $e) {
            // Never let an exception unwind through C: keep it, stop the stream.
            self::$handlers[$i]['thrown'] = $e;
            return 1;
        }
    }
}
