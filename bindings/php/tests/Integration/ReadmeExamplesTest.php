<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\DevServer;
use Letts\Exceptions\MissingEnvException;
use Letts\Exceptions\MissionFailedException;
use Letts\Result\MissionInfo;
use Letts\Tests\Support\Dugdale;
use Letts\Tests\Support\MissionRunner;
use Letts\Tests\Support\Proc;
use Letts\Tests\Support\ReadmeEvents;
use Letts\Tests\Support\ReadmeProcess;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * The code examples of the PHP client's README (examples/php/readme), run
 * unchanged as child processes against two letts-devservers: A (dugdales s1
 * and s7 of the generated letts.yaml) and B (s2). Each example's output,
 * the files it leaves and the missions it causes are checked; the README's
 * mission-side snippets (examples/php/readme/missions) are what those
 * missions run, and are also run here directly through a Client.
 */
final class ReadmeExamplesTest extends TestCase
{
    private const DIR = __DIR__ . '/../../../../examples/php/readme';
    private const LANES = ['normal' => ['concurrency' => 4], 'high' => ['concurrency' => 4], 'manual' => ['concurrency' => 2]];

    private static ?DevServer $a = null;
    private static ?DevServer $b = null;
    private static string $dir;
    private static string $config;
    private static ?Client $client = null;

    /** @var list<string> README fixture paths (under /tmp) this test created, removed in tearDown() */
    private array $created = [];

    public static function setUpBeforeClass(): void
    {
        self::$dir = (string) realpath(self::DIR);
        // A kill grace far longer than any check here: a mission that ended
        // without a signal after a kill stopped by itself.
        self::$a = DevServer::startPhp(self::$dir . '/missions', self::LANES, killGrace: '20s');
        self::$b = DevServer::startPhp(self::$dir . '/missions', self::LANES, killGrace: '20s');
        $yaml = strtr((string) file_get_contents(self::$dir . '/letts.yaml.in'), [
            '@A_PORT@' => (string) self::$a->port(),
            '@A_URL@' => self::$a->url(),
            '@A_TOKEN@' => self::$a->dispatchToken(),
            '@A_ADMIN_TOKEN@' => self::$a->adminToken(),
            '@B_PORT@' => (string) self::$b->port(),
            '@B_TOKEN@' => self::$b->dispatchToken(),
            '@B_ADMIN_TOKEN@' => self::$b->adminToken(),
        ]);
        self::$config = Temp::dir('letts-readme') . '/letts.yaml';
        // Plain-text tokens: the file must be 0600 before it holds them.
        touch(self::$config);
        chmod(self::$config, 0600);
        file_put_contents(self::$config, $yaml);
        self::$client = Client::fromConfig(self::$config);
    }

    public static function tearDownAfterClass(): void
    {
        self::$client = null;
        self::$a?->stop();
        self::$b?->stop();
        self::$a = self::$b = null;
    }

    protected function tearDown(): void
    {
        foreach (array_reverse($this->created) as $path) {
            Temp::remove($path);
        }
        $this->created = [];
    }

    // ------------------------------------------------------------ helpers --

    /**
     * Claims a README fixture path: it must not exist (this test never
     * touches a file it did not create). With `$content` the file is
     * written; without, the path is only recorded for removal (an example
     * creates it).
     */
    private function fixture(string $path, ?string $content = null): void
    {
        if (file_exists($path) || is_link($path)) {
            $this->fail("$path exists already: the README examples use it, and this test does not overwrite what it did not create; remove it and run again");
        }
        $this->created[] = $path;
        if ($content !== null) {
            file_put_contents($path, $content);
        }
    }

    /** @param array<string, string> $env */
    private function example(string $file, array $env = []): Proc
    {
        return ReadmeProcess::run([PHP_BINARY, self::$dir . "/$file"],
            array_merge(MissionRunner::baseEnv(), ['LETTS_CONFIG' => self::$config], $env), self::$dir);
    }

    private function assertRan(Proc $p, string $stdout = ''): void
    {
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('', $p->stderr, $p->describe());
        $this->assertSame($stdout, $p->stdout, $p->describe());
    }

    private static function server(string $host): DevServer
    {
        return $host === 's2' ? self::$b : self::$a;
    }

    /** @return array<string, MissionInfo> the missions named `$mission` on `$host`, by id */
    private function missions(string $host, string $mission): array
    {
        $out = [];
        foreach (self::$client->listMissions(host: $host, filters: ['mission_prefix' => $mission, 'limit' => 1000]) as $info) {
            if ($info->missionName === $mission) {
                $out[$info->missionId] = $info;
            }
        }
        return $out;
    }

    /**
     * The one mission named `$mission` that appeared on `$host` since
     * `$before` (a missions() snapshot), once it is done.
     *
     * @param array<string, MissionInfo> $before
     */
    private function newMission(string $host, string $mission, array $before): MissionInfo
    {
        $new = array_values(array_diff_key($this->missions($host, $mission), $before));
        $this->assertCount(1, $new, "new $mission missions on $host: " . json_encode(array_map(static fn ($m) => $m->missionId, $new)));
        return $this->done($host, $new[0]->missionId);
    }

    /** Mission `$id` on `$host` once it is done (its event stream has ended). */
    private function done(string $host, string $id): MissionInfo
    {
        $events = ReadmeEvents::follow(self::server($host), $id);
        $this->assertSame('done', end($events)['event'] ?? null, json_encode($events));
        $info = self::$client->getMission($id, host: $host);
        $this->assertNotNull($info, "mission $id on $host");
        $this->assertSame('done', $info->status);
        return $info;
    }

    /** @return list<array<string, mixed>> the progress events of a finished mission */
    private static function progress(string $host, string $id): array
    {
        $events = (new Dugdale(self::server($host)))->events($id);
        return array_values(array_filter($events, static fn (array $e): bool => $e['event'] === 'progress'));
    }

    private function assertSucceeded(MissionInfo $info): void
    {
        $this->assertSame('success', $info->outcome, json_encode($info));
        $this->assertSame(0, $info->exitCode, json_encode($info));
    }

    // ------------------------------------------------- the configuration --

    public function testTheGeneratedConfigurationHasTheReadmeShape(): void
    {
        $this->assertSame(0600, fileperms(self::$config) & 0777);
        $this->assertSame(['s1', 's2'], array_map(static fn ($d) => $d->id, self::$client->dugdales(['prod'])));
        $this->assertSame(['s1', 's2', 's7'], array_map(static fn ($d) => $d->id, self::$client->dugdales()));
        [$s1, $s2, $s7] = self::$client->dugdales();
        $this->assertSame(['high', 'manual', 'normal'], self::sorted(array_keys($s1->lanes)));
        $this->assertSame(['manual', 'normal'], self::sorted(array_keys($s2->lanes)), 'the template lane high is deleted');
        $this->assertSame(['edge'], $s7->labels);
    }

    /** The README's "Full example", verbatim: it loads, and tokens resolve as its comments say (no network needed). */
    public function testTheReadmeFullExampleLoads(): void
    {
        $c = Client::fromConfig(self::$dir . '/letts.full-example.yaml');
        [$s1, $s2] = $c->dugdales();
        $this->assertSame(['s1', 's2'], [$s1->id, $s2->id]);
        $this->assertSame(['s1', 's2'], array_map(static fn ($d) => $d->id, $c->dugdales(['prod'])));
        $this->assertSame(['server1.internal', 7180, ['prod']], [$s1->host, $s1->port, $s1->labels]);
        $this->assertSame(['high', 'normal'], self::sorted(array_keys($s1->lanes)));
        $this->assertSame(['normal'], array_keys($s2->lanes), 'high: null deletes the inherited lane');

        // ${ENV} tokens are resolved when a request needs them: s1's own, s2 the auth fallback.
        $saved = [];
        foreach (['S1_TOKEN', 'LETTS_DISPATCH_TOKEN'] as $name) {
            $saved[$name] = getenv($name);
            putenv($name);
        }
        try {
            foreach ([['normal', null, 'S1_TOKEN'], [null, 'primary', 'S1_TOKEN'], [null, 's2', 'LETTS_DISPATCH_TOKEN']] as [$route, $host, $missing]) {
                try {
                    $c->dispatch(mission: 'NotifyUser', route: $route, host: $host, lane: $host === null ? null : 'normal');
                    $this->fail("dispatch to route $route / host $host did not need $missing");
                } catch (MissingEnvException $e) {
                    $this->assertSame($missing, $e->name, $e->getMessage());
                }
            }
        } finally {
            foreach ($saved as $name => $value) {
                if ($value !== false) {
                    putenv("$name=$value");
                }
            }
        }
    }

    /** @param list<string> $list */
    private static function sorted(array $list): array
    {
        sort($list);
        return $list;
    }

    // ------------------------------------------------- the client examples --

    public function testConstruction(): void
    {
        $this->assertRan($this->example('construction.php'));

        // The same file with loose permissions is refused: the example does load it.
        $loose = dirname(self::$config) . '/loose.yaml';
        copy(self::$config, $loose);
        chmod($loose, 0644);
        $p = $this->example('construction.php', ['LETTS_CONFIG' => $loose]);
        $this->assertSame(255, $p->exitCode, $p->describe());
        $this->assertStringContainsString('Letts\Exceptions\ConfigException', $p->stderr . $p->stdout, $p->describe());
        $this->assertStringContainsString('unsafe permissions', $p->stderr . $p->stdout, $p->describe());
    }

    public function testDispatch(): void
    {
        $photo = "\xFF\xD8\xFF\xE0" . random_bytes(5000);
        $this->fixture('/tmp/pic.jpg', $photo);
        $before = $this->missions('s7', 'NotifyUser');

        $this->assertRan($this->example('dispatch.php'));

        // NotifyUser (README "Input files") on s7 = server A, lane high, 30 s timeout.
        $m = $this->newMission('s7', 'NotifyUser', $before);
        $this->assertSucceeded($m);
        $this->assertSame('high', $m->lane);
        $this->assertSame(30000, $m->timeoutMs);
        $this->assertSame(['user_id' => 1], $m->input);
        $sha = hash('sha256', $photo);
        $this->assertSame(1, $m->return['user_id']);
        $this->assertSame(strlen($photo), $m->return['size']);
        $this->assertSame($sha, $m->return['sha256'], 'fileStream() reads the uploaded bytes');
        $this->assertStringEndsWith('/in/photo', $m->return['path']);
        $this->assertSame(['photo' => ['path' => $m->return['path'], 'size' => strlen($photo), 'sha256' => $sha]], $m->return['files']);
        $this->assertSame([], $this->missions('s2', 'NotifyUser'), 'nothing went to server B');
    }

    public function testRun(): void
    {
        $before = $this->missions('s1', 'GenerateThumbnails');

        // echo true prints "1".
        $this->assertRan($this->example('run.php'), '1');

        // GenerateThumbnails (README quick example) through route normal = s1, lane normal.
        $m = $this->newMission('s1', 'GenerateThumbnails', $before);
        $this->assertSucceeded($m);
        $this->assertSame('normal', $m->lane);
        $this->assertSame(['video_id' => 123], $m->input);
        $this->assertSame(['processed' => true], $m->return);
        $progress = self::progress('s1', $m->missionId);
        $this->assertSame(['processing video 123'], array_column($progress, 'message'));
        $this->assertEquals([0.5], array_column($progress, 'value'));
    }

    public function testRunWithAllOptions(): void
    {
        $template = "<html><h1>Report {{id}}</h1></html>\n";
        $this->fixture('/tmp/t.html', $template);
        $this->fixture('/tmp/out');
        $before = $this->missions('s1', 'RenderReport');

        // onProgress's printf, once per progress event of RenderReport.
        $this->assertRan($this->example('run_all_options.php'), "25% a quarter done\n0% still working\n");

        // downloadOutputsTo: the output "result" saved as /tmp/out/result.
        $this->assertSame(['result'], array_values(array_diff(scandir('/tmp/out'), ['.', '..'])));
        $this->assertSame("<html><h1>Report 9</h1></html>\n", file_get_contents('/tmp/out/result'));

        $m = $this->newMission('s1', 'RenderReport', $before);
        $this->assertSucceeded($m);
        $this->assertSame('normal', $m->lane);
        $this->assertSame(300000, $m->timeoutMs);
        $this->assertSame(['id' => 9], $m->input);
        $this->assertSame(['written' => true], $m->return);
        $this->assertSame(hash('sha256', "<html><h1>Report 9</h1></html>\n"), $m->outputs['result']['sha256'] ?? null, json_encode($m->outputs));
        $this->assertSame([0.25, null], array_map(static fn ($e) => $e['value'] ?? null, self::progress('s1', $m->missionId)));
    }

    public function testRunParallel(): void
    {
        $beforeA = $this->missions('s1', 'DiskUsage');
        $beforeB = $this->missions('s2', 'DiskUsage');

        $p = $this->example('run_parallel.php');
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame('', $p->stderr, $p->describe());
        // One line per job, in job order: "<dugdale>: <summary>".
        $this->assertMatchesRegularExpression('~\As1: / \d{1,3}% used\ns2: / \d{1,3}% used\n\z~', $p->stdout, $p->describe());

        foreach (['s1' => $beforeA, 's2' => $beforeB] as $host => $before) {
            $m = $this->newMission($host, 'DiskUsage', $before);
            $this->assertSucceeded($m);
            $this->assertSame('manual', $m->lane);
            $this->assertSame(['mount' => '/'], $m->input);
            $this->assertStringContainsString("$host: {$m->return['summary']}\n", $p->stdout);
        }
    }

    public function testRunParallelWithWaitTimeout(): void
    {
        $beforeA = $this->missions('s1', 'DiskUsage');
        $beforeB = $this->missions('s2', 'DiskUsage');

        $this->assertRan($this->example('run_parallel_wait_timeout.php'));

        foreach (['s1' => $beforeA, 's2' => $beforeB] as $host => $before) {
            $m = $this->newMission($host, 'DiskUsage', $before);
            $this->assertSucceeded($m);
            $this->assertSame(['mount' => '/tmp'], $m->input);
            $this->assertMatchesRegularExpression('~\A/tmp \d{1,3}% used\z~', $m->return['summary']);
        }
    }

    public function testRunOnAll(): void
    {
        $beforeA = $this->missions('s1', 'FlushCache');
        $beforeB = $this->missions('s2', 'FlushCache');

        $this->assertRan($this->example('run_on_all.php'));

        // s1 and s2 carry the label prod; s7 (server A too) does not, so server A ran it once.
        foreach (['s1' => $beforeA, 's2' => $beforeB] as $host => $before) {
            $m = $this->newMission($host, 'FlushCache', $before);
            $this->assertSucceeded($m);
            $this->assertSame('normal', $m->lane);
            $this->assertSame(['flushed' => ['routes', 'views', 'config']], $m->return);
            $this->assertSame(['flushed routes', 'flushed views', 'flushed config'],
                array_column(self::progress($host, $m->missionId), 'message'));
        }
    }

    public function testMissionControl(): void
    {
        $admin = new Dugdale(self::$a);
        $before = $this->missions('s1', 'FlushCache');
        // Lane manual of server A paused: the example's mission stays queued until the kill.
        $this->assertSame(200, $admin->request('POST', '/v1/admin/lanes/manual/pause', self::$a->adminToken())['status']);
        try {
            $this->assertRan($this->example('mission_control.php'));
            $new = array_values(array_diff_key($this->missions('s1', 'FlushCache'), $before));
        } finally {
            $this->assertSame(200, $admin->request('POST', '/v1/admin/lanes/manual/continue', self::$a->adminToken())['status']);
        }

        // Left behind: the restarted copy only; the original was deleted.
        $this->assertCount(1, $new, json_encode($new));
        $copy = $new[0];
        $original = (string) $copy->restartedFrom;
        $this->assertNotSame('', $original);
        $this->assertNull(self::$client->getMission($original, host: 's1'), 'deleted');
        $this->assertNull(self::$client->getMission($original), 'deleted everywhere');

        // The original was killed while queued, then restarted: the copy runs once the lane continues.
        $copy = $this->done('s1', $copy->missionId);
        $this->assertSucceeded($copy);
        $this->assertSame('manual', $copy->lane);
        $this->assertSame(['items' => ['sessions']], $copy->input);
        $this->assertSame(['flushed' => ['sessions']], $copy->return);
    }

    // ---------------------------------------- the mission-side examples --

    public function testInput(): void
    {
        $r = self::$client->run(mission: 'GreetUser', route: 'normal', input: ['user' => ['name' => 'ada'], 'plan' => 'pro']);
        $this->assertSame([
            'name' => 'ada',
            'nickname' => 'guest',
            'has_name' => true,
            'has_nickname' => false,
            'all' => ['plan' => 'pro', 'user' => ['name' => 'ada']],
        ], $r->return);

        // Without user.name the README's first line throws.
        $r = self::$client->run(mission: 'GreetUser', route: 'normal', input: ['user' => []], throwOnFailure: false);
        $this->assertSame('failed', $r->outcome);
        $this->assertSame('uncaught_exception', $r->failReason);
        $this->assertSame('input path "user.name" not found', $r->failMessage);
        $this->assertSame('InvalidArgumentException', $r->failDetails['class'] ?? null, json_encode($r->failDetails));
        // Thrown inside Mission::input(), called from the README's first line.
        $this->assertStringContainsString(self::$dir . '/missions/GreetUser.php(13): Letts\\Mission->input()',
            (string) ($r->failDetails['trace'] ?? ''));
    }

    public function testInputFilesStandalone(): void
    {
        // NotifyUser standalone: the input member is the path.
        $dir = Temp::dir('letts-readme-notify');
        file_put_contents("$dir/photo.jpg", 'pixels');
        $p = ReadmeProcess::run([PHP_BINARY, self::$dir . '/missions/NotifyUser.php', '--input=' . json_encode(['user_id' => 5, 'photo' => "$dir/photo.jpg"])],
            MissionRunner::baseEnv(), $dir);
        $this->assertSame(0, $p->exitCode, $p->describe());
        $this->assertSame(['user_id' => 5, 'path' => "$dir/photo.jpg", 'size' => 6, 'sha256' => hash('sha256', 'pixels'), 'files' => []],
            json_decode($p->stdout, true), $p->describe());
    }

    public function testCooperativeCancellation(): void
    {
        $items = array_map(static fn (int $i): string => "item$i", range(1, 200));
        $id = self::$client->dispatch(mission: 'FlushCache', host: 's1', lane: 'high', input: ['items' => $items, 'pause_ms' => 50]);
        ReadmeEvents::follow(self::$a, $id, static fn (array $e): bool => $e['event'] === 'progress');

        self::$client->kill($id, signal: 'TERM', host: 's1');

        $m = $this->done('s1', $id);
        $this->assertSame('killed', $m->outcome, json_encode($m));
        $this->assertSame('killed_by_api', $m->failReason);
        // checkSignal() threw InterruptedException: exit 1 by itself, long before the SIGKILL.
        $this->assertNull($m->signal, json_encode($m));
        $this->assertSame(1, $m->exitCode, json_encode($m));
        // (Had the loop gone on, it would have flushed all 200 items and exited 0.)
        $this->assertLessThan(200, count(self::progress('s1', $id)));
    }

    public function testSuccessAndFailure(): void
    {
        $r = self::$client->run(mission: 'ReturnValue', host: 's2', lane: 'normal');
        $this->assertTrue($r->isSuccess());
        $this->assertSame('s2', $r->host);
        $this->assertSame(['key' => 'value'], $r->return);

        $r = self::$client->run(mission: 'ReturnNothing', host: 's2', lane: 'normal');
        $this->assertTrue($r->isSuccess());
        $this->assertNull($r->return);

        try {
            self::$client->run(mission: 'CallUpstream', host: 's2', lane: 'normal', input: ['url' => 'https://upstream.invalid/v1']);
            $this->fail('CallUpstream succeeded');
        } catch (MissionFailedException $e) {
            $this->assertSame('failed', $e->getOutcome());
            $this->assertSame('explicit', $e->getReason());
            $this->assertSame('could not reach upstream', $e->getFailMessage());
            $this->assertSame(['url' => 'https://upstream.invalid/v1'], $e->getFailDetails());
            $this->assertSame(2, $e->getResult()?->exitCode);
        }
    }

    /** serve.php, the by-hand setup of examples/php/readme/README.md: its letts.yaml drives an example, and it cleans up. */
    public function testServeScript(): void
    {
        $config = Temp::dir('letts-readme-serve') . '/letts.yaml';
        $process = proc_open([PHP_BINARY, self::$dir . '/serve.php', $config],
            [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, self::$dir, MissionRunner::baseEnv());
        $this->assertIsResource($process);
        try {
            $banner = ReadmeProcess::read([1 => $pipes[1]], 20.0, static fn (array $out): bool => str_contains($out[1], 'stops both'))[1];
            $this->assertStringContainsString("export LETTS_CONFIG=$config\n", $banner, $banner);
            $this->assertSame(0600, fileperms($config) & 0777);

            $this->assertRan($this->example('run.php', ['LETTS_CONFIG' => $config]), '1');

            fclose($pipes[0]); // end of input: serve.php stops
            $rest = ReadmeProcess::read([1 => $pipes[1], 2 => $pipes[2]], 20.0);
        } finally {
            if (!isset($rest)) {
                // Failed half-way: still let it stop by itself (its servers clean up), kill it if it does not.
                if (is_resource($pipes[0])) {
                    fclose($pipes[0]);
                }
                try {
                    ReadmeProcess::read(array_filter([1 => $pipes[1], 2 => $pipes[2]], 'is_resource'), 20.0);
                } catch (\RuntimeException) {
                    proc_terminate($process, 9);
                }
            }
            $status = proc_close($process);
        }
        $this->assertSame("stopped\n", $rest[1], $rest[2]);
        $this->assertSame(0, $status, $rest[2]);
        $this->assertFileDoesNotExist($config);
    }

    public function testStandaloneDebugMode(): void
    {
        $dir = Temp::dir('letts-readme-standalone');
        symlink(self::$dir . '/missions', "$dir/missions");
        file_put_contents("$dir/payload.json", '{"video_id":7}');

        $p = ReadmeProcess::run(['/bin/sh', self::$dir . '/standalone.sh'], MissionRunner::baseEnv(), $dir, '{"video_id":99}');

        $this->assertSame(0, $p->exitCode, $p->describe());
        // Progress on stderr, the success() payload as pretty JSON on stdout.
        $this->assertSame("[progress] 0.50 processing video 42\n[progress] 0.50 processing video 7\n[progress] 0.50 processing video 99\n",
            $p->stderr, $p->describe());
        $this->assertSame(str_repeat("{\n    \"processed\": true\n}\n", 3), $p->stdout, $p->describe());
    }
}
