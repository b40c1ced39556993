<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Tests\Support\MissionRunner;
use PHPUnit\Framework\TestCase;

/** examples/php/missions run standalone, as their comments say. */
final class ExamplesTest extends TestCase
{
    private const DIR = __DIR__ . '/../../../../examples/php/missions';

    private MissionRunner $runner;

    protected function setUp(): void
    {
        $this->runner = new MissionRunner();
    }

    private function example(string $example, string $input, ?string $stdin = null): \Letts\Tests\Support\Proc
    {
        return $this->runner->standalone(realpath(self::DIR . "/$example.php"), [$stdin === null ? "--input=$input" : '--input=-'], $stdin);
    }

    public function testGenerateThumbnails(): void
    {
        $p = $this->example('generate_thumbnails', '{"video_id":42}');
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("[progress] 0.50 processing video 42\n", $p->stderr);
        $this->assertSame(['processed' => true], json_decode($p->stdout, true));
    }

    public function testRenderReportWritesItsOutput(): void
    {
        $p = $this->example('render_report', '{"title":"Q3 <draft>"}');
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("<h1>Q3 &lt;draft&gt;</h1>\n", file_get_contents($this->runner->dir() . '/out/result'));
        $this->assertSame(['written' => true, 'bytes' => 26], json_decode($p->stdout, true));
        $this->assertSame("[output-file] key=result\n", $p->stderr);
    }

    public function testFlushCacheFromStdin(): void
    {
        $p = $this->example('flush_cache', '', '{"items":["a","b"]}');
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame("[progress] 0.50 flushed a\n[progress] 1.00 flushed b\n", $p->stderr);
        $this->assertSame(['flushed' => 2], json_decode($p->stdout, true));
    }

    public function testHashPhoto(): void
    {
        $photo = $this->runner->dir() . '/photo.jpg';
        file_put_contents($photo, 'not really a jpeg');
        $p = $this->example('hash_photo', json_encode(['photo' => $photo]));
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame(['path' => $photo, 'size' => 17, 'sha256' => hash('sha256', 'not really a jpeg')], json_decode($p->stdout, true));
    }
}
