<?php
declare(strict_types=1);

namespace Letts\Internal;

use FFI;
use Letts\Exceptions;
use Letts\Exceptions\LettsException;
use Letts\Result\RunResult;

/**
 * The one translation from a libletts error (letts_status + letts_error) to
 * a PHP exception. Each status of letts/common.h names its php-client class;
 * the statuses php-client has no class for become the SPL exception a PHP
 * caller expects (invalid argument → \InvalidArgumentException, not found →
 * \OutOfBoundsException, I/O, memory and internal failures →
 * \RuntimeException).
 */
final class Errors
{
    public const OK = 0;
    public const BAD_REQUEST = 1;
    public const AUTH = 2;
    public const CONFLICT = 3;
    public const BACKPRESSURE = 4;
    public const DISPATCH = 5;
    public const NETWORK = 6;
    public const WAIT_TIMEOUT = 7;
    public const STAGING = 8;
    public const CONFIG = 9;
    public const MISSING_ENV = 10;
    public const NO_MATCHING_DUGDALE = 11;
    public const MISSION_FAILED = 12;
    public const INTERRUPTED = 13;
    public const INVALID_ARGUMENT = 14;
    public const NOT_FOUND = 15;
    public const IO = 16;
    public const NO_MEMORY = 17;
    public const INTERNAL = 18;
    public const CANCELLED = 19;

    /**
     * The exception for a failed call: `$status` is what it returned and
     * `$holder` the `letts_error *` it filled in (NULL is accepted). The C
     * error is freed; the holder is reset to NULL so it can be reused.
     */
    public static function take(int $status, FFI\CData $holder): \Throwable
    {
        if (FFI::isNull($holder)) {
            return self::fromFields($status, self::str(Native::ffi()->letts_status_name($status)) ?? 'unknown', 0, null, null, null);
        }
        try {
            return self::fromError($holder);
        } finally {
            Native::ffi()->letts_error_free($holder);
            FFI::memset(FFI::addr($holder), 0, FFI::sizeof($holder));
        }
    }

    /**
     * The exception for a `const letts_error *` the caller does not own (a
     * launch failure's error); nothing is freed.
     */
    public static function fromError(FFI\CData $error): \Throwable
    {
        $ffi = Native::ffi();
        return self::fromFields(
            $ffi->letts_error_status($error),
            self::str($ffi->letts_error_message($error)) ?? '',
            $ffi->letts_error_http_status($error),
            self::str($ffi->letts_error_code($error)),
            self::str($ffi->letts_error_dugdale($error)),
            self::str($ffi->letts_error_details($error)),
        );
    }

    /** Throw the exception for `$status` when it is not LETTS_OK. */
    public static function check(int $status, FFI\CData $holder): void
    {
        if ($status !== self::OK) {
            throw self::take($status, $holder);
        }
    }

    /** The mapping itself, from the fields of a letts_error. */
    public static function fromFields(int $status, string $message, int $httpStatus, ?string $code,
                                      ?string $dugdale, ?string $detailsJson): \Throwable
    {
        $message = self::phpClientMessage($status, $message, $dugdale);
        $details = null;
        if ($detailsJson !== null && $detailsJson !== '') {
            $decoded = json_decode($detailsJson, true);
            $details = is_array($decoded) ? $decoded : null;
        }
        $e = match ($status) {
            self::BAD_REQUEST => new Exceptions\BadRequestException($message, $httpStatus),
            self::AUTH => new Exceptions\AuthException($message, $httpStatus),
            self::CONFLICT => new Exceptions\ConflictException($message, $httpStatus),
            self::BACKPRESSURE => new Exceptions\BackpressureException($message, $httpStatus),
            self::DISPATCH => new Exceptions\DispatchException($message, $httpStatus),
            self::NETWORK => new Exceptions\NetworkException($dugdale ?? '', $message),
            self::WAIT_TIMEOUT => new Exceptions\WaitTimeoutException($message),
            self::STAGING => new Exceptions\StagingException($message, $httpStatus),
            self::CONFIG => new Exceptions\ConfigException($message),
            self::MISSING_ENV => new Exceptions\MissingEnvException((string) ($details['name'] ?? '')),
            self::NO_MATCHING_DUGDALE => new Exceptions\NoMatchingDugdaleException($message),
            self::MISSION_FAILED => self::missionFailed($message, $dugdale, $details),
            self::INTERRUPTED => new Exceptions\InterruptedException($message),
            self::CANCELLED => new Exceptions\CancelledException($message),
            self::INVALID_ARGUMENT => new \InvalidArgumentException($message),
            self::NOT_FOUND => new \OutOfBoundsException($message),
            default => new \RuntimeException(self::genericMessage($status, $message)),
        };
        if ($e instanceof LettsException) {
            self::attach($e, $code, $dugdale, $details);
        }
        return $e;
    }

    /**
     * LETTS_ERR_MISSION_FAILED carries the terminal facts in its details
     * (outcome, fail_reason, fail_message, fail_details and, when the
     * client has it, the whole result under the same keys as a `done` event).
     *
     * @param array<string, mixed>|null $details
     */
    private static function missionFailed(string $message, ?string $dugdale, ?array $details): Exceptions\MissionFailedException
    {
        $d = $details ?? [];
        $result = isset($d['outcome']) ? RunResult::fromApiResponse($dugdale ?? '', $d) : null;
        return new Exceptions\MissionFailedException(
            outcome: (string) ($d['outcome'] ?? 'failed'),
            reason: isset($d['fail_reason']) ? (string) $d['fail_reason'] : null,
            failMessage: isset($d['fail_message']) ? (string) $d['fail_message'] : ($message !== '' ? $message : null),
            failDetails: is_array($d['fail_details'] ?? null) ? $d['fail_details'] : null,
            result: $result,
        );
    }

    /**
     * libletts starts the messages of errors that concern one dugdale with
     * "[<dugdale>] <operation>: " (e.g. "[s1] dispatch: queue_full: …");
     * php-client does not, so its callers may compare the rest. The prefix is
     * removed here: the dugdale stays available through getDugdale() (and
     * NetworkException puts "[<dugdale>] " back, as php-client does, keeping
     * the operation, which says what was being done when the transport failed).
     */
    public static function phpClientMessage(int $status, string $message, ?string $dugdale): string
    {
        if ($dugdale === null || $dugdale === '' || !str_starts_with($message, "[$dugdale] ")) {
            return $message;
        }
        $rest = substr($message, strlen($dugdale) + 3);
        if ($status === self::NETWORK) {
            return $rest;
        }
        return preg_replace('/^[a-z][a-z ]*: /', '', $rest, 1) ?? $rest;
    }

    private static function genericMessage(int $status, string $message): string
    {
        if ($message !== '') {
            return $message;
        }
        return 'libletts: ' . (self::str(Native::ffi()->letts_status_name($status)) ?? 'unknown') . ' error';
    }

    /** @param array<string, mixed>|null $details */
    private static function attach(LettsException $e, ?string $code, ?string $dugdale, ?array $details): void
    {
        // The fields are private to LettsException, so bind to its scope.
        \Closure::bind(static function (LettsException $e) use ($code, $dugdale, $details): void {
            $e->errorCode = $code;
            $e->dugdale = $dugdale;
            $e->details = $details;
        }, null, LettsException::class)($e);
    }

    /** A `const char *` result as a PHP string (FFI may hand over either). */
    public static function str(mixed $value): ?string
    {
        if ($value === null) {
            return null;
        }
        if ($value instanceof FFI\CData) {
            return FFI::isNull($value) ? null : FFI::string($value);
        }
        return (string) $value;
    }
}
