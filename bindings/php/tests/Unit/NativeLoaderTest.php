<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Internal\Errors;
use Letts\Internal\Native;
use Letts\Tests\Support\MissionRunner;
use Letts\Tests\Support\Proc;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Finding libletts: LIBLETTS_PATH (file or directory), the build tree next
 * to the package, the system; and the error that lists what was tried. Each
 * case runs in a child process because a process loads the library once.
 */
final class NativeLoaderTest extends TestCase
{
    private MissionRunner $runner;

    protected function setUp(): void
    {
        $this->runner = new MissionRunner();
    }

    private static function library(): string
    {
        $lib = (string) getenv('LIBLETTS_PATH');
        if ($lib === '') {
            self::fail('this test needs LIBLETTS_PATH (meson test sets it)');
        }
        return $lib;
    }

    /**
     * @param array<string, string> $env
     * @param list<string> $phpOptions
     */
    private function probe(string $autoload, array $env, array $phpOptions = []): Proc
    {
        $script = $this->runner->dir() . '/probe.php';
        file_put_contents($script, '<?php require ' . var_export($autoload, true) . ';'
            . 'try { $f = Letts\Internal\Native::ffi(); echo "loaded ", Letts\Internal\Native::loadedLibrary(), "\n"; }'
            . ' catch (Letts\Exceptions\LibraryLoadException $e) { echo $e->getMessage(), "\n"; exit(3); }');
        $base = MissionRunner::baseEnv();
        unset($base['LIBLETTS_PATH'], $base['LIBLETTS_FFI_H']);
        $proc = proc_open([PHP_BINARY, ...$phpOptions, $script], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $this->runner->dir(),
            array_merge($base, $env));
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        return new Proc(proc_close($proc), (string) $out, (string) $err);
    }

    public function testLoadsFromTheEnvironmentVariable(): void
    {
        $ffi = Native::ffi();
        $this->assertSame(realpath(self::library()), realpath((string) Native::loadedLibrary()));
        $this->assertSame(Errors::str($ffi->letts_status_name(Errors::MISSING_ENV)), 'missing_env');
    }

    public function testTheVariableMayNameTheLibraryDirectory(): void
    {
        $p = $this->probe(realpath(__DIR__ . '/../../autoload.php'), ['LIBLETTS_PATH' => dirname(self::library())]);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('loaded ' . dirname(self::library()) . "/libletts.so\n", $p->stdout);
    }

    public function testAWrongVariableIsAnErrorNotAFallback(): void
    {
        $p = $this->probe(realpath(__DIR__ . '/../../autoload.php'), ['LIBLETTS_PATH' => '/nonexistent/libletts.so']);
        $this->assertSame(3, $p->exitCode, $p->describe());
        $this->assertSame("cannot load libletts; tried:\n  - \$LIBLETTS_PATH: /nonexistent/libletts.so (no such file)\n"
            . 'Set LIBLETTS_PATH to the path of libletts.so (and LIBLETTS_FFI_H to letts_ffi.h when it is not next to it, '
            . "in its build tree or under <prefix>/share/libletts).\n", $p->stdout);
    }

    public function testADeclarationFileThatDoesNotParseIsReported(): void
    {
        $bad = $this->runner->dir() . '/bad_ffi.h';
        file_put_contents($bad, "this is not C;\n");
        $p = $this->probe(realpath(__DIR__ . '/../../autoload.php'), ['LIBLETTS_PATH' => self::library(), 'LIBLETTS_FFI_H' => $bad]);
        $this->assertSame(3, $p->exitCode, $p->describe());
        $this->assertStringContainsString('$LIBLETTS_PATH: ' . self::library() . " with $bad (", $p->stdout);
    }

    /** A copy of the package placed as <repo>/bindings/php with <repo>/build a meson build directory. */
    public function testFindsTheBuildTreeNextToThePackage(): void
    {
        $repo = Temp::dir('letts-repo');
        $this->copyPackage("$repo/bindings/php");
        $buildDir = dirname(self::library(), 2);
        if (!is_file("$buildDir/tools/letts_ffi.h")) {
            $this->markTestSkipped("LIBLETTS_PATH is not in a meson build directory ($buildDir)");
        }
        symlink($buildDir, "$repo/build");
        $p = $this->probe("$repo/bindings/php/autoload.php", []);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("loaded $repo/build/src/libletts.so\n", $p->stdout);
    }

    public function testTheBuildDirectoryAutoloaderBindsItsLibrary(): void
    {
        $autoload = (string) getenv('LIBLETTS_TEST_BUILD_AUTOLOAD');
        if ($autoload === '') {
            $this->markTestSkipped('LIBLETTS_TEST_BUILD_AUTOLOAD names the generated autoload.php under meson test');
        }
        $p = $this->probe($autoload, []);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('loaded ' . realpath(self::library()), 'loaded ' . realpath(substr(trim($p->stdout), 7)));
        $this->assertStringStartsWith('loaded ' . dirname($autoload, 3) . '/src/', $p->stdout);

        $p = $this->probe($autoload, ['LIBLETTS_PATH' => '/nonexistent/libletts.so']);
        $this->assertSame(3, $p->exitCode, 'LIBLETTS_PATH still wins: ' . $p->describe());
    }

    public function testListsEveryPlaceTriedWhenNothingIsFound(): void
    {
        $repo = Temp::dir('letts-repo');
        $this->copyPackage("$repo/bindings/php");
        $p = $this->probe("$repo/bindings/php/autoload.php", []);
        if ($p->exitCode === 0) {
            $this->markTestSkipped('libletts is installed on this system: ' . $p->stdout);
        }
        $this->assertSame(3, $p->exitCode, $p->describe());
        $this->assertStringContainsString("  - build tree: $repo/build/src/libletts.so (no such file)\n", $p->stdout);
        $this->assertStringContainsString('  - system: libletts.so.0', $p->stdout);
    }

    public function testFfiSwitchedOffIsReported(): void
    {
        $p = $this->probe(realpath(__DIR__ . '/../../autoload.php'), ['LIBLETTS_PATH' => self::library()], ['-d', 'ffi.enable=0']);
        $this->assertSame(3, $p->exitCode, $p->describe());
        $this->assertStringContainsString('ffi.enable', $p->stdout);
    }

    public function testConfigureAfterLoadingIsRefused(): void
    {
        Native::ffi();
        $this->expectException(\LogicException::class);
        Native::configure('/elsewhere/libletts.so');
    }

    private function copyPackage(string $to): void
    {
        $from = realpath(__DIR__ . '/../..');
        mkdir($to, 0777, true);
        copy("$from/autoload.php", "$to/autoload.php");
        $it = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator("$from/src", \FilesystemIterator::SKIP_DOTS));
        foreach ($it as $file) {
            $target = $to . '/src/' . substr($file->getPathname(), strlen("$from/src/"));
            @mkdir(dirname($target), 0777, true);
            copy($file->getPathname(), $target);
        }
    }
}
