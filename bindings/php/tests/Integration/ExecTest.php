<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\DevServer;
use Letts\Exceptions;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Client::execDispatch(), execRun(), execWait(), execGet() and
 * execDownloadOutput() (letts/exec.h) against a devserver with exec
 * enabled, through a letts.yaml with an exec and an admin token and no
 * dispatch token, so every read of an exec must use the exec token.
 */
final class ExecTest extends TestCase
{
    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-exec');
        mkdir(self::$dir . '/data', 0700);
        mkdir(self::$dir . '/missions', 0755);
        $yaml = sprintf("listen: 127.0.0.1:0\ndata_dir: %s\nauth:\n  tokens: [dispatch-token]\nadmin:\n  tokens: [admin-token]\n"
            . "exec:\n  enabled: true\n  tokens: [exec-token]\n", json_encode(self::$dir . '/data', JSON_UNESCAPED_SLASHES));
        self::$srv = DevServer::start(config: $yaml);
        self::$srv->apply(['mission_dir' => self::$dir . '/missions', 'lanes' => (object) ['default' => ['concurrency' => 2]]]);
        self::$client = self::clientWith('{exec_token: exec-token, admin_token: admin-token}');
    }

    public static function tearDownAfterClass(): void
    {
        self::$srv?->stop();
        self::$srv = null;
        Temp::remove(self::$dir);
    }

    private static function clientWith(string $auth): Client
    {
        $path = self::$dir . '/letts-' . md5($auth) . '.yaml';
        file_put_contents($path, sprintf("auth: %s\ndugdales:\n  - id: dev\n    url: %s\n    lanes: {default: {concurrency: 2}}\n",
            $auth, json_encode(self::$srv->url(), JSON_UNESCAPED_SLASHES)));
        chmod($path, 0600);
        return Client::fromConfig($path);
    }

    public function testExecRunStagesItsFilesAndDownloadsTheOutput(): void
    {
        file_put_contents(self::$dir . '/s.sh', "tr a-z A-Z < \"\$LETTS_IN_doc\" > \"\$LETTS_OUT_res\"\ncat\n");
        file_put_contents(self::$dir . '/doc.txt', "php exec\n");
        $result = self::$client->execRun(
            host: 'dev', lane: 'default', command: ['sh', '-e', 'script/script'],
            script: self::$dir . '/s.sh', in: ['doc' => self::$dir . '/doc.txt'], out: ['res'],
            stdin: "from stdin\n", fetchLogs: true,
        );
        self::assertSame('success', $result->outcome);
        self::assertSame(0, $result->exitCode);
        self::assertSame("from stdin\n", $result->logs->stdout);
        self::assertSame("PHP EXEC\n", self::$client->execDownloadOutput($result, 'res'));
    }

    public function testAFailingExitIsMissionFailedWithItsExitCode(): void
    {
        try {
            self::$client->execRun(host: 'dev', lane: 'default', command: ['false']);
            self::fail('no MissionFailedException');
        } catch (Exceptions\MissionFailedException $e) {
            self::assertSame('failed', $e->getResult()?->outcome);
            self::assertSame(1, $e->getResult()?->exitCode);
        }
    }

    public function testDispatchWaitAndGet(): void
    {
        $id = self::$client->execDispatch(host: 'dev', lane: 'default', command: ['true'], displayName: 'php true');
        self::assertSame('success', self::$client->execWait($id, 'dev')->outcome);
        $info = self::$client->execGet($id, 'dev');
        self::assertNotNull($info);
        self::assertSame('exec', $info->kind);
        self::assertSame('php true', $info->displayName);
    }

    public function testEventsAndOutputOfAnExecWithTheExecToken(): void
    {
        file_put_contents(self::$dir . '/streams.sh', "printf 'out\\0put'\necho err >&2\n");
        $id = self::$client->execDispatch(host: 'dev', lane: 'default', command: ['sh', 'script/script'],
            script: self::$dir . '/streams.sh');
        $events = [];
        self::$client->execFollowEvents($id, 'dev', function (array $e) use (&$events): void {
            $events[] = $e['event'];
        });
        self::assertSame('done', end($events), 'the followed events end with done: ' . json_encode($events));
        $out = '';
        self::$client->execStreamOutput($id, 'dev', function (string $chunk) use (&$out): void {
            $out .= $chunk;
        });
        self::assertSame("out\0put", $out);
        $err = '';
        self::$client->execStreamOutput($id, 'dev', function (string $chunk) use (&$err): void {
            $err .= $chunk;
        }, stream: 'stderr');
        self::assertSame("err\n", $err);
        // The mission routes refuse an exec to the exec token's holder, so
        // the exec variants are what reaches it.
        try {
            self::$client->followEvents($id, 'dev', fn (array $e) => null);
            self::fail('followEvents() of an exec with this client: expected an exception');
        } catch (Exceptions\LettsException $e) {
            self::assertStringContainsString('dispatch', strtolower($e->getMessage()));
        }
    }

    public function testWithoutAnExecTokenTheErrorNamesTheKeys(): void
    {
        $client = self::clientWith('{token: dispatch-token}');
        $this->expectException(Exceptions\ConfigException::class);
        $this->expectExceptionMessage('auth.exec_token');
        $client->execDispatch(host: 'dev', lane: 'default', command: ['true']);
    }
}
