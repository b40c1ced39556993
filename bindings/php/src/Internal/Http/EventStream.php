<?php
declare(strict_types=1);

namespace Letts\Internal\Http;

use FFI;
use Letts\Exceptions\WaitTimeoutException;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * php-client's follower of a mission's event stream, over the library's
 * (letts_client_follow_events): the client's base URL, proxy, token,
 * timeouts, line cap and reconnect policy apply (reconnect from the last
 * seq; 3 consecutive reconnects without a new event, 1000 in all, the
 * client's `reconnect_backoff` pauses). Failures throw what php-client
 * throws: a 4xx answer its mapped exception at once (DispatchException
 * with the status as code for 404/410, AuthException, …), an exhausted
 * reconnect budget NetworkException, a passed deadline WaitTimeoutException.
 */
final class EventStream
{
    /** @var list<array{handler: \Closure, deadline: ?float, thrown: ?\Throwable}> */
    private static array $frames = [];
    private static ?FFI\CData $trampoline = null;

    public function __construct(private readonly HttpTransport $transport) {}

    /**
     * Follow `$path` (`/v1/missions/{id}/events`, with `follow=true` to tail
     * it to the `done` event and `from=<seq>` to start after a seq; no other
     * query parameter) and hand each event to `$onEvent`, which returns false
     * to stop. `$maxReconnects` must be at least 0; the library's budget
     * (3 consecutive event-less reconnects) applies whatever it is. The
     * deadline (microtime(true) seconds) is checked before the call and at
     * every event, so a stream silent past it ends only at its next event.
     *
     * @param \Closure(Event): bool $onEvent
     */
    public function follow(string $path, \Closure $onEvent, int $maxReconnects = 3, ?float $deadline = null): void
    {
        if ($maxReconnects < 0) {
            throw new \InvalidArgumentException("maxReconnects must not be negative, got $maxReconnects");
        }
        [$id, $from, $tail] = self::parsePath($path);
        self::checkDeadline($deadline);
        self::$frames[] = ['handler' => $onEvent, 'deadline' => $deadline, 'thrown' => null];
        $frame = array_key_last(self::$frames);
        try {
            $status = $this->transport->followEvents($id, $from, $tail, self::trampoline(), $err);
            $thrown = self::$frames[$frame]['thrown'];
        } finally {
            array_pop(self::$frames);
        }
        if ($thrown !== null) {
            throw $thrown;
        }
        if ($status === Errors::INTERRUPTED) {
            Errors::take($status, $err);  // the handler asked to stop: not a failure
            return;
        }
        Errors::check($status, $err);
    }

    /** @return array{0: string, 1: int, 2: bool} mission id, from seq, follow */
    private static function parsePath(string $path): array
    {
        if (preg_match('#\A/v1/missions/([^/?]+)/events(?:\?([^\#]*))?\z#', $path, $m) !== 1) {
            throw new \InvalidArgumentException("not a mission event stream path: $path");
        }
        parse_str($m[2] ?? '', $query);
        $unknown = array_diff(array_keys($query), ['follow', 'from']);
        if ($unknown !== []) {
            throw new \InvalidArgumentException('unsupported event stream parameter: ' . implode(', ', $unknown));
        }
        $from = $query['from'] ?? '0';
        if (!is_string($from) || preg_match('/\A[0-9]{1,18}\z/', $from) !== 1) {
            throw new \InvalidArgumentException('from must be a non-negative integer');
        }
        $follow = $query['follow'] ?? 'false';
        if (!is_string($follow) || !in_array($follow, ['true', 'false', '1', '0'], true)) {
            throw new \InvalidArgumentException('follow must be true or false');
        }
        return [rawurldecode($m[1]), (int) $from, $follow === 'true' || $follow === '1'];
    }

    private static function checkDeadline(?float $deadline): void
    {
        if ($deadline !== null && microtime(true) >= $deadline) {
            throw new WaitTimeoutException('wait-timeout exceeded before a terminal event');
        }
    }

    /**
     * One native trampoline for the process (PHP keeps every closure made
     * into a C function pointer until exit); it calls the handler of the
     * innermost follow() in progress.
     */
    private static function trampoline(): FFI\CData
    {
        if (self::$trampoline === null) {
            $slot = Native::ffi()->new('letts_event_fn[1]', false);
            $slot[0] = static function ($line, $len, $userData): int {
                // PHP hands a `const char *` argument over as a string (the
                // library's line is NUL-terminated); the length still rules.
                return self::onLine(is_string($line) ? substr($line, 0, (int) $len) : FFI::string($line, (int) $len));
            };
            self::$trampoline = $slot[0];
        }
        return self::$trampoline;
    }

    private static function onLine(string $line): int
    {
        $i = array_key_last(self::$frames);
        if ($i === null) {
            return 1;
        }
        try {
            $data = json_decode($line, true);
            if (is_array($data) && (self::$frames[$i]['handler'])(Event::fromJson($data)) === false) {
                return 1;
            }
            self::checkDeadline(self::$frames[$i]['deadline']);
            return 0;
        } catch (\Throwable $e) {
            // Never unwind through C: keep it, stop the stream, rethrow after.
            self::$frames[$i]['thrown'] = $e;
            return 1;
        }
    }
}
