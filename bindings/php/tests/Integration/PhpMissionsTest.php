<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\DevServer;
use Letts\Tests\Support\Dugdale;
use Letts\Tests\Support\PhpDevServer;
use PHPUnit\Framework\TestCase;

/**
 * PHP missions written with Letts\Mission (tests/missions/*.php), run by a
 * letts-devserver exactly as dugdale runs them: scratch environment, fd 3,
 * real signals. The missions find libletts through LIBLETTS_PATH, which the
 * server passes on with mission_env.inherit — no LETTS_* variable involved.
 */
final class PhpMissionsTest extends TestCase
{
    private static ?DevServer $server = null;
    private static Dugdale $api;

    public static function setUpBeforeClass(): void
    {
        self::$server = PhpDevServer::start(__DIR__ . '/../missions');
        self::$api = new Dugdale(self::$server);
    }

    public static function tearDownAfterClass(): void
    {
        self::$server?->stop();
        self::$server = null;
    }

    /** @return array<string, mixed> the finished mission, with its stderr when the outcome is unexpected */
    private function finish(string $id, string $outcome, ?string $reason): array
    {
        $m = self::$api->waitStatus($id, 'done');
        $context = json_encode($m, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\nstderr:\n" . self::$api->output($id, 'stderr');
        $this->assertSame($outcome, $m['outcome'] ?? null, $context);
        $this->assertSame($reason, $m['fail_reason'] ?? null, $context);
        return $m;
    }

    public function testHappyPathReturnsTheInput(): void
    {
        $id = self::$api->dispatch('echo_input', ['video_id' => 123, 'user' => ['name' => 'ada']]);
        $m = $this->finish($id, 'success', null);
        $this->assertSame(['input' => ['user' => ['name' => 'ada'], 'video_id' => 123], 'user' => 'ada'], $m['return']);
        $this->assertSame(0, $m['exit_code']);
    }

    public function testProgressEventsAreRecorded(): void
    {
        $id = self::$api->dispatch('progress_steps');
        $this->finish($id, 'success', null);
        $progress = array_values(array_filter(self::$api->events($id), static fn ($e) => $e['event'] === 'progress'));
        $this->assertSame(['step 1', 'step 2', 'step 3', 'step 4', 'step 5'], array_column($progress, 'message'));
        $this->assertEqualsWithDelta([0.2, 0.4, 0.6, 0.8, 1.0], array_column($progress, 'value'), 1e-9);
    }

    public function testExplicitFailure(): void
    {
        $m = $this->finish(self::$api->dispatch('fail_message'), 'failed', 'explicit');
        $this->assertSame('boom', $m['fail_message']);
        $this->assertSame(['url' => 'http://upstream.invalid/'], $m['fail_details']);
        $this->assertSame(2, $m['exit_code']);
    }

    public function testFailWithExitZeroIsCoerced(): void
    {
        $m = $this->finish(self::$api->dispatch('fail_zero_exit'), 'failed', 'explicit');
        $this->assertSame('deliberate failure', $m['fail_message']);
        $this->assertSame(1, $m['exit_code']);
    }

    public function testUncaughtException(): void
    {
        $m = $this->finish(self::$api->dispatch('throws_exception'), 'failed', 'uncaught_exception');
        $this->assertSame('kaboom', $m['fail_message']);
        $this->assertSame('RuntimeException', $m['fail_details']['class']);
        $this->assertSame(realpath(__DIR__ . '/../missions/throws_exception.php'), $m['fail_details']['file']);
        $this->assertSame(7, $m['fail_details']['line']);
        $this->assertIsString($m['fail_details']['trace']);
        $this->assertSame(1, $m['exit_code']);
    }

    public function testMemoryLimitExhaustion(): void
    {
        $id = self::$api->dispatch('allocate_oom');
        $m = self::$api->waitStatus($id, 'done');
        $context = json_encode($m) . "\nstderr:\n" . self::$api->output($id, 'stderr');
        // oom when PHP's "Allowed memory size" line reaches stderr (R2), failed from the fail event otherwise.
        $this->assertContains($m['outcome'], ['oom', 'failed'], $context);
        $this->assertSame('php_memory_limit', $m['fail_reason'], $context);
        $this->assertStringContainsString('Allowed memory size', $m['fail_message'], $context);
    }

    public function testKillReachesAPollingMission(): void
    {
        $id = self::$api->dispatch('sleep_interruptible');
        self::$api->waitEvent($id, static fn ($e) => $e['event'] === 'progress' && ($e['message'] ?? '') === 'ready');
        self::$api->kill($id);
        $m = $this->finish($id, 'killed', 'killed_by_api');
        $stderr = self::$api->output($id, 'stderr');
        $this->assertStringContainsString("onInterrupt(15)\ncheckSignal: mission interrupted by signal\n", $stderr);
        // It ended by itself, well within the 20 s grace: no SIGKILL.
        $this->assertArrayNotHasKey('signal', $m, json_encode($m));
        $this->assertSame(1, $m['exit_code']);
    }

    public function testTimeoutReachesAPollingMission(): void
    {
        $id = self::$api->dispatch('sleep_interruptible', timeout: '1s');
        $m = self::$api->waitStatus($id, 'done');
        $this->assertSame('timeout', $m['outcome'], json_encode($m));
        $this->assertStringContainsString("onInterrupt(15)\ncheckSignal: mission interrupted by signal\n", self::$api->output($id, 'stderr'));
        $this->assertArrayNotHasKey('signal', $m, json_encode($m));
    }

    public function testInputFilesAreStagedAndMaterialized(): void
    {
        $bytes = random_bytes(70000);
        $staging = self::$api->stage($bytes);
        $m = $this->finish(self::$api->dispatch('uses_input_files', null, ['photo' => $staging]), 'success', null);
        $this->assertSame(hash('sha256', $bytes), $m['return']['sha256']);
        $this->assertSame(70000, $m['return']['size']);
        $this->assertSame(['photo'], array_keys($m['return']['files']));
        $this->assertSame(hash('sha256', $bytes), $m['return']['files']['photo']['sha256']);
        $this->assertStringEndsWith('/in/photo', $m['return']['files']['photo']['path']);
    }

    public function testOutputFilesAreCommitted(): void
    {
        $m = $this->finish(self::$api->dispatch('output_file', ['bytes' => 'abc', 'times' => 100000]), 'success', null);
        $expected = str_repeat('abc', 100000);
        $this->assertSame(['written' => true], $m['return']);
        $out = $m['outputs']['result'];
        $this->assertSame(strlen($expected), $out['size']);
        $this->assertSame(hash('sha256', $expected), $out['sha256']);
        $this->assertSame($expected, self::$api->download($out['staging_id']));
    }

    public function testStdoutAndStderrAreCaptured(): void
    {
        $id = self::$api->dispatch('logs_to_streams');
        $this->finish($id, 'success', null);
        $this->assertStringContainsString("to-stdout-marker\n", self::$api->output($id, 'stdout'));
        $this->assertStringContainsString("to-stderr-marker\n", self::$api->output($id, 'stderr'));
    }
}
