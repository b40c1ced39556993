<?php
declare(strict_types=1);

namespace Letts\Internal\Http;

use FFI;
use Letts\Config\Scope;
use Letts\Internal\Client\CStringArray;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * The answer to one letts_client_request, copied out of its letts_response
 * (which is freed): status, headers (lower-case names), body, and the
 * exception every other call of the binding throws for that answer (null
 * for a 2xx).
 */
final class RawResponse
{
    /** @param array<string, string> $headers */
    private function __construct(
        public readonly int $status,
        public readonly array $headers,
        public readonly string $body,
        public readonly ?\Throwable $error,
    ) {}

    /**
     * Sends the request on `$client` (a `letts_client *`) and copies the
     * answer; a call that gets no answer throws its mapped exception.
     *
     * @param list<string> $headers "Name: value" lines
     */
    public static function fetch(FFI\CData $client, string $host, Scope $scope, string $method, string $path,
                                 ?string $jsonBody, array $headers): self
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $out = $ffi->new('letts_response *');
        $lines = new CStringArray(array_values($headers));
        Errors::check($ffi->letts_client_request($client, $host, self::nativeScope($scope), $method, $path, $jsonBody,
            $lines->pointers(), $lines->count(), FFI::addr($out), FFI::addr($err)), $err);
        try {
            return new self(
                (int) $ffi->letts_response_status($out),
                self::headers($out),
                self::body($out),
                self::error($out, $method, $path),
            );
        } finally {
            $ffi->letts_response_free($out);
        }
    }

    /** The letts_scope value of letts/request.h. */
    private static function nativeScope(Scope $scope): int
    {
        return match ($scope) {
            Scope::Dispatch => 1,
            Scope::Admin => 2,
            Scope::Exec => 3,
        };
    }

    /** @return array<string, string> */
    private static function headers(FFI\CData $response): array
    {
        $ffi = Native::ffi();
        $out = [];
        $count = $ffi->letts_response_header_count($response);
        for ($i = 0; $i < $count; $i++) {
            $out[(string) Errors::str($ffi->letts_response_header_name($response, $i))]
                = (string) Errors::str($ffi->letts_response_header_value($response, $i));
        }
        return $out;
    }

    /** The body with any NUL bytes in it (PHP would cut a `char *` at the first). */
    private static function body(FFI\CData $response): string
    {
        $raw = Native::bytes();
        $len = $raw->new('size_t');
        $p = $raw->letts_response_body($response, FFI::addr($len));
        return $p === null || FFI::isNull($p) ? '' : FFI::string($p, (int) $len->cdata);
    }

    /**
     * letts_response_check's exception. libletts names the request in the
     * message ("[<dugdale>] GET /v1/x: HTTP 404: ..."); php-client's
     * message is the rest, so the prefix goes (getDugdale() keeps the id).
     */
    private static function error(FFI\CData $response, string $method, string $path): ?\Throwable
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $status = $ffi->letts_response_check($response, FFI::addr($err));
        if ($status === Errors::OK) {
            return null;
        }
        if (FFI::isNull($err)) {
            return Errors::take($status, $err);
        }
        try {
            $dugdale = Errors::str($ffi->letts_error_dugdale($err));
            $message = (string) Errors::str($ffi->letts_error_message($err));
            $shown = strlen($path) > 256 ? substr($path, 0, 256) . '...' : $path;
            $prefix = "[$dugdale] $method $shown: ";
            if (str_starts_with($message, $prefix)) {
                $message = substr($message, strlen($prefix));
            }
            return Errors::fromFields($status, $message, $ffi->letts_error_http_status($err),
                Errors::str($ffi->letts_error_code($err)), $dugdale, Errors::str($ffi->letts_error_details($err)));
        } finally {
            $ffi->letts_error_free($err);
        }
    }
}
