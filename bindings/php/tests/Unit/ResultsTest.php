<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Exceptions\NetworkException;
use Letts\Result\HostError;
use Letts\Result\HostResult;
use Letts\Result\LaunchFailure;
use Letts\Result\Logs;
use Letts\Result\MissionInfo;
use Letts\Result\RunResult;
use PHPUnit\Framework\TestCase;

/** The result classes: properties, defaults and the fromApiResponse() constructors. */
final class ResultsTest extends TestCase
{
    public function testRunResultFromADoneEventWithLogs(): void
    {
        $r = RunResult::fromApiResponse('s1', [
            'mission_id' => '0190d6c2-8c4e-7c3a-9f3e-3b8f2a6d4e11',
            'outcome' => 'success',
            'return' => ['processed' => true],
            'exit_code' => 0,
            'duration_ms' => 1234,
            'outputs' => ['thumb' => ['staging_id' => 'st-1', 'sha256' => str_repeat('a', 64), 'size' => 10]],
            'logs' => ['stdout' => "out\n", 'stderr' => "err\n", 'stdout_truncated' => true],
            'time_finished' => 1700000000000,
        ]);
        $this->assertSame('s1', $r->host);
        $this->assertSame('0190d6c2-8c4e-7c3a-9f3e-3b8f2a6d4e11', $r->missionId);
        $this->assertTrue($r->isSuccess());
        $this->assertSame(['processed' => true], $r->return);
        $this->assertSame(0, $r->exitCode);
        $this->assertNull($r->signal);
        $this->assertNull($r->failReason);
        $this->assertSame(1234, $r->durationMs);
        $this->assertEquals(new Logs("out\n", "err\n", true, false), $r->logs);
        $this->assertSame(['thumb' => ['staging_id' => 'st-1', 'sha256' => str_repeat('a', 64), 'size' => 10]], $r->outputFiles);
    }

    public function testRunResultOfAFailureAndMissingKeys(): void
    {
        $r = RunResult::fromApiResponse('s2', ['outcome' => 'killed', 'fail_reason' => 'killed_by_api',
            'fail_message' => 'killed via the kill API', 'signal' => 'TERM', 'exit_code' => -1,
            'fail_details' => ['k' => 'v'], 'outputs' => ['partial' => ['staging_id' => 'x']]]);
        $this->assertFalse($r->isSuccess());
        $this->assertSame('killed_by_api', $r->failReason);
        $this->assertSame('TERM', $r->signal);
        $this->assertSame(-1, $r->exitCode);
        $this->assertSame(['k' => 'v'], $r->failDetails);
        $this->assertSame('', $r->missionId);
        $this->assertSame(0, $r->durationMs);
        $this->assertNull($r->return);
        $this->assertEquals(new Logs(), $r->logs);
        $this->assertSame(['partial' => ['staging_id' => 'x', 'sha256' => '', 'size' => 0]], $r->outputFiles);
    }

    public function testResultsAreReadonly(): void
    {
        $r = RunResult::fromApiResponse('s1', ['outcome' => 'success']);
        $this->expectException(\Error::class);
        $r->outcome = 'failed'; // @phpstan-ignore-line
    }

    public function testHostResultHelpers(): void
    {
        $ok = new HostResult('s1', RunResult::fromApiResponse('s1', ['outcome' => 'success']), null);
        $failed = new HostResult('s2', RunResult::fromApiResponse('s2', ['outcome' => 'failed']), null);
        $unreachable = new HostResult('s3', null, new HostError('network', '[s3] connection refused'));
        $this->assertTrue($ok->isReachable());
        $this->assertTrue($ok->isSuccess());
        $this->assertTrue($failed->isReachable());
        $this->assertFalse($failed->isSuccess());
        $this->assertFalse($unreachable->isReachable());
        $this->assertFalse($unreachable->isSuccess());
        $this->assertNull($unreachable->error->httpStatus);
        $this->assertNull($unreachable->error->errorCode);
        $e = new HostError('backpressure', 'queue_full: lane full', 503, 'queue_full');
        $this->assertSame([503, 'queue_full'], [$e->httpStatus, $e->errorCode]);
    }

    public function testMissionInfoDefaultsWhenKeysAreAbsent(): void
    {
        $i = MissionInfo::fromApiResponse([]);
        $this->assertSame('', $i->missionId);
        $this->assertSame('', $i->status);
        $this->assertNull($i->exitCode);
        $this->assertNull($i->return);
        $this->assertNull($i->input);
        $this->assertSame(0, $i->pid);
        $this->assertSame(0, $i->timeCreatedMs);
        $this->assertFalse($i->truncatedStdout);
        $this->assertNull($i->restartedFrom);
        $this->assertSame([], $i->inputs);
        $this->assertSame([], $i->outputs);
    }

    public function testMissionInfoFromAFullResource(): void
    {
        $i = MissionInfo::fromApiResponse([
            'mission_id' => 'm1', 'kind' => 'mission', 'lane' => 'high', 'mission_name' => 'Render',
            'display_name' => 'Render #9', 'group_id' => 'g1', 'status' => 'done', 'outcome' => 'failed',
            'exit_code' => 2, 'signal' => null, 'fail_reason' => 'explicit', 'fail_message' => 'nope',
            'fail_details' => ['a' => 1], 'return' => null, 'input' => ['id' => 9], 'input_fingerprint' => 'abc',
            'pid' => 4242, 'time_created' => 1700000000001, 'time_started' => 1700000000002,
            'time_finished' => 1700000000003, 'duration_ms' => 1, 'timeout_ms' => 30000,
            'truncated_stdout' => true, 'truncated_stderr' => false, 'restarted_from' => 'm0',
            'inputs' => [['role' => 'photo', 'staging_id' => 's', 'sha256' => 'h', 'size' => 3]],
            'outputs' => ['out' => ['staging_id' => 't', 'sha256' => 'g', 'size' => 4]],
        ]);
        $this->assertSame(['m1', 'mission', 'high', 'Render', 'Render #9', 'g1', 'done', 'failed'],
            [$i->missionId, $i->kind, $i->lane, $i->missionName, $i->displayName, $i->groupId, $i->status, $i->outcome]);
        $this->assertSame([2, null, 'explicit', 'nope', ['a' => 1], null, ['id' => 9], 'abc'],
            [$i->exitCode, $i->signal, $i->failReason, $i->failMessage, $i->failDetails, $i->return, $i->input, $i->inputFingerprint]);
        $this->assertSame([4242, 1700000000001, 1700000000002, 1700000000003, 1, 30000, true, false, 'm0'],
            [$i->pid, $i->timeCreatedMs, $i->timeStartedMs, $i->timeFinishedMs, $i->durationMs, $i->timeoutMs,
             $i->truncatedStdout, $i->truncatedStderr, $i->restartedFrom]);
        $this->assertSame([['role' => 'photo', 'staging_id' => 's', 'sha256' => 'h', 'size' => 3]], $i->inputs);
        $this->assertSame(['out' => ['staging_id' => 't', 'sha256' => 'g', 'size' => 4]], $i->outputs);
    }

    public function testLaunchFailureKeepsTheLaunchAsPassed(): void
    {
        $e = new NetworkException('s7', 'connection reset');
        $f = new LaunchFailure($e, true, 'run', 'dispatch', 'NotifyUser', null, 's7', [], 'high', ['user_id' => 1],
            ['photo' => '/tmp/pic.jpg'], '30s', 'm-9');
        $this->assertSame($e, $f->exception);
        $this->assertTrue($f->retryable);
        $this->assertSame(['run', 'dispatch', 'NotifyUser', null, 's7', [], 'high', ['user_id' => 1], ['photo' => '/tmp/pic.jpg'], '30s', 'm-9'],
            [$f->method, $f->phase, $f->mission, $f->route, $f->host, $f->match, $f->lane, $f->input, $f->files, $f->timeout, $f->missionId]);
    }
}
