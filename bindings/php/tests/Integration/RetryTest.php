<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\DevServer;
use Letts\Exceptions\MissionFailedException;
use Letts\Result\RunResult;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Client::withRetry(), withCompletionObserver(), version() and metrics()
 * (issue 20 §3, §4) against a letts-devserver running shell missions that
 * fail (reason "flaky") until their third attempt, counting attempts in a
 * file.
 */
final class RetryTest extends TestCase
{
    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-retry');
        foreach (['flaky_run', 'flaky_fan', 'flaky_unlisted'] as $name) {
            $counter = self::$dir . "/$name.count";
            file_put_contents(self::$dir . "/$name", "#!/bin/sh\n"
                . "n=\$(cat '$counter' 2>/dev/null || echo 0); n=\$((n+1)); echo \$n > '$counter'\n"
                . "if [ \$n -lt 3 ]; then echo '{\"event\":\"fail\",\"message\":\"again\",\"reason\":\"flaky\"}' >&3; exit 1; fi\n"
                . "echo '{\"event\":\"success\"}' >&3\n");
            chmod(self::$dir . "/$name", 0755);
        }
        self::$srv = DevServer::start(self::$dir);
        self::$client = self::$srv->client(['retry_backoff' => [5]]);
    }

    public static function tearDownAfterClass(): void
    {
        self::$srv?->stop();
        self::$srv = null;
        Temp::remove(self::$dir);
    }

    private const POLICY = ['failReasons' => ['flaky'], 'outcomes' => ['crashed'], 'maxAttempts' => 4,
                            'backoff' => [100, 1000, 2.0, 0.5]];

    public function testRunRetriesByRestartAndReportsCompletionOnce(): void
    {
        $seen = [];
        $client = self::$client->withRetry(self::POLICY)->withCompletionObserver(function (RunResult $r) use (&$seen): void {
            $seen[] = $r;
        });
        $start = hrtime(true);
        $r = $client->run(mission: 'flaky_run', host: 'devserver', lane: 'default', waitTimeout: '60s');
        // Pauses of at least 50 and 100 ms (jitter 0.5).
        $this->assertGreaterThanOrEqual(150, (hrtime(true) - $start) / 1e6);
        $this->assertTrue($r->isSuccess());
        $ids = Client::attemptIds($r);
        $this->assertCount(3, $ids);
        $this->assertSame($r->missionId, $ids[2]);
        $this->assertSame('default', Client::laneOf($r));
        for ($i = 1; $i < 3; $i++) {
            $this->assertSame($ids[$i - 1], self::$client->getMission($ids[$i], 'devserver')?->restartedFrom);
        }
        $this->assertCount(1, $seen);
        $this->assertSame($ids, Client::attemptIds($seen[0]));
    }

    public function testUnlistedFailureIsNotRetried(): void
    {
        $seen = 0;
        $client = self::$client->withRetry(['failReasons' => ['other'], 'maxAttempts' => 3])
            ->withCompletionObserver(function () use (&$seen): void {
                $seen++;
            });
        try {
            $client->run(mission: 'flaky_unlisted', host: 'devserver', lane: 'default');
            $this->fail('expected MissionFailedException');
        } catch (MissionFailedException $e) {
            $this->assertCount(1, Client::attemptIds($e->getResult()));
        }
        $this->assertSame(1, $seen);
    }

    public function testFanOutRetriesAndReportsEachJobOnce(): void
    {
        $seen = [];
        $client = self::$client->withRetry(self::POLICY)->withCompletionObserver(function (RunResult $r) use (&$seen): void {
            $seen[] = count(Client::attemptIds($r));
        });
        $results = $client->runParallel([['mission' => 'flaky_fan', 'host' => 'devserver', 'lane' => 'default']], '60s');
        $this->assertTrue($results[0]->isSuccess());
        $this->assertCount(3, Client::attemptIds($results[0]->result));
        $this->assertSame([3], $seen);
    }

    public function testPolicyRefusesWhatIsNeverRetried(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        self::$client->withRetry(['outcomes' => ['killed']]);
    }

    public function testVersionAndMetrics(): void
    {
        $this->assertArrayHasKey('version', self::$client->version('devserver'));
        $this->assertIsString(self::$client->metrics('devserver'));
    }
}
