<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * php-client takes durations as text; libletts takes int64 milliseconds
 * everywhere. The conversions, each with the grammar and message the PHP
 * caller knows.
 */
final class Durations
{
    private const UNIT_MS = ['ms' => 1, 's' => 1_000, 'm' => 60_000, 'h' => 3_600_000];

    /**
     * A waitTimeout in php-client's grammar, ^(\d+)(ms|s|m|h)$ (one integer,
     * one unit), as libletts milliseconds. null and "" mean no deadline (0).
     * A zero value ("0s") is a deadline that has already passed, as in
     * php-client, so it becomes 1 ms: 0 would mean "no deadline" to libletts.
     *
     * @throws \InvalidArgumentException "invalid duration: <value>", before anything is sent
     */
    public static function waitTimeoutMs(?string $waitTimeout): int
    {
        if ($waitTimeout === null || $waitTimeout === '') {
            return 0;
        }
        // \z, not $: a trailing newline is not part of the grammar.
        if (preg_match('/^(\d+)(ms|s|m|h)\z/', $waitTimeout, $m) !== 1) {
            throw new \InvalidArgumentException("invalid duration: $waitTimeout");
        }
        $digits = ltrim($m[1], '0');
        $value = $digits === '' ? 0 : filter_var($digits, FILTER_VALIDATE_INT);
        $factor = self::UNIT_MS[$m[2]];
        if ($value === false || $value > intdiv(PHP_INT_MAX, $factor)) {
            throw new \InvalidArgumentException("invalid duration: $waitTimeout");
        }
        return max(1, $value * $factor);
    }

    /**
     * A job's `timeout` in Go duration syntax ("30s", "1h30m", "2.5s") as
     * milliseconds, converted by libletts (letts_duration_parse_ms).
     *
     * @throws \InvalidArgumentException "invalid duration: <value>"
     */
    public static function timeoutMs(string $timeout): int
    {
        $ffi = Native::ffi();
        $ms = $ffi->new('int64_t');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_duration_parse_ms($timeout, FFI::addr($ms), FFI::addr($err)), $err);
        return (int) $ms->cdata;
    }

    /**
     * Run options carrying `$waitMs` (0: none) for the fan-out calls; the
     * caller frees them with letts_run_options_free().
     */
    public static function runOptions(int $waitMs): FFI\CData
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $options = $ffi->new('letts_run_options *');
        Errors::check($ffi->letts_run_options_new(FFI::addr($options), FFI::addr($err)), $err);
        $status = $ffi->letts_run_options_set_wait_timeout_ms($options, $waitMs, FFI::addr($err));
        if ($status !== Errors::OK) {
            $ffi->letts_run_options_free($options);
            Errors::check($status, $err);
        }
        return $options;
    }
}
