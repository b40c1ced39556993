<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\DevServer;
use Letts\Exceptions;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * The unique dispatch addition of Client (letts/unique.h) against a
 * letts-devserver: a vector of docs/unique-ids.md, repeated dispatches of
 * one key giving one mission, a payload conflict both ways, and the two
 * sides of a window boundary.
 */
final class UniqueDispatchTest extends TestCase
{
    private const HOUR_MS = 3600000;
    private const AT_MS = 1764806400000; // 2025-12-04T00:00:00Z

    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-unique');
        file_put_contents(self::$dir . '/php_unique', "#!/bin/sh\ncat >/dev/null; echo '{\"event\":\"success\"}' >&3\n");
        chmod(self::$dir . '/php_unique', 0755);
        self::$srv = DevServer::start(self::$dir);
        self::$client = self::$srv->client(['retry_backoff' => [5]]);
    }

    public static function tearDownAfterClass(): void
    {
        self::$srv?->stop();
        self::$srv = null;
        Temp::remove(self::$dir);
    }

    public function testUniqueIdIsTheDocumentedDerivation(): void
    {
        $this->assertSame('019ae6a8-9800-7059-a7a4-ac6240ea70b6', Client::uniqueId('invoice-42', self::HOUR_MS, 1764809999999));
        $this->assertSame('00000000-0000-7285-bdee-900cc4762dad', Client::uniqueId('invoice-42'));
        $this->expectException(\InvalidArgumentException::class);
        Client::uniqueId("invoice\0-42");
    }

    public function testOneMissionPerKeyAndConflictBothWays(): void
    {
        $want = Client::uniqueId('php-order-1', self::HOUR_MS, self::AT_MS);
        $dispatch = fn (array $input, bool $conflictIsError = true): string => self::$client->dispatchUnique(
            'php-order-1', 'php_unique', host: 'devserver', lane: 'default', input: $input,
            uniqueWindowMs: self::HOUR_MS, uniqueAtMs: self::AT_MS + 777, conflictIsError: $conflictIsError,
        );
        $this->assertSame([$want, $want, $want], [$dispatch(['n' => 1]), $dispatch(['n' => 1]), $dispatch(['n' => 1])]);
        try {
            $dispatch(['n' => 2]);
            $this->fail('another payload under the derived id must conflict');
        } catch (Exceptions\ConflictException $e) {
            $this->assertSame('devserver', $e->getDugdale());
        }
        $this->assertSame($want, $dispatch(['n' => 2], false));
        $this->assertSame($want, self::$client->getMission($want, host: 'devserver')->missionId);
    }

    public function testWindowBoundary(): void
    {
        $at = fn (int $ms): string => self::$client->dispatchUnique(
            'php-report', 'php_unique', host: 'devserver', lane: 'default',
            uniqueWindowMs: self::HOUR_MS, uniqueAtMs: $ms,
        );
        $first = $at(self::AT_MS);
        $this->assertSame($first, $at(self::AT_MS + self::HOUR_MS - 1));
        $next = $at(self::AT_MS + self::HOUR_MS);
        $this->assertNotSame($first, $next);
        $this->assertSame(Client::uniqueId('php-report', self::HOUR_MS, self::AT_MS + self::HOUR_MS), $next);
    }
}
