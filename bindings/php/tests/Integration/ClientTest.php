<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\Exceptions;
use Letts\Result\HostResult;
use Letts\Result\LaunchFailure;
use Letts\Tests\Support\ClientFixture;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Letts\Client against two letts-devservers running PHP missions written
 * with Letts\Mission (tests/missions): every scenario of php-client's
 * README, through the public API only.
 */
final class ClientTest extends TestCase
{
    private static ?ClientFixture $fx = null;
    private static Client $client;

    public static function setUpBeforeClass(): void
    {
        self::$fx = ClientFixture::start();
        self::$client = self::$fx->client();
    }

    public static function tearDownAfterClass(): void
    {
        self::$fx?->stop();
        self::$fx = null;
    }

    public function testRunHappyPathReturnsTheResultOfTheDoneEvent(): void
    {
        $r = self::$client->run(mission: 'echo_input', host: 'a', lane: 'default', input: ['user' => ['name' => 'ada'], 'n' => 1]);
        $this->assertSame('a', $r->host);
        $this->assertMatchesRegularExpression('/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/', $r->missionId);
        $this->assertSame('success', $r->outcome);
        $this->assertTrue($r->isSuccess());
        $this->assertEquals(['input' => ['user' => ['name' => 'ada'], 'n' => 1], 'user' => 'ada'], $r->return);
        $this->assertSame(0, $r->exitCode);
        $this->assertNull($r->failReason);
        $this->assertSame('', $r->logs->stdout, 'logs are fetched only on request');
        $this->assertSame([], $r->outputFiles);
        // The daemon's record agrees.
        $info = self::$client->getMission($r->missionId, host: 'a');
        $this->assertSame('done', $info?->status);
        $this->assertSame('echo_input', $info->missionName);
        $this->assertEquals(['user' => ['name' => 'ada'], 'n' => 1], $info->input);
    }

    public function testRunCallsOnProgressForEveryProgressEventInOrder(): void
    {
        $seen = [];
        $r = self::$client->run(mission: 'progress_steps', host: 'b', lane: 'default',
            onProgress: function (?float $value, ?string $message) use (&$seen): void {
                $seen[] = [$value, $message];
            });
        $this->assertSame(['steps' => 5], $r->return);
        $this->assertSame([[0.2, 'step 1'], [0.4, 'step 2'], [0.6, 'step 3'], [0.8, 'step 4'], [1.0, 'step 5']], $seen);
    }

    public function testAnExceptionFromOnProgressStopsTheWaitAndPropagates(): void
    {
        $stop = new \DomainException('enough');
        try {
            self::$client->run(mission: 'progress_steps', host: 'a', lane: 'default',
                onProgress: static function () use ($stop): void {
                    throw $stop;
                });
            $this->fail('run() returned');
        } catch (\DomainException $e) {
            $this->assertSame($stop, $e);
        }
        // The client is still usable afterwards.
        $this->assertSame('success', self::$client->run(mission: 'echo_input', host: 'a', lane: 'default')->outcome);
    }

    public function testAFailedMissionThrowsMissionFailedCarryingTheResult(): void
    {
        try {
            self::$client->run(mission: 'fail_message', host: 'a', lane: 'default');
            $this->fail('run() returned');
        } catch (Exceptions\MissionFailedException $e) {
            $this->assertSame('mission failed: boom', $e->getMessage());
            $this->assertSame('failed', $e->getOutcome());
            $this->assertSame('explicit', $e->getReason());
            $this->assertSame('boom', $e->getFailMessage());
            $this->assertSame(['url' => 'http://upstream.invalid/'], $e->getFailDetails());
            $this->assertSame(2, $e->getResult()?->exitCode);
            $this->assertSame('a', $e->getResult()->host);
        }
        $r = self::$client->run(mission: 'fail_message', host: 'a', lane: 'default', throwOnFailure: false);
        $this->assertFalse($r->isSuccess());
        $this->assertSame('explicit', $r->failReason);
    }

    public function testFailThenZeroExitIsTheDaemonsDiagnostic(): void
    {
        // fail(exitCode: 0) is coerced to 1: the mission's own message is kept.
        $r = self::$client->run(mission: 'fail_zero_exit', host: 'a', lane: 'default', throwOnFailure: false);
        $this->assertSame(['failed', 'explicit', 'deliberate failure', 1], [$r->outcome, $r->failReason, $r->failMessage, $r->exitCode]);
        // A process that sent its fail event and still exited 0.
        $r = self::$client->run(mission: 'fail_then_exit_zero', host: 'a', lane: 'default', throwOnFailure: false);
        $this->assertSame(['failed', 'fail_then_zero_exit', 0], [$r->outcome, $r->failReason, $r->exitCode]);
    }

    public function testUncaughtExceptionAndMemoryLimitAreClassified(): void
    {
        $r = self::$client->run(mission: 'throws_exception', host: 'b', lane: 'default', throwOnFailure: false);
        $this->assertSame(['failed', 'uncaught_exception', 'kaboom'], [$r->outcome, $r->failReason, $r->failMessage]);
        $this->assertSame(\RuntimeException::class, $r->failDetails['class'] ?? null);

        $r = self::$client->run(mission: 'allocate_oom', host: 'b', lane: 'default', throwOnFailure: false, fetchLogs: true);
        $context = json_encode($r, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES);
        // oom when PHP's "Allowed memory size" line reaches stderr, failed from the fail event otherwise.
        $this->assertContains($r->outcome, ['oom', 'failed'], $context);
        $this->assertSame('php_memory_limit', $r->failReason, $context);
        $this->assertStringContainsString('Allowed memory size', (string) $r->failMessage, $context);
    }

    public function testLogsAreFetchedOnRequest(): void
    {
        $r = self::$client->run(mission: 'logs_to_streams', host: 'a', lane: 'default', fetchLogs: true);
        $this->assertSame("to-stdout-marker\n", $r->logs->stdout);
        $this->assertSame("to-stderr-marker\n", $r->logs->stderr);
        $this->assertFalse($r->logs->stdoutTruncated);
        $r = self::$client->run(mission: 'logs_to_streams', host: 'a', lane: 'default');
        $this->assertSame('', $r->logs->stdout);
        $this->assertSame('', $r->logs->stderr);
    }

    public function testInputFilesAreStagedAndMaterialised(): void
    {
        $dir = Temp::dir('letts-client-input');
        $photo = "$dir/photo.jpg";
        file_put_contents($photo, random_bytes(300 * 1024 + 7));
        $r = self::$client->run(mission: 'uses_input_files', host: 'b', lane: 'default', files: ['photo' => $photo]);
        $this->assertSame(hash_file('sha256', $photo), $r->return['sha256']);
        $this->assertSame(filesize($photo), $r->return['size']);
        $this->assertSame(['photo'], array_keys($r->return['files']));

        try {
            self::$client->run(mission: 'uses_input_files', host: 'b', lane: 'default', files: ['photo' => "$dir/missing.jpg"]);
            $this->fail('run() returned');
        } catch (Exceptions\StagingException $e) {
            $this->assertStringContainsString("$dir/missing.jpg", $e->getMessage());
        }
    }

    public function testOutputFilesToDiskAndIntoMemory(): void
    {
        $dir = Temp::dir('letts-client-out') . '/outputs';
        $r = self::$client->run(mission: 'output_file', host: 'a', lane: 'default',
            input: ['bytes' => 'letts-', 'times' => 50000], downloadOutputsTo: $dir);
        $expected = str_repeat('letts-', 50000);
        $this->assertSame(['result'], array_keys($r->outputFiles));
        $this->assertSame(strlen($expected), $r->outputFiles['result']['size']);
        $this->assertSame(hash('sha256', $expected), $r->outputFiles['result']['sha256']);
        $this->assertSame($expected, file_get_contents("$dir/result"));
        $this->assertSame(['result'], array_values(array_diff(scandir($dir), ['.', '..'])), 'nothing else, no .partial');

        $this->assertSame($expected, self::$client->downloadOutput($r, 'result'));
        try {
            self::$client->downloadOutput($r, 'nope');
            $this->fail('downloadOutput() returned');
        } catch (Exceptions\BadRequestException $e) {
            $this->assertSame('no output file with key "nope" (have: result)', $e->getMessage());
        }
        // A result rebuilt from the daemon's record works as well.
        $info = self::$client->getMission($r->missionId, host: 'a');
        $again = \Letts\Result\RunResult::fromApiResponse('a', ['mission_id' => $info->missionId, 'outcome' => $info->outcome, 'outputs' => $info->outputs]);
        $this->assertSame($expected, self::$client->downloadOutput($again, 'result'));
    }

    public function testRunParallelGivesOneResultPerJobInInputOrder(): void
    {
        $results = self::$client->runParallel([
            ['host' => 'a', 'lane' => 'default', 'mission' => 'echo_input', 'input' => ['job' => 0]],
            ['host' => 'b', 'lane' => 'default', 'mission' => 'fail_message'],
            ['route' => 'r', 'host' => 'a', 'lane' => 'default', 'mission' => 'echo_input'],
            ['host' => 'wrongkey', 'lane' => 'default', 'mission' => 'echo_input'],
            ['match' => ['us'], 'lane' => 'default', 'mission' => 'echo_input', 'input' => ['job' => 4]],
        ]);
        $this->assertCount(5, $results);
        $this->assertContainsOnlyInstancesOf(HostResult::class, $results);

        [$ok, $failed, $badRequest, $auth, $matched] = $results;
        $this->assertSame(['a', true, true], [$ok->host, $ok->isReachable(), $ok->isSuccess()]);
        $this->assertSame(['job' => 0], $ok->result->return['input']);

        $this->assertSame(['b', true, false], [$failed->host, $failed->isReachable(), $failed->isSuccess()]);
        $this->assertSame('explicit', $failed->result->failReason);

        $this->assertFalse($badRequest->isReachable());
        $this->assertSame('bad_request', $badRequest->error->kind);
        $this->assertNull($badRequest->error->httpStatus, 'a client-side addressing error has no HTTP status');

        $this->assertSame('wrongkey', $auth->host);
        $this->assertSame(['auth', 401], [$auth->error->kind, $auth->error->httpStatus]);
        $this->assertNull($auth->result);

        $this->assertSame(['b', true], [$matched->host, $matched->isSuccess()]);
        $this->assertSame(['job' => 4], $matched->result->return['input']);

        $this->assertSame([], self::$client->runParallel([]));
    }

    public function testRunOnAllFansOutToEveryMatchingDugdaleOfBothServers(): void
    {
        $results = self::$client->runOnAll(mission: 'echo_input', lane: 'default', match: ['prod'], input: ['all' => true]);
        $this->assertSame(['a', 'b'], array_map(static fn(HostResult $r) => $r->host, $results));
        foreach ($results as $r) {
            $this->assertTrue($r->isSuccess(), json_encode($r));
            $this->assertSame(['all' => true], $r->result->return['input']);
            // Each ran on its own server: listed there, unknown on the other.
            $other = $r->host === 'a' ? 'b' : 'a';
            $this->assertContains($r->result->missionId, array_map(static fn($m) => $m->missionId,
                self::$client->listMissions(host: $r->host, filters: ['mission' => 'echo_input', 'limit' => 500])));
            $this->assertNull(self::$client->getMission($r->result->missionId, host: $other));
        }
        // The scoped filter applies when the call gives none.
        $eu = self::$client->withMatch(['eu']);
        $this->assertSame(['a'], array_map(static fn(HostResult $r) => $r->host,
            $eu->runOnAll(mission: 'echo_input', lane: 'default')));
        $this->assertSame([], self::$client->getMatchOverride());
    }

    public function testWaitTimeoutLeavesTheMissionRunning(): void
    {
        $id = ClientFixture::uuidv7();
        $started = microtime(true);
        try {
            self::$client->run(mission: 'sleep_interruptible', host: 'a', lane: 'default', missionId: $id, waitTimeout: '1s');
            $this->fail('run() returned');
        } catch (Exceptions\WaitTimeoutException $e) {
            $this->assertSame('wait-timeout exceeded before a terminal event', $e->getMessage());
        }
        $this->assertLessThan(4.0, microtime(true) - $started);
        $this->assertSame('running', self::$client->getMission($id, host: 'a')?->status);
        self::$client->delete($id, host: 'a', force: true);
        $this->assertNull(self::$client->getMission($id, host: 'a'), 'a mission being deleted is not found');
    }

    public function testKillReachesThePhpMissionThenRestartAndDelete(): void
    {
        $id = ClientFixture::uuidv7();
        $client = self::$client;
        $killed = false;
        // Kill as soon as the mission says it is ready (its handlers are installed).
        $r = $client->run(mission: 'sleep_interruptible', host: 'b', lane: 'default', missionId: $id,
            throwOnFailure: false, fetchLogs: true,
            onProgress: function (?float $v, ?string $message) use ($client, $id, &$killed): void {
                if ($message === 'ready' && !$killed) {
                    $client->kill($id, host: 'b');
                    $killed = true;
                }
            });
        $this->assertTrue($killed);
        $this->assertSame('killed', $r->outcome, json_encode($r));
        // The PHP mission saw SIGTERM itself: its onInterrupt callback and
        // checkSignal() ran, and it exited on its own before the kill grace.
        $this->assertStringContainsString("onInterrupt(15)\ncheckSignal: mission interrupted by signal\n", $r->logs->stderr);
        $this->assertNull($r->signal, 'not SIGKILLed after the grace');

        try {
            $client->kill($id, host: 'b');
            $this->fail('killing a finished mission succeeded');
        } catch (Exceptions\ConflictException $e) {
            $this->assertSame(409, $e->getCode());
        }

        $newId = $client->restart($id, host: 'b');
        $this->assertNotSame($id, $newId);
        $info = $client->getMission($newId, host: 'b');
        $this->assertSame($id, $info?->restartedFrom);
        $this->assertSame('sleep_interruptible', $info->missionName);

        try {
            $client->delete($newId, host: 'b');
            $this->fail('a running mission was deleted without force');
        } catch (Exceptions\ConflictException $e) {
            $this->assertSame(409, $e->getCode());
        }
        $client->delete($newId, host: 'b', force: true);
        $client->delete($id, host: 'b');
        $this->assertNull($client->getMission($newId, host: 'b'));
        $this->assertNull($client->getMission($id, host: 'b'));
    }

    public function testDispatchIsIdempotentByMissionId(): void
    {
        $id = ClientFixture::uuidv7();
        $this->assertSame($id, self::$client->dispatch(mission: 'echo_input', host: 'a', lane: 'default', input: ['v' => 1], missionId: $id));
        $this->assertSame($id, self::$client->dispatch(mission: 'echo_input', host: 'a', lane: 'default', input: ['v' => 1], missionId: $id));
        try {
            self::$client->dispatch(mission: 'echo_input', host: 'a', lane: 'default', input: ['v' => 2], missionId: $id);
            $this->fail('a conflicting re-dispatch succeeded');
        } catch (Exceptions\ConflictException $e) {
            $this->assertSame(409, $e->getCode());
            $this->assertSame('a', $e->getDugdale());
            $this->assertStringNotContainsString('[a]', $e->getMessage(), 'php-client messages carry no dugdale prefix');
        }
    }

    public function testGetMissionWithoutHostAsksEveryDugdale(): void
    {
        $id = self::$client->dispatch(mission: 'echo_input', host: 'b', lane: 'default');
        // "down" and "wrongkey" fail and are skipped; "b" knows the mission.
        $this->assertSame($id, self::$client->getMission($id)?->missionId);
        $this->assertNull(self::$client->getMission(ClientFixture::uuidv7()));
    }

    public function testListMissionsUsesTheAdminTokenAndFilters(): void
    {
        $id = self::$client->dispatch(mission: 'progress_steps', host: 'a', lane: 'default');
        $listed = self::$client->listMissions(host: 'a', filters: ['mission' => 'progress_steps', 'limit' => 500]);
        $this->assertContains($id, array_map(static fn($m) => $m->missionId, $listed));
        foreach ($listed as $m) {
            $this->assertSame('progress_steps', $m->missionName);
        }
        $this->expectException(Exceptions\AuthException::class);
        self::$client->listMissions(host: 'wrongkey');
    }

    public function testLaunchFailuresReachTheObserver(): void
    {
        /** @var list<LaunchFailure> $seen */
        $seen = [];
        $client = self::$client->withFailureObserver(function (LaunchFailure $f) use (&$seen): void {
            $seen[] = $f;
        });
        $this->assertNull($client->tryDispatch(mission: 'echo_input', host: 'down', lane: 'default', input: ['k' => 'v']));
        $this->assertCount(1, $seen);
        [$f] = $seen;
        $this->assertSame(['tryDispatch', 'dispatch', true], [$f->method, $f->phase, $f->retryable]);
        $this->assertInstanceOf(Exceptions\NetworkException::class, $f->exception);
        $this->assertSame('down', $f->exception->getHost());
        $this->assertSame(['echo_input', 'down', 'default', ['k' => 'v']], [$f->mission, $f->host, $f->lane, $f->input]);
        $this->assertMatchesRegularExpression('/^[0-9a-f-]{36}$/', (string) $f->missionId);

        // dispatch() throws the very exception the observer was given.
        try {
            $client->dispatch(mission: 'echo_input', host: 'wrongkey', lane: 'default');
            $this->fail('dispatch() returned');
        } catch (Exceptions\AuthException $e) {
            $this->assertCount(2, $seen);
            $this->assertSame($seen[1]->exception, $e);
            $this->assertFalse($seen[1]->retryable);
        }
        // A mission that ran and failed is a result, not a launch failure.
        $client->run(mission: 'fail_message', host: 'a', lane: 'default', throwOnFailure: false);
        $this->assertCount(2, $seen);
        // The original client has no observer.
        $this->assertNull(self::$client->tryDispatch(mission: 'echo_input', host: 'down', lane: 'default'));
        $this->assertCount(2, $seen);
    }

    public function testRunMatchAutoSelectsAMatchingDugdale(): void
    {
        $this->assertSame('b', self::$client->run(mission: 'echo_input', match: ['us'], lane: 'default')->host);
        $this->assertSame('a', self::$client->withMatch(['eu'])->run(mission: 'echo_input', lane: 'default')->host);
        $this->expectException(Exceptions\NoMatchingDugdaleException::class);
        self::$client->run(mission: 'echo_input', match: ['nowhere'], lane: 'default');
    }
}
