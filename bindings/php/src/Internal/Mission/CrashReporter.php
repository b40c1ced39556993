<?php
declare(strict_types=1);

namespace Letts\Internal\Mission;

use FFI;

/**
 * Under dugdale, turns what PHP itself ends a script with into a `fail`
 * event, unless a terminal event was already written:
 *
 *  - an uncaught Throwable → reason "uncaught_exception", details with its
 *    class, file, line and trace; exit 1;
 *  - a fatal error (E_ERROR, E_PARSE, E_CORE_ERROR, E_COMPILE_ERROR,
 *    E_USER_ERROR) → "php_memory_limit" when its message mentions memory,
 *    "php_fatal_error" otherwise; details with file, line and type. A 64 KiB
 *    reserve is released first so the handler can still run after the
 *    memory limit was hit.
 */
final class CrashReporter
{
    private const RESERVE_BYTES = 65536;
    private const FATAL_TYPES = [E_ERROR, E_PARSE, E_CORE_ERROR, E_COMPILE_ERROR, E_USER_ERROR];
    /** Caps that keep a huge message or trace within dugdale's 1 MiB event line. */
    private const MAX_MESSAGE = 65536;
    private const MAX_TRACE = 262144;

    private ?string $reserve;

    private function __construct(
        private readonly FFI $ffi,
        private readonly FFI\CData $handle,
    ) {
        $this->reserve = str_repeat("\0", self::RESERVE_BYTES);
    }

    public static function install(FFI $ffi, FFI\CData $handle): self
    {
        $r = new self($ffi, $handle);
        set_exception_handler(function (\Throwable $e) use ($r): void {
            $r->uncaught($e);
        });
        register_shutdown_function(function () use ($r): void {
            $r->shutdown();
        });
        return $r;
    }

    public function uncaught(\Throwable $e): never
    {
        $this->report($e->getMessage(), 'uncaught_exception', [
            'class' => $e::class,
            'file' => $e->getFile(),
            'line' => $e->getLine(),
            'trace' => self::cap($e->getTraceAsString(), self::MAX_TRACE),
        ]);
        exit(1);
    }

    public function shutdown(): void
    {
        $this->reserve = null;
        $error = error_get_last();
        if ($error === null || !in_array($error['type'], self::FATAL_TYPES, true)) {
            return;
        }
        $reason = stripos($error['message'], 'memory') !== false ? 'php_memory_limit' : 'php_fatal_error';
        $this->report($error['message'], $reason, [
            'file' => $error['file'],
            'line' => $error['line'],
            'type' => $error['type'],
        ]);
    }

    /** @param array<string, mixed> $details */
    private function report(string $message, string $reason, array $details): void
    {
        if ($this->ffi->letts_mission_ended($this->handle) !== 0) {
            return;
        }
        $json = json_encode($details, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR);
        $this->ffi->letts_mission_fail($this->handle, self::cap(self::utf8($message), self::MAX_MESSAGE), $reason,
            $json === false ? null : $json, 1, null);
    }

    /** `$text` with invalid UTF-8 sequences replaced by U+FFFD. */
    private static function utf8(string $text): string
    {
        $json = json_encode($text, JSON_INVALID_UTF8_SUBSTITUTE);
        return $json === false ? '' : (string) json_decode($json);
    }

    private static function cap(string $text, int $bytes): string
    {
        if (strlen($text) <= $bytes) {
            return $text;
        }
        // A character cut in two becomes U+FFFD.
        return self::utf8(substr($text, 0, $bytes)) . '… (truncated)';
    }
}
