<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

use Letts\DevServer;

/**
 * The event stream of a mission (GET /v1/missions/{id}/events?follow=true),
 * read line by line as the server sends it: the server ends it right after
 * the `done` event, so following it is how a test waits for a mission
 * without polling. A plain socket, because PHP's http:// wrapper buffers
 * reads and would hand the lines over kilobytes late.
 */
final class ReadmeEvents
{
    /**
     * The events of mission `$id` up to the first that `$until` accepts
     * (default: the `done` event) or the end of the stream.
     *
     * @param ?\Closure(array<string, mixed>): bool $until
     * @return list<array<string, mixed>>
     */
    public static function follow(DevServer $server, string $id, ?\Closure $until = null, float $seconds = 30.0): array
    {
        $until ??= static fn (array $e): bool => ($e['event'] ?? null) === 'done';
        $deadline = microtime(true) + $seconds;
        $s = @stream_socket_client('tcp://127.0.0.1:' . $server->port(), $errno, $errstr, $seconds);
        if ($s === false) {
            throw new \RuntimeException("cannot connect to {$server->url()}: $errstr");
        }
        try {
            fwrite($s, "GET /v1/missions/$id/events?follow=true HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                . "Authorization: Bearer {$server->dispatchToken()}\r\n\r\n");
            $line = static function () use ($s, $deadline, $id): string|false {
                $left = $deadline - microtime(true);
                if ($left <= 0) {
                    throw new \RuntimeException("events of $id: nothing matched in time");
                }
                stream_set_timeout($s, (int) ceil($left));
                $l = fgets($s);
                if ($l === false && stream_get_meta_data($s)['timed_out']) {
                    throw new \RuntimeException("events of $id: nothing matched in time");
                }
                return $l;
            };
            $status = (string) $line();
            if (!preg_match('/^HTTP\/\S+ 200\b/', $status)) {
                throw new \RuntimeException("GET /v1/missions/$id/events: $status" . stream_get_contents($s));
            }
            while (($header = $line()) !== false && rtrim($header, "\r\n") !== '') {
                if (preg_match('/^transfer-encoding:\s*chunked/i', $header)) {
                    stream_filter_append($s, 'dechunk', STREAM_FILTER_READ);
                }
            }
            $events = [];
            while (($l = $line()) !== false) {
                if (trim($l) === '') {
                    continue;
                }
                $event = (array) json_decode($l, true, 512, JSON_THROW_ON_ERROR);
                $events[] = $event;
                if ($until($event)) {
                    break;
                }
            }
            return $events;
        } finally {
            fclose($s);
        }
    }
}
