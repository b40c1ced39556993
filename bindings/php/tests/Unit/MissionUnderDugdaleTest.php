<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Tests\Support\MissionRunner;
use PHPUnit\Framework\TestCase;

/**
 * Letts\Mission started the way dugdale starts a mission (scratch
 * environment, LETTS_* variables, input on stdin, fd 3 on a file): the
 * events written, the exit statuses, and the PHP-specific crash reports of
 * mission-protocol.md §7.9.
 */
final class MissionUnderDugdaleTest extends TestCase
{
    private MissionRunner $runner;

    protected function setUp(): void
    {
        $this->runner = new MissionRunner();
    }

    public function testEventsOfAHappyRun(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            $m->progress(0.5, 'halfway');
            $m->progress(message: 'no value');
            file_put_contents($m->outputPath('report'), 'bytes');
            $m->outputFile('report');
            $m->success(['echo' => $m->all(), 'ratio' => 1.0]);
            PHP);
        $p = $this->runner->underDugdale($script, '{"video_id":42,"tags":["a"]}');
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame([
            ['event' => 'progress', 'value' => 0.5, 'message' => 'halfway'],
            ['event' => 'progress', 'message' => 'no value'],
            ['event' => 'output_file', 'key' => 'report'],
            ['event' => 'success', 'return' => ['echo' => ['video_id' => 42, 'tags' => ['a']], 'ratio' => 1.0]],
        ], $p->events);
        $this->assertStringContainsString('"ratio":1.0', $p->eventsRaw);
        $this->assertSame('bytes', file_get_contents($this->runner->dir() . '/work/out/report'));
        $this->assertSame('', $p->stdout);
    }

    public function testSuccessWithoutReturnAndEmptyReturn(): void
    {
        $script = $this->runner->script('$m = Mission::start(); $m->success($m->has("empty") ? [] : null);');
        $p = $this->runner->underDugdale($script);
        $this->assertSame([['event' => 'success']], $p->events, $p->describe());
        $p = $this->runner->underDugdale($script, '{"empty":true}');
        $this->assertSame('{"event":"success","return":{}}' . "\n", $p->eventsRaw, $p->describe());
    }

    public function testFailWritesOneEventAndExitsWithTheCode(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            register_shutdown_function(function () use ($m) { echo "shutdown functions still run\n"; });
            $m->fail('could not reach upstream', exitCode: $m->input('code'), details: ['url' => 'http://x/y'],
                reason: $m->input('reason'));
            PHP);
        $p = $this->runner->underDugdale($script, '{"code":2,"reason":null}');
        $this->assertSame(2, $p->exitCode, $p->describe());
        $this->assertSame([['event' => 'fail', 'message' => 'could not reach upstream', 'reason' => 'explicit',
            'exit_code' => 2, 'details' => ['url' => 'http://x/y']]], $p->events);
        $this->assertSame("shutdown functions still run\n", $p->stdout);

        $p = $this->runner->underDugdale($script, '{"code":0,"reason":"upstream_down"}');
        $this->assertSame(1, $p->exitCode, $p->describe());
        $this->assertSame('upstream_down', $p->events[0]['reason']);
        $this->assertSame(1, $p->events[0]['exit_code']);
    }

    public function testFailDetailsMustBeAnObject(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            try {
                $m->fail('x', details: ['a', 'b']);
            } catch (\InvalidArgumentException $e) {
                echo "refused\n";
            }
            $m->fail('with empty details', details: []);
            PHP);
        $p = $this->runner->underDugdale($script);
        $this->assertSame(1, $p->exitCode, $p->describe());
        $this->assertSame("refused\n", $p->stdout);
        $this->assertSame([['event' => 'fail', 'message' => 'with empty details', 'reason' => 'explicit',
            'exit_code' => 1, 'details' => []]], $p->events);
        $this->assertStringContainsString('"details":{}', $p->eventsRaw);
    }

    /** What dugdale would reject is refused locally, writes nothing, and can be retried. */
    public function testDugdaleLimitsAreCheckedBeforeWriting(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            foreach ([fn () => $m->progress(NAN), fn () => $m->progress(INF, 'x'),
                      fn () => $m->success(['big' => str_repeat('x', 800 * 1024)])] as $call) {
                try {
                    $call();
                    echo "accepted\n";
                } catch (\InvalidArgumentException $e) {
                    echo "refused\n";
                }
            }
            $m->success(['small' => true]);
            PHP);
        $p = $this->runner->underDugdale($script);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("refused\nrefused\nrefused\n", $p->stdout);
        $this->assertSame([['event' => 'success', 'return' => ['small' => true]]], $p->events);
    }

    public function testUncaughtExceptionIsReportedWithDetails(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            function deep(): void { throw new \DomainException('kaboom'); }
            deep();
            PHP);
        $p = $this->runner->underDugdale($script);
        $this->assertSame(1, $p->exitCode, $p->describe());
        $this->assertCount(1, $p->events, $p->describe());
        $e = $p->events[0];
        $this->assertSame(['event' => 'fail', 'message' => 'kaboom', 'reason' => 'uncaught_exception', 'exit_code' => 1],
            array_intersect_key($e, array_flip(['event', 'message', 'reason', 'exit_code'])));
        $this->assertSame('DomainException', $e['details']['class']);
        $this->assertSame($script, $e['details']['file']);
        $this->assertSame(6, $e['details']['line']);
        $this->assertStringContainsString('deep()', $e['details']['trace']);
    }

    public function testExceptionAfterSuccessWritesNothingMore(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            register_shutdown_function(function () { throw new \RuntimeException('late'); });
            $m->success(['done' => true]);
            PHP);
        $p = $this->runner->underDugdale($script);
        $this->assertSame([['event' => 'success', 'return' => ['done' => true]]], $p->events, $p->describe());
    }

    public function testMemoryExhaustionIsReportedAsPhpMemoryLimit(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            $m->progress(0.1, 'allocating');
            $hog = [];
            while (true) {
                $hog[] = str_repeat('x', 1 << 20);
            }
            PHP);
        $p = $this->runner->underDugdale($script, 'null', [], ['-d', 'memory_limit=16M']);
        $this->assertSame(255, $p->exitCode, $p->describe());
        $this->assertCount(2, $p->events, $p->describe());
        $fail = $p->events[1];
        $this->assertSame('fail', $fail['event']);
        $this->assertSame('php_memory_limit', $fail['reason']);
        $this->assertStringContainsString('Allowed memory size', $fail['message']);
        $this->assertSame(E_ERROR, $fail['details']['type']);
        $this->assertSame($script, $fail['details']['file']);
        $this->assertSame(1, $fail['exit_code']);
    }

    public function testOtherFatalErrorIsReportedAsPhpFatalError(): void
    {
        $script = $this->runner->script('Mission::start(); trigger_error("gave up", E_USER_ERROR);');
        $p = $this->runner->underDugdale($script);
        $this->assertSame(255, $p->exitCode, $p->describe());
        $this->assertCount(1, $p->events, $p->describe());
        $this->assertSame('php_fatal_error', $p->events[0]['reason']);
        $this->assertSame('gave up', $p->events[0]['message']);
        $this->assertSame(E_USER_ERROR, $p->events[0]['details']['type']);
    }

    public function testEndingWithoutTerminalEventWritesNothing(): void
    {
        $p = $this->runner->underDugdale($this->runner->script('$m = Mission::start(); $m->progress(1.0); echo "bye\n";'));
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertCount(1, $p->events, $p->describe());
        $this->assertSame('progress', $p->events[0]['event']);
        $this->assertEquals(1.0, $p->events[0]['value']);
    }

    public function testInputFilesFromTheEnvironment(): void
    {
        $work = $this->runner->dir() . '/work';
        @mkdir("$work/in", 0777, true);
        file_put_contents("$work/in/photo", 'JPEGDATA');
        $sha = hash('sha256', 'JPEGDATA');
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            echo json_encode(['path' => $m->file('photo'), 'size' => $m->fileSize('photo'),
                'head' => fread($m->fileStream('photo'), 4), 'files' => $m->files()]), "\n";
            try {
                $m->file('other');
            } catch (\InvalidArgumentException $e) {
                echo $e->getMessage(), "\n";
            }
            PHP);
        $p = $this->runner->underDugdale($script, '{"photo":"not a path"}', [
            'LETTS_IN_photo' => "$work/in/photo", 'LETTS_IN_photo__SIZE' => '8', 'LETTS_IN_photo__SHA256' => $sha,
        ]);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame(json_encode(['path' => "$work/in/photo", 'size' => 8, 'head' => 'JPEG',
            'files' => ['photo' => ['path' => "$work/in/photo", 'size' => 8, 'sha256' => $sha]]]) . "\n"
            . 'no input file with key "other"' . "\n", $p->stdout);
    }

    public function testMisconfiguredEnvironmentExitsOneWithoutEvents(): void
    {
        $p = $this->runner->underDugdale($this->runner->script('Mission::start(); echo "started\n";'), 'null', ['LETTS_WORKDIR' => '']);
        $this->assertSame(1, $p->exitCode, $p->describe());
        $this->assertSame([], $p->events);
        $this->assertSame('', $p->stdout);
        $this->assertStringContainsString('letts mission misconfigured: ', $p->stderr);
        $this->assertStringContainsString('LETTS_WORKDIR', $p->stderr);
    }

    public function testMissingLibraryUnderDugdaleIsAMisconfiguration(): void
    {
        $p = $this->runner->underDugdale($this->runner->script('Mission::start(); echo "started\n";'), 'null',
            ['LIBLETTS_PATH' => $this->runner->dir() . '/nope/libletts.so']);
        $this->assertSame(1, $p->exitCode, $p->describe());
        $this->assertStringContainsString('letts mission misconfigured: cannot load libletts', $p->stderr);
        $this->assertStringContainsString('/nope/libletts.so', $p->stderr);
    }

    /**
     * SIGTERM and SIGINT reach the onInterrupt() callbacks (run by the pcntl
     * handler in a loop without any safe point) and set the libletts flag
     * that checkSignal() reads; the propagated InterruptedException is
     * reported as uncaught.
     */
    public function testSigtermAndSigintReachCallbacksAndCheckSignal(): void
    {
        foreach (['TERM' => 15, 'INT' => 2] as $name => $number) {
            $runner = new MissionRunner();
            $ready = $runner->dir() . '/ready';
            $script = $runner->script(<<<PHP
                \$m = Mission::start();
                \$stop = false;
                \$m->onInterrupt(function (int \$sig) use (&\$stop) { echo "callback \$sig\n"; \$stop = true; });
                touch('$ready');
                \$deadline = microtime(true) + 30;
                while (!\$stop && microtime(true) < \$deadline) {
                    usleep(1000);
                }
                \$m->checkSignal();
                echo "not reached\n";
                PHP);
            $p = $runner->underDugdale($script, 'null', [], [], function ($process) use ($ready, $number): void {
                self::waitFor(static fn () => is_file($ready), 30.0, 'the mission to get ready');
                proc_terminate($process, $number);
            });
            $this->assertSame(1, $p->exitCode, "SIG$name: " . $p->describe());
            $this->assertSame("callback $number\n", $p->stdout, "SIG$name");
            $this->assertCount(1, $p->events, $p->describe());
            $this->assertSame('uncaught_exception', $p->events[0]['reason']);
            $this->assertSame('mission interrupted by signal', $p->events[0]['message']);
            $this->assertSame('Letts\\Exceptions\\InterruptedException', $p->events[0]['details']['class']);
        }
    }

    public function testPollingMissionStopsCleanlyOnSigterm(): void
    {
        $ready = $this->runner->dir() . '/ready';
        $script = $this->runner->script(<<<PHP
            \$m = Mission::start();
            touch('$ready');
            \$i = 0;
            try {
                while (true) {
                    \$m->checkSignal();
                    \$i++;
                    usleep(1000);
                }
            } catch (\\Letts\\Exceptions\\InterruptedException \$e) {
                \$m->fail('stopped after a signal', exitCode: 3, details: ['signal' => 'TERM']);
            }
            PHP);
        $p = $this->runner->underDugdale($script, 'null', [], [], function ($process) use ($ready): void {
            self::waitFor(static fn () => is_file($ready), 30.0, 'the mission to get ready');
            proc_terminate($process, 15);
        });
        $this->assertSame(3, $p->exitCode, $p->describe());
        $this->assertSame('stopped after a signal', $p->events[0]['message'] ?? null, $p->describe());
    }

    /** With pcntl a callback runs at delivery, even in a loop that never reaches a safe point. */
    public function testCallbacksRunWithoutASafePoint(): void
    {
        $ready = $this->runner->dir() . '/ready';
        $script = $this->runner->script(<<<PHP
            \$m = Mission::start();
            \$m->onInterrupt(function (int \$sig) { echo "callback \$sig\n"; exit(5); });
            touch('$ready');
            while (true) {
                usleep(1000);
            }
            PHP);
        $p = $this->runner->underDugdale($script, 'null', [], [], function ($process) use ($ready): void {
            self::waitFor(static fn () => is_file($ready), 30.0, 'the mission to get ready');
            proc_terminate($process, 15);
        });
        $this->assertSame(5, $p->exitCode, $p->describe());
        $this->assertSame("callback 15\n", $p->stdout);
        $this->assertSame([], $p->events);
    }

    /**
     * Without pcntl (here: its functions disabled) libletts's own handlers
     * take SIGTERM: the flag is set at delivery, the callbacks run once at
     * the next safe point.
     */
    public function testWithoutPcntlLibraryHandlersTakeTheSignal(): void
    {
        $ready = $this->runner->dir() . '/ready';
        $go = $this->runner->dir() . '/go';
        $script = $this->runner->script(<<<PHP
            \$m = Mission::start();
            \$m->onInterrupt(function (int \$sig) { echo "callback \$sig\n"; });
            touch('$ready');
            while (!file_exists('$go')) {
                usleep(1000);
            }
            echo "safe point\n";
            try {
                \$m->checkSignal();
            } catch (\\Letts\\Exceptions\\InterruptedException \$e) {
                \$m->progress(message: 'after the signal');
                \$m->checkSignal();
            }
            PHP);
        $p = $this->runner->underDugdale($script, 'null', [], ['-d', 'disable_functions=pcntl_signal,pcntl_async_signals'],
            function ($process) use ($ready, $go): void {
                self::waitFor(static fn () => is_file($ready), 30.0, 'the mission to get ready');
                proc_terminate($process, 15);
                touch($go);
            });
        $this->assertSame(1, $p->exitCode, $p->describe());
        $this->assertSame("safe point\ncallback 15\n", $p->stdout);
        $this->assertSame(['progress', 'fail'], array_column($p->events, 'event'), $p->describe());
        $this->assertSame('Letts\\Exceptions\\InterruptedException', $p->events[1]['details']['class']);
    }

    public function testStartTwiceReturnsTheSameMission(): void
    {
        $p = $this->runner->underDugdale($this->runner->script(
            '$a = Mission::start(); $b = Mission::start(); var_dump($a === $b); $b->success(["x" => $a->input("x")]);'), '{"x":1}');
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("bool(true)\n", $p->stdout);
        $this->assertSame([['event' => 'success', 'return' => ['x' => 1]]], $p->events);
    }

    private static function waitFor(\Closure $condition, float $seconds, string $what): void
    {
        $deadline = microtime(true) + $seconds;
        while (!$condition()) {
            if (microtime(true) > $deadline) {
                throw new \RuntimeException("timed out after $seconds s waiting for $what");
            }
            usleep(5000);
        }
    }
}
