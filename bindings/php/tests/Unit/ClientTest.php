<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Client;
use Letts\Config\Dugdale;
use Letts\Config\LaneCfg;
use Letts\Exceptions;
use Letts\Result\LaunchFailure;
use Letts\Result\RunResult;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Letts\Client without a daemon: construction, options, argument handling
 * and the errors that are decided before anything is sent. The dugdales
 * point at a port nobody listens on, so anything that did reach the
 * network would fail with a NetworkException instead of the expected error.
 */
final class ClientTest extends TestCase
{
    private const YAML = <<<'YAML'
        auth:
          token: "${LETTS_UNIT_TOKEN}"
        routes:
          normal: {host: s1, lane: normal}
        aliases:
          primary: s1
        templates:
          prod:
            labels: [prod]
            lanes:
              normal: {concurrency: 4}
              high: {concurrency: 8}
        dugdales:
          - id: s1
            url: http://127.0.0.1:1
            extends: prod
            proxy: socks5h://proxy.invalid:1080
          - id: s2
            host: 127.0.0.1
            port: 1
            extends: prod
            labels: [prod, eu]
            lanes:
              high: null
              manual: {concurrency: 1, paused: true}
        YAML;

    private string $dir;
    private string $path;

    protected function setUp(): void
    {
        $this->dir = Temp::dir('letts-client-unit');
        $this->path = "$this->dir/letts.yaml";
        file_put_contents($this->path, self::YAML);
        chmod($this->path, 0600);
    }

    private function client(?\Closure $observer = null): Client
    {
        return Client::fromConfig($this->path, ['retry_attempts' => 1], onLaunchFailure: $observer);
    }

    public function testFromConfigReportsTheFileItCannotRead(): void
    {
        $this->expectException(Exceptions\ConfigException::class);
        $this->expectExceptionMessage("$this->dir/absent.yaml");
        Client::fromConfig("$this->dir/absent.yaml");
    }

    public function testDefaultDiscoversTheFileNamedByLettsConfig(): void
    {
        $previous = getenv('LETTS_CONFIG');
        putenv("LETTS_CONFIG=$this->path");
        try {
            $this->assertSame(['s1', 's2'], array_map(static fn(Dugdale $d) => $d->id, Client::default()->dugdales()));
            putenv("LETTS_CONFIG=$this->dir/absent.yaml");
            $this->expectException(Exceptions\ConfigException::class);
            Client::default();
        } finally {
            putenv($previous === false ? 'LETTS_CONFIG' : "LETTS_CONFIG=$previous");
        }
    }

    public function testPlainTextTokensNeedAPrivateFile(): void
    {
        file_put_contents($this->path, "dugdales:\n  - id: s1\n    url: http://127.0.0.1:1\n    token: tok-3f9a51\n");
        chmod($this->path, 0644);
        try {
            Client::fromConfig($this->path);
            $this->fail('a world-readable file with a token was accepted');
        } catch (Exceptions\ConfigException $e) {
            $this->assertStringContainsString($this->path, $e->getMessage());
            $this->assertStringNotContainsString('tok-3f9a51', $e->getMessage(), 'never the token');
        }
        $this->assertCount(1, Client::fromConfig($this->path, ['insecure_config_permissions' => true])->dugdales());
    }

    public function testOptionsAreCheckedAndUnknownKeysIgnored(): void
    {
        $c = Client::fromConfig($this->path, ['request_timeout' => 10, 'connect_timeout' => 2, 'max_connections_per_host' => 8,
            'retry_attempts' => 5, 'retry_backoff' => [1, 2], 'ignore_proxy' => true, 'stream_fresh_connection' => true,
            'something_else' => 'ignored']);
        $this->assertInstanceOf(Client::class, $c);
        try {
            Client::fromConfig($this->path, ['max_connections_per_host' => 0]);
            $this->fail('0 connections per host accepted');
        } catch (\InvalidArgumentException $e) {
            $this->assertStringContainsString('max_connections_per_host', $e->getMessage());
        }
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage('retry_backoff');
        Client::fromConfig($this->path, ['retry_backoff' => 100]);
    }

    public function testTotalTimeoutAndReconnectBackoffAreCheckedByLibletts(): void
    {
        $this->assertInstanceOf(Client::class, Client::fromConfig($this->path,
            ['total_timeout' => 0.5, 'reconnect_backoff' => [1, 2, 3]]));
        foreach ([[['total_timeout' => -1], 'letts_client_options_set_total_timeout_ms: total_timeout must be'],
                  [['reconnect_backoff' => [100, -1]], 'letts_client_options_set_reconnect_backoff: reconnect_backoff must be'],
                  [['reconnect_backoff' => 100], 'reconnect_backoff must be a list of milliseconds']] as [$opts, $message]) {
            try {
                Client::fromConfig($this->path, $opts);
                $this->fail('accepted ' . json_encode($opts));
            } catch (\InvalidArgumentException $e) {
                $this->assertStringContainsString($message, $e->getMessage());
            }
        }
    }

    public function testTotalTimeoutEndsARequestNobodyAnswers(): void
    {
        // A listening socket never accepted: the kernel completes the
        // connection and the request waits for an answer that never comes.
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        $this->assertNotFalse($server, $errstr);
        $port = (int) substr((string) strrchr(stream_socket_get_name($server, false), ':'), 1);
        $path = "$this->dir/silent.yaml";
        file_put_contents($path, "auth: {token: t}\ndugdales:\n  - id: silent\n    url: http://127.0.0.1:$port\n");
        chmod($path, 0600);
        $client = Client::fromConfig($path, ['retry_attempts' => 1, 'total_timeout' => 0.6]);
        $started = hrtime(true);
        try {
            $client->getMission('0192a8b3-d2c1-7abc-bad0-1234567890ab', 'silent');
            $this->fail('a request nobody answers returned');
        } catch (Exceptions\NetworkException $e) {
            $this->assertStringContainsString('total_timeout of 600 ms exceeded', $e->getMessage());
        }
        $elapsedMs = (hrtime(true) - $started) / 1e6;
        $this->assertGreaterThanOrEqual(550, $elapsedMs);
        $this->assertLessThan(10000, $elapsedMs, 'the inactivity limit (30 s) would be far later');
        fclose($server);
    }

    public function testAnInjectedHttpClientIsRefused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage('injected HTTP client');
        Client::fromConfig($this->path, [], new \stdClass());
    }

    public function testDugdalesAreTheMergedEntriesAsWritten(): void
    {
        $c = $this->client();
        [$s1, $s2] = $c->dugdales();
        $this->assertSame(['s1', 'http://127.0.0.1:1', 'socks5h://proxy.invalid:1080', 'prod', ['prod']],
            [$s1->id, $s1->url, $s1->proxy, $s1->extends, $s1->labels]);
        $this->assertEquals(['normal' => new LaneCfg(4), 'high' => new LaneCfg(8)], $s1->lanes);
        $this->assertSame(['127.0.0.1', 1, ['prod', 'eu']], [$s2->host, $s2->port, $s2->labels]);
        $this->assertEquals(['normal' => new LaneCfg(4), 'manual' => new LaneCfg(1, true)], $s2->lanes);
        $this->assertTrue($s2->hasLane('manual'));
        $this->assertFalse($s2->hasLane('high'));
        $this->assertTrue($s2->hasLabel('eu'));
        $this->assertSame(['s2'], array_map(static fn(Dugdale $d) => $d->id, $c->dugdales(['eu'])));
        $this->assertSame([], $c->dugdales(['nowhere']));
    }

    public function testWithMatchReturnsACopy(): void
    {
        $c = $this->client();
        $eu = $c->withMatch(['eu']);
        $this->assertSame(['eu'], $eu->getMatchOverride());
        $this->assertSame([], $c->getMatchOverride());
        $this->assertSame([], $eu->withMatch([])->getMatchOverride());
        // The copy survives the original.
        unset($c);
        $this->assertCount(2, $eu->dugdales());
    }

    public function testAddressingMistakesAreBadRequestsReportedToTheObserver(): void
    {
        /** @var list<LaunchFailure> $seen */
        $seen = [];
        $c = $this->client(function (LaunchFailure $f) use (&$seen): void {
            $seen[] = $f;
        });
        try {
            $c->dispatch(mission: 'M', route: 'normal', host: 's1', lane: 'normal', input: ['a' => 1], files: ['f' => '/tmp/x'], timeout: '5s');
            $this->fail('route and host together were accepted');
        } catch (Exceptions\BadRequestException $e) {
            $this->assertCount(1, $seen);
            $this->assertSame($e, $seen[0]->exception);
        }
        $f = $seen[0];
        $this->assertSame(['dispatch', 'dispatch', false], [$f->method, $f->phase, $f->retryable]);
        $this->assertSame(['M', 'normal', 's1', 'normal', ['a' => 1], ['f' => '/tmp/x'], '5s'],
            [$f->mission, $f->route, $f->host, $f->lane, $f->input, $f->files, $f->timeout]);
        $this->assertNotNull($f->missionId);

        $this->expectException(Exceptions\BadRequestException::class);
        $c->run(mission: 'M', host: 's1');
    }

    public function testAnUnknownHostIsAConfigError(): void
    {
        $this->expectException(Exceptions\ConfigException::class);
        $this->expectExceptionMessage('"nope"');
        $this->client()->dispatch(mission: 'M', host: 'nope', lane: 'normal');
    }

    public function testAnUnsetVariableIsMissingEnvOnFirstUse(): void
    {
        try {
            $this->client()->dispatch(mission: 'M', host: 'primary', lane: 'normal');
            $this->fail('dispatched without a token');
        } catch (Exceptions\MissingEnvException $e) {
            $this->assertSame('LETTS_UNIT_TOKEN', $e->name);
        }
    }

    public function testAnInvalidWaitTimeoutIsRefusedBeforeAnythingIsSent(): void
    {
        $seen = 0;
        $c = $this->client(function () use (&$seen): void {
            $seen++;
        });
        try {
            $c->run(mission: 'M', route: 'normal', waitTimeout: '1.5s');
            $this->fail('1.5s accepted');
        } catch (\InvalidArgumentException $e) {
            $this->assertSame('invalid duration: 1.5s', $e->getMessage());
        }
        try {
            $c->runParallel([['route' => 'normal', 'mission' => 'M']], waitTimeout: '2 m');
            $this->fail('"2 m" accepted');
        } catch (\InvalidArgumentException $e) {
            $this->assertStringContainsString('2 m', $e->getMessage());
        }
        $this->assertSame(0, $seen, 'nothing was launched');
    }

    public function testWaitTimeoutKeepsPhpClientsGrammar(): void
    {
        $seen = 0;
        $c = $this->client(function () use (&$seen): void {
            $seen++;
        });
        foreach (["30s\n", '1m30s', '-1s', '', '99999999999999999999h', '2562047788015216h'] as $bad) {
            if ($bad === '') {
                continue; // "" means no deadline, as before
            }
            try {
                $c->runOnAll(mission: 'M', lane: 'normal', match: ['prod'], waitTimeout: $bad);
                $this->fail(var_export($bad, true) . ' accepted');
            } catch (\InvalidArgumentException $e) {
                $this->assertSame("invalid duration: $bad", $e->getMessage());
            }
        }
        $this->assertSame(0, $seen, 'nothing was launched');
    }

    public function testAJobTimeoutIsAGoDurationReportedAsWritten(): void
    {
        /** @var list<LaunchFailure> $seen */
        $seen = [];
        $c = $this->client(function (LaunchFailure $f) use (&$seen): void {
            $seen[] = $f;
        });
        try {
            $c->dispatch(mission: 'M', route: 'normal', timeout: 'soon');
            $this->fail('timeout "soon" accepted');
        } catch (\InvalidArgumentException $e) {
            $this->assertSame('invalid duration: soon', $e->getMessage());
        }
        $this->assertSame([], $seen, 'refused before the launch');
        // Addressing mistakes fail each job; the observer sees each timeout
        // as the caller wrote it (libletts sends milliseconds).
        $results = $c->runParallel([
            ['mission' => 'M', 'route' => 'normal', 'host' => 's1', 'timeout' => '1m30s'],
            ['mission' => 'M', 'route' => 'normal', 'host' => 's1', 'timeout' => '2.5s'],
            ['mission' => 'M', 'route' => 'normal', 'host' => 's1'],
        ]);
        $this->assertCount(3, $results);
        $timeouts = array_map(static fn(LaunchFailure $f): ?string => $f->timeout, $seen);
        sort($timeouts);
        $this->assertSame([null, '1m30s', '2.5s'], $timeouts);
        $seen = [];
        $this->assertNull($c->tryDispatch(mission: 'M', route: 'normal', host: 's1', timeout: '0s'));
        $this->assertSame(['0s'], array_map(static fn(LaunchFailure $f): ?string => $f->timeout, $seen));
    }

    public function testListFiltersAreCheckedBeforeAnythingIsSent(): void
    {
        $c = $this->client();
        foreach ([
            [['colour' => 'red'], 'listMissions: unknown filter "colour"'],
            [['limit' => 0], 'listMissions: filter "limit" must be at least 1, 0 given'],
            [['since' => 'yesterday'], 'listMissions: filter "since" must be an integer, \'yesterday\' given'],
            [['order' => 'newest'], 'letts_list_filter_set_order: order must be "created" or "finished", got "newest"'],
            [['status' => ['done']], 'listMissions: filter "status" must be a scalar, array given'],
        ] as [$filters, $message]) {
            try {
                $c->listMissions(host: 's1', filters: $filters);
                $this->fail(json_encode($filters) . ' accepted');
            } catch (\InvalidArgumentException $e) {
                $this->assertStringStartsWith($message, $e->getMessage());
            }
        }
        // Well-formed filters pass and the call goes on (to fail on the
        // unset token variable: a letts exception, not an argument error).
        $this->expectException(Exceptions\LettsException::class);
        $c->listMissions(host: 's1', filters: ['since' => '1727001000000', 'until' => 0, 'limit' => 5000, 'order' => 'finished', 'kind' => 'mission']);
    }

    public function testRunOnAllNeedsALaneAndALabelFilter(): void
    {
        $c = $this->client();
        try {
            $c->runOnAll(mission: 'M', match: ['prod']);
            $this->fail('no lane accepted');
        } catch (Exceptions\BadRequestException $e) {
            $this->assertSame('lane is required for runOnAll', $e->getMessage());
        }
        try {
            $c->runOnAll(mission: 'M', lane: 'normal');
            $this->fail('no label filter accepted');
        } catch (Exceptions\NoMatchingDugdaleException $e) {
            $this->assertSame('runOnAll needs a label filter: pass match: [...] or set selector.match in letts.yaml', $e->getMessage());
        }
        $this->expectException(Exceptions\NoMatchingDugdaleException::class);
        $this->expectExceptionMessage('runOnAll: no dugdale matches labels: eu (lane: high)');
        $c->runOnAll(mission: 'M', lane: 'high', match: ['eu']);
    }

    public function testAdminCallsNeedAHost(): void
    {
        $c = $this->client();
        foreach ([
            'listMissions' => static fn() => $c->listMissions(),
            'kill' => static fn() => $c->kill('id'),
            'restart' => static fn() => $c->restart('id'),
            'delete' => static fn() => $c->delete('id'),
        ] as $method => $call) {
            try {
                $call();
                $this->fail("$method without a host was accepted");
            } catch (Exceptions\BadRequestException $e) {
                $this->assertSame("host is required for $method", $e->getMessage());
            }
        }
    }

    public function testRunParallelJobsAreChecked(): void
    {
        $c = $this->client();
        try {
            $c->runParallel([['host' => 's1', 'lane' => 'normal']]);
            $this->fail('a job without a mission was accepted');
        } catch (\InvalidArgumentException $e) {
            $this->assertSame('runParallel: job #0 has no mission', $e->getMessage());
        }
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage("runParallel: job #1: 'input' must be an array");
        $c->runParallel([['mission' => 'M', 'route' => 'normal'], ['mission' => 'M', 'route' => 'normal', 'input' => 'x']]);
    }

    public function testInputMustBeAnObject(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage('input must be an associative array');
        $this->client()->dispatch(mission: 'M', route: 'normal', input: [1, 2, 3]);
    }

    public function testDownloadOutputChecksTheKeyFirst(): void
    {
        $c = $this->client();
        $r = RunResult::fromApiResponse('s1', ['mission_id' => 'm', 'outcome' => 'success',
            'outputs' => ['report' => ['staging_id' => 'st-1', 'sha256' => str_repeat('0', 64), 'size' => 3], 'log' => ['size' => 1]]]);
        try {
            $c->downloadOutput($r, 'nope');
            $this->fail('an unknown key was accepted');
        } catch (Exceptions\BadRequestException $e) {
            $this->assertSame('no output file with key "nope" (have: report, log)', $e->getMessage());
        }
        try {
            $c->downloadOutput($r, 'log');
            $this->fail('an output without staging id was downloaded');
        } catch (Exceptions\StagingException $e) {
            $this->assertSame('output "log" has no staging id', $e->getMessage());
        }
        $this->expectException(Exceptions\BadRequestException::class);
        $this->expectExceptionMessage('no output file with key "x"');
        $c->downloadOutput(RunResult::fromApiResponse('s1', []), 'x');
    }

    public function testAnObserverThatThrowsIsLoggedAndIgnored(): void
    {
        $log = "$this->dir/error.log";
        $previous = ini_set('error_log', $log);
        try {
            $c = $this->client(static function (): void {
                throw new \LogicException('observer bug');
            });
            $this->assertNull($c->tryDispatch(mission: 'M', route: 'normal', host: 's1'));
        } finally {
            ini_set('error_log', (string) $previous);
        }
        $this->assertStringContainsString('letts failure observer threw: observer bug', (string) file_get_contents($log));
    }

    public function testANetworkFailureNamesTheDugdale(): void
    {
        putenv('LETTS_UNIT_TOKEN=secret-token-value');
        try {
            $this->client()->dispatch(mission: 'M', route: 'normal');
            $this->fail('dispatched to a closed port');
        } catch (Exceptions\NetworkException $e) {
            $this->assertSame('s1', $e->getHost());
            $this->assertStringStartsWith('[s1] dispatch: ', $e->getMessage());
            $this->assertStringNotContainsString('secret-token-value', $e->getMessage());
        } finally {
            putenv('LETTS_UNIT_TOKEN');
        }
    }
}
