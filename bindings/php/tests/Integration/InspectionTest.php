<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\DevServer;
use Letts\Exceptions\AuthException;
use Letts\Exceptions\DispatchException;
use Letts\Exceptions\NetworkException;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * The C API's inspection calls as Client additions — followEvents(),
 * streamOutput() (letts/mission_info.h), dugdaleInfo(), lanes(),
 * pauseLane()/continueLane(), adminApply()/adminState(), health(), ready()
 * (letts/dugdale.h) — against a letts-devserver running shell missions.
 */
final class InspectionTest extends TestCase
{
    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-inspect');
        $missions = [
            // Three progress events, binary stdout (a NUL byte), a line of stderr.
            'inspect_steps' => "cat >/dev/null\nfor i in 1 2 3; do printf '{\"event\":\"progress\",\"message\":\"step %s\"}\\n' \$i >&3; done\n"
                . "printf 'a\\000b\\n'\necho oops >&2\nprintf '{\"event\":\"success\",\"return\":{\"ok\":true}}\\n' >&3\n",
        ];
        foreach ($missions as $name => $body) {
            file_put_contents(self::$dir . "/$name", "#!/bin/sh\n$body");
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

    private static function finished(): string
    {
        return self::$client->run(mission: 'inspect_steps', host: 'devserver', lane: 'default')->missionId;
    }

    /** @return list<array<string, mixed>> */
    private static function events(string $id, int $from = 0, bool $follow = true): array
    {
        $events = [];
        self::$client->followEvents($id, 'devserver', function (array $e) use (&$events): void {
            $events[] = $e;
        }, $from, $follow);
        return $events;
    }

    public function testFollowEventsDeliversEveryEventInOrder(): void
    {
        $id = self::finished();
        $events = self::events($id);
        $progress = array_values(array_filter($events, static fn ($e) => $e['event'] === 'progress'));
        $this->assertSame(['step 1', 'step 2', 'step 3'], array_column($progress, 'message'));
        $seqs = array_column($events, 'seq');
        $sorted = $seqs;
        sort($sorted);
        $this->assertSame($sorted, $seqs);
        $this->assertCount(count($seqs), array_unique($seqs));
        $this->assertSame('done', end($events)['event']);
        // From a seq on: only what came after it; without follow: the same, read once.
        $from = $progress[0]['seq'];
        $this->assertSame(array_values(array_filter($events, static fn ($e) => $e['seq'] > $from)), self::events($id, $from, false));
    }

    public function testFollowEventsStopsWhenTheHandlerReturnsFalseAndRethrows(): void
    {
        $id = self::finished();
        $seen = 0;
        self::$client->followEvents($id, 'devserver', function () use (&$seen): bool {
            $seen++;
            return false;
        });
        $this->assertSame(1, $seen);
        $thrown = new \DomainException('mine');
        try {
            self::$client->followEvents($id, 'devserver', static fn () => throw $thrown);
            $this->fail('not rethrown');
        } catch (\DomainException $e) {
            $this->assertSame($thrown, $e);
        }
        $this->expectException(DispatchException::class);
        self::$client->followEvents('0190f0f0-0000-7000-8000-000000000000', 'devserver', static fn () => null);
    }

    public function testStreamOutputIsBinarySafe(): void
    {
        $id = self::finished();
        $out = '';
        self::$client->streamOutput($id, 'devserver', function (string $chunk) use (&$out): void {
            $out .= $chunk;
        });
        $this->assertSame("a\0b\n", $out);
        $err = '';
        self::$client->streamOutput($id, 'devserver', function (string $chunk) use (&$err): void {
            $err .= $chunk;
        }, 'stderr', follow: true);
        $this->assertSame("oops\n", $err);
        $combined = '';
        self::$client->streamOutput($id, 'devserver', function (string $chunk) use (&$combined): void {
            $combined .= $chunk;
        }, 'combined');
        $records = array_map(static fn ($l) => json_decode($l, true), array_filter(explode("\n", $combined)));
        $this->assertNotEmpty($records);
        $this->assertContainsOnly('array', $records);
    }

    public function testDugdaleInfoLanesHealthAndReady(): void
    {
        $this->assertNotSame([], self::$client->dugdaleInfo('devserver'));
        $this->assertSame('ok', self::$client->health('devserver')['status']);
        $ready = self::$client->ready('devserver');
        $this->assertSame('ok', $ready['status']);
        $this->assertIsInt($ready['applied_at']);
        $lanes = self::lane('default');
        $this->assertFalse($lanes['paused']);
    }

    /** @return array<string, mixed> lane `$name` of lanes() */
    private static function lane(string $name): array
    {
        $answer = self::$client->lanes('devserver');
        foreach ($answer['lanes'] ?? $answer as $lane) {
            if (is_array($lane) && ($lane['name'] ?? null) === $name) {
                return $lane;
            }
        }
        throw new \RuntimeException("no lane $name in " . json_encode($answer));
    }

    public function testPauseAndContinueLane(): void
    {
        self::$client->pauseLane('devserver', 'default');
        try {
            $this->assertTrue(self::lane('default')['paused']);
            $id = self::$client->dispatch(mission: 'inspect_steps', host: 'devserver', lane: 'default');
            $this->assertSame('queued', self::$client->getMission($id, 'devserver')?->status);
        } finally {
            self::$client->continueLane('devserver', 'default');
        }
        $this->assertFalse(self::lane('default')['paused']);
        $this->assertSame(['ok' => true], self::$client->wait($id, 'devserver', waitTimeout: '30s')->return);
    }

    public function testAdminStateAndApply(): void
    {
        $answer = self::$client->adminState('devserver');
        $this->assertIsInt($answer['applied_at']);
        $state = array_filter($answer['state'], static fn ($v) => $v !== null);
        $this->assertSame(['default' => ['concurrency' => 4]], $state['lanes']);
        $state['lanes'] = ['default' => ['concurrency' => 3], 'extra' => ['concurrency' => 1]];
        self::$client->adminApply('devserver', $state);
        $this->assertSame(3, self::lane('default')['concurrency']);
        $this->assertSame(1, self::lane('extra')['concurrency']);
        $this->assertSame(1, self::$client->adminState('devserver')['state']['lanes']['extra']['concurrency'] ?? null);
    }

    public function testErrorsAreTheBindingsExceptions(): void
    {
        $dir = Temp::dir('letts-inspect-cfg');
        try {
            $yaml = "dugdales:\n  - id: wrong\n    url: " . self::$srv->url() . "\n    token: \"nope\"\n    admin_token: \"nope\"\n"
                . "  - id: down\n    url: http://127.0.0.1:1\n    token: \"x\"\n";
            touch("$dir/letts.yaml");
            chmod("$dir/letts.yaml", 0600);
            file_put_contents("$dir/letts.yaml", $yaml);
            $client = Client::fromConfig("$dir/letts.yaml", ['retry_attempts' => 1, 'connect_timeout' => 5]);
            try {
                $client->lanes('wrong');
                $this->fail('no AuthException');
            } catch (AuthException $e) {
                $this->assertSame('wrong', $e->getDugdale());
            }
            $this->expectException(NetworkException::class);
            $client->health('down');
        } finally {
            Temp::remove($dir);
        }
    }
}
