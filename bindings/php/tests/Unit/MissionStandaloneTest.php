<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Tests\Support\MissionRunner;
use PHPUnit\Framework\TestCase;

/** Letts\Mission run from a shell (mission-protocol.md §7.10), one child process per case. */
final class MissionStandaloneTest extends TestCase
{
    private MissionRunner $runner;

    protected function setUp(): void
    {
        $this->runner = new MissionRunner();
    }

    private function echoMission(): string
    {
        return $this->runner->script('$m = Mission::start(); echo json_encode(["all" => $m->all()]), "\n";');
    }

    public function testInputFromArgumentFileAndStdin(): void
    {
        $script = $this->echoMission();
        $p = $this->runner->standalone($script, ['--verbose', '--input={"a":{"b":[1,2]}}', '--input={"ignored":1}']);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('{"all":{"a":{"b":[1,2]}}}' . "\n", $p->stdout);

        file_put_contents($this->runner->dir() . '/payload.json', '{"from":"file"}');
        $p = $this->runner->standalone($script, ['--input-file=' . $this->runner->dir() . '/payload.json']);
        $this->assertSame('{"all":{"from":"file"}}' . "\n", $p->stdout, $p->describe());

        $p = $this->runner->standalone($script, ['--input=-'], '{"from":"stdin"}');
        $this->assertSame('{"all":{"from":"stdin"}}' . "\n", $p->stdout, $p->describe());

        $p = $this->runner->standalone($script, []);
        $this->assertSame('{"all":[]}' . "\n", $p->stdout, $p->describe());
    }

    public function testUnreadableOrNonObjectInputIsRefusedAtStart(): void
    {
        $script = $this->runner->script('try { Mission::start(); } catch (\Throwable $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; exit(9); }');
        $p = $this->runner->standalone($script, ['--input-file=/nonexistent/payload.json']);
        $this->assertSame(9, $p->exitCode, $p->describe());
        $this->assertStringStartsWith('RuntimeException: ', $p->stdout);
        $this->assertStringContainsString('/nonexistent/payload.json', $p->stdout);

        $p = $this->runner->standalone($script, ['--input=42']);
        $this->assertSame("InvalidArgumentException: input is not a JSON object\n", $p->stdout, $p->describe());

        $p = $this->runner->standalone($script, ['--input={not json']);
        $this->assertSame(9, $p->exitCode, $p->describe());
        $this->assertStringStartsWith('InvalidArgumentException: ', $p->stdout);
    }

    public function testDotPathsDefaultsAndHas(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            $out = [
                $m->input('user.name'),
                $m->input('items.1.id'),
                $m->input('user.missing', 'guest'),
                $m->input('user.missing', null),
                $m->input('nothing'),
                $m->has('nothing'),
                $m->has('user.name.first'),
                $m->has('items.01'),
            ];
            echo json_encode($out), "\n";
            try {
                $m->input('user.age');
            } catch (\InvalidArgumentException $e) {
                echo $e->getMessage(), "\n";
            }
            PHP);
        $p = $this->runner->standalone($script, ['--input={"user":{"name":"ada"},"items":[{"id":1},{"id":2}],"nothing":null}']);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('["ada",2,"guest",null,null,true,false,false]' . "\n" . 'input path "user.age" not found' . "\n", $p->stdout);
    }

    public function testStartStandaloneIgnoresDugdalesVariables(): void
    {
        // Under dugdale's LETTS_MISSION_ID (and no LETTS_WORKDIR, which
        // dugdale mode would require), startStandalone() still runs standalone
        // and leaves the environment as it was.
        $script = $this->runner->script('$m = Mission::startStandalone(["mission.php", \'--input={"a":1}\']);'
            . ' echo json_encode(["all" => $m->all(), "id" => getenv("LETTS_MISSION_ID")]), "\n"; $m->success(["ok" => true]);');
        $p = $this->runner->standalone($script, [], null, ['LETTS_MISSION_ID' => 'm-standalone']);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('{"all":{"a":1},"id":"m-standalone"}' . "\n{\n    \"ok\": true\n}\n", $p->stdout, $p->describe());
    }

    public function testSuccessPrintsTheReturnAndExitsZero(): void
    {
        $script = $this->runner->script('$m = Mission::start(); echo "work\n"; $m->success($m->input("r")); echo "not reached\n";');
        $p = $this->runner->standalone($script, ['--input={"r":{"n":1.0,"s":"a/b"}}']);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("work\n" . '{' . "\n" . '    "n": 1.0,' . "\n" . '    "s": "a/b"' . "\n}\n", $p->stdout);

        foreach (['{"r":null}', '{"r":[]}'] as $input) {
            $p = $this->runner->standalone($script, ["--input=$input"]);
            $this->assertSame(0, $p->exitCode, $p->describe());
            $this->assertSame("work\n{}\n", $p->stdout, $input);
        }
    }

    public function testSuccessRefusesAList(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            try {
                $m->success([1, 2]);
            } catch (\InvalidArgumentException $e) {
                echo $e->getMessage(), "\n";
                exit(7);
            }
            PHP);
        $p = $this->runner->standalone($script);
        $this->assertSame(7, $p->exitCode, $p->describe());
        $this->assertSame('success() return must be a JSON object (assoc array), not a list; wrap as ["items" => $list]' . "\n", $p->stdout);
    }

    /** @return iterable<string, array{int, int}> */
    public static function exitCodes(): iterable
    {
        yield 'zero is coerced to one' => [0, 1];
        yield 'kept' => [3, 3];
        yield 'largest' => [255, 255];
        yield 'too large is clamped' => [256, 255];
        yield 'negative is clamped' => [-1, 1];
    }

    /** @dataProvider exitCodes */
    public function testFailEndsWithANonZeroStatus(int $given, int $expected): void
    {
        $script = $this->runner->script('$m = Mission::start(); $m->fail("could not reach upstream", exitCode: $m->input("code")); echo "not reached";');
        $p = $this->runner->standalone($script, ['--input={"code":' . $given . '}']);
        $this->assertSame($expected, $p->exitCode, $p->describe());
        $this->assertSame('', $p->stdout);
        $this->assertStringContainsString("could not reach upstream\n", $p->stderr);
    }

    public function testProgressGoesToStderr(): void
    {
        $script = $this->runner->script('$m = Mission::start(); $m->progress(0.5, "halfway"); $m->progress(message: "still working"); $m->progress(0.25); $m->success();');
        $p = $this->runner->standalone($script);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("[progress] 0.50 halfway\n[progress] still working\n[progress] 0.25 \n", $p->stderr);
    }

    public function testOutputKeysAreValidatedAndFilesChecked(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            foreach (['', '9lives', '__reserved', 'a-b', '../x', str_repeat('k', 65)] as $bad) {
                try {
                    $m->outputPath($bad);
                    echo "accepted $bad\n";
                } catch (\InvalidArgumentException $e) {
                    echo $e->getMessage(), "\n";
                }
            }
            echo $m->outputPath('report'), "\n";
            $m->outputFile('report');
            $m->outputFile('missing');
            file_put_contents($m->outputPath('report'), 'data');
            try {
                $m->success(['ok' => true]);
            } catch (\RuntimeException $e) {
                echo get_class($e), ': ', $e->getMessage(), "\n";
            }
            file_put_contents($m->outputPath('missing'), 'now here');
            $m->success(['ok' => true]);
            PHP);
        $p = $this->runner->standalone($script);
        $dir = $this->runner->dir();
        $this->assertSame(0, $p->exitCode, $p->describe());
        $lines = explode("\n", $p->stdout);
        $this->assertSame('invalid output key "" (must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and not start with __)', $lines[0]);
        for ($i = 1; $i < 6; $i++) {
            $this->assertStringStartsWith('invalid output key "', $lines[$i]);
        }
        $this->assertSame("$dir/out/report", $lines[6]);
        $this->assertStringContainsString("registered but missing: missing (expected at $dir/out/missing)", $lines[7]);
        $this->assertStringContainsString("[output-file] key=report\n[output-file] key=missing\n", $p->stderr);
        $this->assertSame('data', file_get_contents("$dir/out/report"));
    }

    public function testInputFilesComeFromTheInputStandalone(): void
    {
        $dir = $this->runner->dir();
        file_put_contents("$dir/photo.jpg", str_repeat('x', 1234));
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            echo $m->file('photo'), "\n", $m->fileSize('photo'), "\n", fread($m->fileStream('photo'), 3), "\n";
            echo json_encode($m->files()), "\n", $m->fileSize('gone'), "\n";
            try {
                $m->file('count');
            } catch (\InvalidArgumentException $e) {
                echo $e->getMessage(), "\n";
            }
            try {
                $m->fileStream('gone');
            } catch (\RuntimeException $e) {
                echo $e->getMessage(), "\n";
            }
            PHP);
        $p = $this->runner->standalone($script, ['--input={"photo":"' . $dir . '/photo.jpg","count":3,"gone":"' . $dir . '/nope"}']);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("$dir/photo.jpg\n1234\nxxx\n[]\n0\n"
            . 'no input file with key "count" (standalone: input.count must be a path)' . "\ncannot open file: gone\n", $p->stdout);
    }

    public function testForcedInterruptRunsCallbacksAndCheckSignalThrows(): void
    {
        $script = $this->runner->script(<<<'PHP'
            $m = Mission::start();
            $m->onInterrupt(function (int $sig) { echo "first $sig\n"; });
            $m->onInterrupt(function (int $sig) { echo "second $sig\n"; });
            $m->checkSignal();
            echo "not interrupted yet\n";
            $m->forceInterruptForTest();
            try {
                $m->checkSignal();
            } catch (\Letts\Exceptions\InterruptedException $e) {
                echo get_class($e), ': ', $e->getMessage(), "\n";
            }
            PHP);
        $p = $this->runner->standalone($script);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("not interrupted yet\nfirst 15\nsecond 15\nLetts\\Exceptions\\InterruptedException: mission interrupted by signal\n", $p->stdout);
    }

    public function testStandaloneKeepsTheDefaultSignalActions(): void
    {
        $script = $this->runner->script('$m = Mission::start(); posix_kill(getmypid(), SIGTERM); usleep(500000); echo "survived\n";');
        $p = $this->runner->standalone($script);
        $this->assertSame(128 + 15, $p->exitCode, $p->describe());
        $this->assertSame('', $p->stdout);
    }

    public function testUncaughtExceptionsKeepPhpDefaultHandling(): void
    {
        $script = $this->runner->script('Mission::start(); throw new \RuntimeException("kaboom");');
        $p = $this->runner->standalone($script);
        $this->assertSame(255, $p->exitCode, $p->describe());
        $this->assertStringContainsString('kaboom', $p->stderr);
    }
}
