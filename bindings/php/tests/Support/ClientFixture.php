<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

use Letts\Client;
use Letts\DevServer;

/**
 * Two letts-devservers running the PHP missions of tests/missions and a
 * letts.yaml that names them: "a" (labels prod, eu) and "b" (prod, us) with
 * their own tokens; "wrongkey" (server a with a wrong token, label staging)
 * and "down" (nobody listening, label staging).
 */
final class ClientFixture
{
    public readonly string $configPath;

    private function __construct(
        public readonly DevServer $a,
        public readonly DevServer $b,
        private readonly string $dir,
    ) {
        $this->configPath = $dir . '/letts.yaml';
        $yaml = "dugdales:\n"
            . self::entry('a', $a->url(), ['prod', 'eu'], $a->dispatchToken(), $a->adminToken())
            . self::entry('b', $b->url(), ['prod', 'us'], $b->dispatchToken(), $b->adminToken())
            . self::entry('wrongkey', $a->url(), ['staging'], 'not-the-token', 'not-the-admin-token')
            . self::entry('down', 'http://127.0.0.1:1', ['staging'], 'x', 'y');
        file_put_contents($this->configPath, $yaml);
        chmod($this->configPath, 0600);
    }

    public static function start(): self
    {
        $missions = __DIR__ . '/../missions';
        $a = PhpDevServer::start($missions);
        $b = PhpDevServer::start($missions);
        return new self($a, $b, Temp::dir('letts-client-fixture'));
    }

    /** A client with short retry pauses (the "down" dugdale is retried). */
    public function client(?\Closure $onLaunchFailure = null): Client
    {
        return Client::fromConfig($this->configPath, ['retry_backoff' => [5, 5]], onLaunchFailure: $onLaunchFailure);
    }

    public function stop(): void
    {
        $this->a->stop();
        $this->b->stop();
        Temp::remove($this->dir);
    }

    /** A fresh lowercase UUIDv7, as a caller-supplied mission id. */
    public static function uuidv7(): string
    {
        $time = str_pad(dechex((int) (microtime(true) * 1000)), 12, '0', STR_PAD_LEFT);
        $rand = bin2hex(random_bytes(10));
        return sprintf('%s-%s-7%s-%x%s-%s', substr($time, 0, 8), substr($time, 8, 4), substr($rand, 0, 3),
            8 | (hexdec($rand[3]) & 3), substr($rand, 4, 3), substr($rand, 7, 12));
    }

    /** @param list<string> $labels */
    private static function entry(string $id, string $url, array $labels, string $token, string $admin): string
    {
        return "  - id: $id\n    url: $url\n    labels: [" . implode(', ', $labels) . "]\n"
            . "    token: \"$token\"\n    admin_token: \"$admin\"\n    lanes:\n      default: {concurrency: 4}\n";
    }
}
