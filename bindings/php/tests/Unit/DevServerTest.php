<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\DevServer;
use Letts\Exceptions\ConfigException;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/** Letts\DevServer, embedded through libletts and as the letts-devserver program. */
final class DevServerTest extends TestCase
{
    /** @return array{0: int, 1: string} HTTP status and body; status 0 when nothing answers */
    private static function get(string $url, string $token = ''): array
    {
        $context = stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 10,
            'header' => $token !== '' ? "Authorization: Bearer $token\r\n" : '']]);
        $body = @file_get_contents($url, false, $context);
        if ($body === false) {
            return [0, ''];
        }
        preg_match('/^HTTP\/\S+ (\d+)/', $http_response_header[0] ?? '', $m);
        return [(int) ($m[1] ?? 0), $body];
    }

    /** @return iterable<string, array{\Closure(string): DevServer}> */
    public static function starters(): iterable
    {
        yield 'embedded' => [static fn (string $dir) => DevServer::start(missionDir: $dir)];
        yield 'binary' => [static fn (string $dir) => DevServer::startBinary(missionDir: $dir)];
    }

    /** @dataProvider starters */
    public function testStartsReadyAndStops(\Closure $start): void
    {
        $dir = Temp::dir('letts-ds-missions');
        $srv = $start($dir);
        $this->assertMatchesRegularExpression('#^http://127\.0\.0\.1:\d+$#', $srv->url());
        $this->assertSame((int) parse_url($srv->url(), PHP_URL_PORT), $srv->port());
        $this->assertSame($dir, $srv->missionDir());
        $this->assertNotSame('', $srv->dispatchToken());
        $this->assertNotSame('', $srv->adminToken());
        $this->assertDirectoryExists($srv->dataDir());
        $config = $srv->clientConfig();
        $this->assertStringContainsString("url: {$srv->url()}\n", $config);
        $this->assertStringContainsString('token: "' . $srv->dispatchToken() . '"', $config);
        $this->assertStringContainsString('admin_token: "' . $srv->adminToken() . '"', $config);

        $this->assertSame([200, '{"status":"ok"}'], [self::get($srv->url() . '/v1/healthz')[0], trim(self::get($srv->url() . '/v1/healthz')[1])]);
        [$status, $body] = self::get($srv->url() . '/v1/lanes', $srv->dispatchToken());
        $this->assertSame(200, $status, $body);
        $this->assertStringContainsString('"default"', $body);

        $srv->stop();
        $srv->stop();
        $this->assertSame(0, self::get($srv->url() . '/v1/healthz')[0], 'nothing answers after stop()');
        clearstatcache();
        $this->assertDirectoryDoesNotExist($srv->dataDir(), 'the temporary data directory is removed');
    }

    public function testAConfigurationAndApply(): void
    {
        $data = Temp::dir('letts-ds-data');
        $srv = DevServer::start(config: "listen: 127.0.0.1:0\ndata_dir: $data\nauth:\n  tokens: [d-token]\nadmin:\n  tokens: [a-token]\n");
        try {
            $this->assertNull($srv->missionDir());
            $this->assertSame(['d-token', 'a-token', $data], [$srv->dispatchToken(), $srv->adminToken(), $srv->dataDir()]);
            $this->assertStringNotContainsString('lanes:', $srv->clientConfig());
            $srv->apply(['mission_dir' => $data, 'lanes' => ['high' => ['concurrency' => 2]]]);
            [$status, $body] = self::get($srv->url() . '/v1/lanes', 'd-token');
            $this->assertSame(200, $status, $body);
            $this->assertStringContainsString('"high"', $body);
        } finally {
            $srv->stop();
        }
    }

    public function testStartPhpRunsPhpMissionsAndCleansUp(): void
    {
        $dir = Temp::dir('letts-ds-php');
        file_put_contents("$dir/hello.php", '<?php require ' . var_export(realpath(__DIR__ . '/../../autoload.php'), true)
            . '; $m = Letts\\Mission::start(); $m->success(["hello" => $m->input("name")]);');
        $srv = DevServer::startPhp($dir, ['work' => ['concurrency' => 1]]);
        $this->assertSame(realpath($dir), $srv->missionDir());
        $api = new \Letts\Tests\Support\Dugdale($srv);
        $m = $api->waitStatus($api->dispatch('hello', ['name' => 'ada'], [], 'work'), 'done');
        $this->assertSame('success', $m['outcome'], json_encode($m));
        $this->assertSame(['hello' => 'ada'], $m['return']);
        $data = $srv->dataDir();
        $this->assertDirectoryExists("$data/work");
        $srv->stop();
        clearstatcache();
        $this->assertDirectoryDoesNotExist($data);
    }

    public function testAnInvalidConfigurationIsAConfigException(): void
    {
        try {
            DevServer::start(config: "listen: 127.0.0.1:0\nno_such_key: 1\n");
            $this->fail('expected a ConfigException');
        } catch (ConfigException $e) {
            $this->assertStringContainsString('no_such_key', $e->getMessage());
        }
    }

    public function testConfigAndConfigFileTogetherAreRefused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        DevServer::start(config: 'listen: 127.0.0.1:0', configFile: '/etc/dugdale.yaml');
    }

    public function testBinaryThatCannotStartReportsWhy(): void
    {
        $file = Temp::dir('letts-ds-conf') . '/dugdale.yaml';
        file_put_contents($file, "listen: 127.0.0.1:0\nno_such_key: 1\n");
        try {
            DevServer::startBinary(configFile: $file);
            $this->fail('expected a RuntimeException');
        } catch (\RuntimeException $e) {
            $this->assertStringContainsString('exit status 3', $e->getMessage());
            $this->assertStringContainsString('no_such_key', $e->getMessage());
        }
    }
}
