<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\DevServer;
use Letts\Tests\Support\Dugdale;
use Letts\Tests\Support\MissionRunner;
use Letts\Tests\Support\ReadmeProcess;
use Letts\Tests\Support\Temp;
use Letts\Tests\Support\PhpDevServer;
use PHPUnit\Framework\TestCase;

/** examples/php/missions, unchanged, run by a devserver; examples/php/client against it. */
final class ExamplesUnderDevServerTest extends TestCase
{
    private static ?DevServer $server = null;
    private static Dugdale $api;

    public static function setUpBeforeClass(): void
    {
        self::$server = PhpDevServer::start(__DIR__ . '/../../../../examples/php/missions');
        self::$api = new Dugdale(self::$server);
    }

    public static function tearDownAfterClass(): void
    {
        self::$server?->stop();
        self::$server = null;
    }

    /** @return array<string, mixed> */
    private function succeeded(string $id): array
    {
        $m = self::$api->waitStatus($id, 'done');
        $this->assertSame('success', $m['outcome'], json_encode($m) . "\n" . self::$api->output($id, 'stderr'));
        return $m;
    }

    public function testGenerateThumbnails(): void
    {
        $id = self::$api->dispatch('generate_thumbnails', ['video_id' => 123]);
        $m = $this->succeeded($id);
        $this->assertSame(['processed' => true], $m['return']);
        $progress = array_values(array_filter(self::$api->events($id), static fn ($e) => $e['event'] === 'progress'));
        $this->assertSame('processing video 123', $progress[0]['message'] ?? null);
        $this->assertEquals(0.5, $progress[0]['value'] ?? null);
    }

    public function testRenderReport(): void
    {
        $m = $this->succeeded(self::$api->dispatch('render_report', ['title' => 'Q3']));
        $this->assertSame(['written' => true, 'bytes' => 12], $m['return']);
        $this->assertSame("<h1>Q3</h1>\n", self::$api->download($m['outputs']['result']['staging_id']));
    }

    public function testFlushCache(): void
    {
        $m = $this->succeeded(self::$api->dispatch('flush_cache', ['items' => ['a', 'b', 'c']]));
        $this->assertSame(['flushed' => 3], $m['return']);
    }

    public function testHashPhoto(): void
    {
        $staging = self::$api->stage('pixels');
        $m = $this->succeeded(self::$api->dispatch('hash_photo', null, ['photo' => $staging]));
        $this->assertSame(6, $m['return']['size']);
        $this->assertSame(hash('sha256', 'pixels'), $m['return']['sha256']);
        $this->assertStringEndsWith('/in/photo', $m['return']['path']);
    }

    /** examples/php/client/event_loop.php: ten runs from one stream_select() loop, as a child process. */
    public function testEventLoopClientExample(): void
    {
        $dir = Temp::dir('letts-example-loop');
        try {
            touch("$dir/letts.yaml");
            chmod("$dir/letts.yaml", 0600);
            file_put_contents("$dir/letts.yaml", self::$server->clientConfig());
            $script = (string) realpath(__DIR__ . '/../../../../examples/php/client/event_loop.php');
            $p = ReadmeProcess::run([PHP_BINARY, $script, 'devserver', 'default', '10'],
                array_merge(MissionRunner::baseEnv(), ['LETTS_CONFIG' => "$dir/letts.yaml"]), $dir, null, 60.0);
        } finally {
            Temp::remove($dir);
        }
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('', $p->stderr, $p->describe());
        $expected = '';
        for ($video = 1; $video <= 10; $video++) {
            $expected .= "video $video: success after 1 progress event(s), returned {\"processed\":true}\n";
        }
        $this->assertSame($expected, $p->stdout);
    }
    /**
     * examples/php/client/scheduler.php: two schedulers, three ticks of one
     * second, one mission per tick with the tick's derived id (issue 20 §2).
     */
    public function testSchedulerClientExample(): void
    {
        $dir = Temp::dir('letts-example-scheduler');
        try {
            touch("$dir/letts.yaml");
            chmod("$dir/letts.yaml", 0600);
            file_put_contents("$dir/letts.yaml", self::$server->clientConfig());
            $script = (string) realpath(__DIR__ . '/../../../../examples/php/client/scheduler.php');
            $p = ReadmeProcess::run([PHP_BINARY, $script, 'devserver', 'default', '3'],
                array_merge(MissionRunner::baseEnv(), ['LETTS_CONFIG' => "$dir/letts.yaml"]), $dir, null, 60.0);
        } finally {
            Temp::remove($dir);
        }
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('', $p->stderr, $p->describe());
        preg_match_all('/^scheduler ([AB]) tick (\d+) mission (\S+)$/m', $p->stdout, $m, PREG_SET_ORDER);
        $byTick = [];
        foreach ($m as [, $who, $tick, $id]) {
            $this->assertSame(\Letts\Schedule::tickId('flush-cache-every-second', (int) $tick), $id);
            $byTick[(int) $tick][$who] = $id;
        }
        $ticks = array_keys($byTick);
        sort($ticks);
        $this->assertCount(3, $ticks, $p->stdout);
        $this->assertSame([1000, 1000], [$ticks[1] - $ticks[0], $ticks[2] - $ticks[1]]);
        $this->assertGreaterThanOrEqual(2, count(array_filter($byTick, fn ($w) => count($w) === 2)), $p->stdout);
        $this->assertStringEndsWith("3 ticks, 3 missions\n", $p->stdout);
        foreach ($byTick as $ids) {
            $this->succeeded(reset($ids));
        }
    }
}
