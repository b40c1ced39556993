<?php
declare(strict_types=1);

namespace Letts\Internal\Http;

use FFI;
use Letts\Exceptions\DispatchException;
use Letts\Internal\Native;

/**
 * What php-client's Client::rawTransportFor() returns: requests to one
 * dugdale with the token of one scope, for routes the client has no method
 * for. Here each goes through libletts' raw request (letts/request.h), so
 * it uses the client's base URL, proxy, TLS checks, timeouts and caps, and
 * fails with the exceptions every other call throws for the same answer.
 *
 * Unlike php-client's transport, GET and HEAD follow the client's retry
 * policy (network failures and retryable 5xx), as the library's reads do.
 * Built by Client::rawTransportFor() only.
 */
final class HttpTransport
{
    /**
     * @param \Closure(string, string, ?string, list<string>): RawResponse $send
     *        sends on the client this transport came from (and keeps it alive)
     * @param \Closure(string, int, bool, FFI\CData, FFI\CData): int $followEvents
     *        letts_client_follow_events() on that client for this host (mission
     *        id, from, follow, callback, error holder); EventStream's way in
     */
    public function __construct(
        private readonly string $host,
        private readonly \Closure $send,
        private readonly ?\Closure $followEvents = null,
    ) {}

    /**
     * `$method` `$path` with `$body` as its JSON body (null: none; for GET
     * and HEAD an empty array is none too, as a read carries no body) and
     * the extra headers `$extraHeaders` (name => value). Returns the decoded
     * JSON answer ([] for an empty body); a status of 400 or more throws the
     * mapped exception (BadRequestException, AuthException, ConflictException,
     * BackpressureException, DispatchException), a transport failure
     * NetworkException, an argument libletts refuses (a CR or LF in the path
     * or a header, an Authorization header) \InvalidArgumentException.
     *
     * @param array<string, mixed>|null $body
     * @param array<string, string>     $extraHeaders
     * @return array<mixed>
     */
    public function jsonRequest(
        string $method,
        string $path,
        ?array $body = null,
        array $extraHeaders = [],
    ): array {
        $json = null;
        if ($body !== null && !($body === [] && in_array($method, ['GET', 'HEAD'], true))) {
            $json = json_encode($body, JSON_THROW_ON_ERROR);
        }
        $answer = ($this->send)($method, $path, $json, self::headerLines($extraHeaders));
        if ($answer->status >= 400 && $answer->error !== null) {
            throw $answer->error;
        }
        if ($answer->body === '') {
            return [];
        }
        $decoded = json_decode($answer->body, true, flags: JSON_THROW_ON_ERROR);
        if (!is_array($decoded)) {
            throw new DispatchException("HTTP $answer->status: the answer is JSON but not an object or array", $answer->status);
        }
        return $decoded;
    }

    /**
     * HEAD `$path` (a staging object): its upload state from the answer's
     * headers. A 404 is returned (status only), any other status of 400 or
     * more throws the mapped exception, a transport failure NetworkException.
     *
     * @return array{status: int, uploadStatus: ?string, bytesReceived: ?int, totalSize: ?int}
     */
    public function head(string $path): array
    {
        $answer = ($this->send)('HEAD', $path, null, []);
        if ($answer->status === 404) {
            return ['status' => 404, 'uploadStatus' => null, 'bytesReceived' => null, 'totalSize' => null];
        }
        if ($answer->status >= 400 && $answer->error !== null) {
            throw $answer->error;
        }
        $received = $answer->headers['x-letts-bytes-received'] ?? null;
        $total = $answer->headers['x-letts-total-size'] ?? null;
        return [
            'status' => $answer->status,
            'uploadStatus' => $answer->headers['x-letts-upload-status'] ?? null,
            'bytesReceived' => $received !== null ? (int) $received : null,
            'totalSize' => $total !== null ? (int) $total : null,
        ];
    }

    /**
     * @internal EventStream's call: follow the events of mission `$id` from
     * seq `$from` with the `letts_event_fn` `$fn`; returns the letts status,
     * `$err` the error holder it filled in.
     */
    public function followEvents(string $id, int $from, bool $follow, FFI\CData $fn, ?FFI\CData &$err): int
    {
        if ($this->followEvents === null) {
            throw new \LogicException('this transport cannot follow event streams');
        }
        $err = Native::errorHolder();
        return ($this->followEvents)($id, $from, $follow, $fn, $err);
    }

    /** The dugdale id (or alias) this transport was made for. */
    public function host(): string
    {
        return $this->host;
    }

    /**
     * @param array<string, string> $headers
     * @return list<string>
     */
    private static function headerLines(array $headers): array
    {
        $lines = [];
        foreach ($headers as $name => $value) {
            $lines[] = "$name: $value";
        }
        return $lines;
    }
}
