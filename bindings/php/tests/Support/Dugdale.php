<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

use Letts\DevServer;

/**
 * The HTTP API of a devserver (http-api.md) through PHP's own http://
 * stream wrapper, for tests that dispatch and watch missions until
 * Letts\Client is available. Every wait polls against a deadline.
 */
final class Dugdale
{
    public function __construct(private readonly DevServer $server)
    {
    }

    /**
     * @param array<string, string> $headers
     * @return array{status: int, body: string}
     */
    public function request(string $method, string $path, ?string $token, ?string $body = null, array $headers = []): array
    {
        $lines = [];
        if ($token !== null) {
            $lines[] = "Authorization: Bearer $token";
        }
        foreach ($headers as $name => $value) {
            $lines[] = "$name: $value";
        }
        $http = ['method' => $method, 'ignore_errors' => true, 'timeout' => 30, 'protocol_version' => 1.1,
                 'header' => implode("\r\n", [...$lines, 'Connection: close'])];
        if ($body !== null) {
            $http['content'] = $body;
        }
        $result = @file_get_contents($this->server->url() . $path, false, stream_context_create(['http' => $http]));
        if ($result === false || !isset($http_response_header[0])) {
            throw new \RuntimeException("$method $path: no response");
        }
        preg_match('/^HTTP\/\S+ (\d+)/', $http_response_header[0], $m);
        return ['status' => (int) $m[1], 'body' => $result];
    }

    /** @return array<string, mixed> */
    private function json(string $method, string $path, ?string $token, int $expect, ?string $body = null, array $headers = []): array
    {
        $r = $this->request($method, $path, $token, $body, $headers);
        if ($r['status'] !== $expect) {
            throw new \RuntimeException("$method $path: expected HTTP $expect, got {$r['status']}: {$r['body']}");
        }
        return (array) json_decode($r['body'], true, 512, JSON_THROW_ON_ERROR);
    }

    public static function uuidv7(): string
    {
        $ms = (int) (microtime(true) * 1000);
        $bytes = pack('J', $ms << 16) . random_bytes(10);
        $bytes = substr($bytes, 0, 6) . substr($bytes, 8);
        $bytes[6] = chr(0x70 | (ord($bytes[6]) & 0x0f));
        $bytes[8] = chr(0x80 | (ord($bytes[8]) & 0x3f));
        $hex = bin2hex($bytes);
        return sprintf('%s-%s-%s-%s-%s', substr($hex, 0, 8), substr($hex, 8, 4), substr($hex, 12, 4), substr($hex, 16, 4), substr($hex, 20));
    }

    /**
     * POST /v1/dispatch; returns the mission id.
     *
     * @param array<string, string> $files role => staging id
     */
    public function dispatch(string $mission, mixed $input = null, array $files = [], string $lane = 'default',
                             ?string $timeout = null): string
    {
        $id = self::uuidv7();
        $body = ['mission' => $mission, 'lane' => $lane, 'input' => $input];
        if ($timeout !== null) {
            $body['timeout'] = $timeout;
        }
        foreach ($files as $role => $stagingId) {
            $body['files'][] = ['role' => $role, 'staging_id' => $stagingId];
        }
        $this->json('POST', '/v1/dispatch', $this->server->dispatchToken(), 202,
            json_encode($body, JSON_THROW_ON_ERROR), ['Idempotency-Key' => $id, 'Content-Type' => 'application/json']);
        return $id;
    }

    /** @return array<string, mixed> the mission resource */
    public function mission(string $id): array
    {
        return $this->json('GET', "/v1/missions/$id", $this->server->adminToken(), 200);
    }

    /** @return array<string, mixed> the mission resource once its status is `$status` */
    public function waitStatus(string $id, string $status, float $seconds = 60.0): array
    {
        $deadline = microtime(true) + $seconds;
        for (;;) {
            $m = $this->mission($id);
            if (($m['status'] ?? null) === $status) {
                return $m;
            }
            if (microtime(true) > $deadline) {
                throw new \RuntimeException("mission $id not $status within $seconds s: " . json_encode($m));
            }
            usleep(20000);
        }
    }

    /** @return list<array<string, mixed>> every event recorded so far */
    public function events(string $id): array
    {
        $r = $this->request('GET', "/v1/missions/$id/events", $this->server->dispatchToken());
        $events = [];
        foreach (explode("\n", $r['body']) as $line) {
            if ($line !== '') {
                $events[] = (array) json_decode($line, true, 512, JSON_THROW_ON_ERROR);
            }
        }
        return $events;
    }

    /** Polls the events until one matches. @return array<string, mixed> */
    public function waitEvent(string $id, \Closure $matches, float $seconds = 60.0): array
    {
        $deadline = microtime(true) + $seconds;
        for (;;) {
            foreach ($this->events($id) as $e) {
                if ($matches($e)) {
                    return $e;
                }
            }
            if (microtime(true) > $deadline) {
                throw new \RuntimeException("no matching event for $id within $seconds s: " . json_encode($this->events($id)));
            }
            usleep(20000);
        }
    }

    public function output(string $id, string $stream): string
    {
        return $this->request('GET', "/v1/missions/$id/output?stream=$stream", $this->server->dispatchToken())['body'];
    }

    public function kill(string $id): void
    {
        $this->json('POST', "/v1/missions/$id/kill", $this->server->adminToken(), 200, '{"signal":"TERM"}');
    }

    /** PUT /v1/staging/{id} of `$bytes`; returns the staging id. */
    public function stage(string $bytes): string
    {
        $id = self::uuidv7();
        $this->json('PUT', "/v1/staging/$id", $this->server->dispatchToken(), 201, $bytes,
            ['X-Letts-Sha256' => hash('sha256', $bytes), 'Content-Type' => 'application/octet-stream',
             'Content-Length' => (string) strlen($bytes)]);
        return $id;
    }

    public function download(string $stagingId): string
    {
        $r = $this->request('GET', "/v1/staging/$stagingId", $this->server->dispatchToken());
        if ($r['status'] !== 200) {
            throw new \RuntimeException("GET /v1/staging/$stagingId: HTTP {$r['status']}: {$r['body']}");
        }
        return $r['body'];
    }
}
