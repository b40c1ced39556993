<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Client;
use Letts\Config\Auth;
use Letts\Config\Config;
use Letts\Config\ConfigLoader;
use Letts\Config\ConfigParser;
use Letts\Config\HostResolver;
use Letts\Config\LaneCfg;
use Letts\Config\Route;
use Letts\Exceptions\ConfigException;
use Letts\Exceptions\MissingEnvException;
use Letts\Internal\IdsUuidV7;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * php-client's configuration model built from the library's loaded
 * letts.yaml (letts_config_json), HostResolver over letts_target_resolve,
 * ConfigLoader/ConfigParser over the library's loading, and IdsUuidV7.
 */
final class ConfigModelTest extends TestCase
{
    private const YAML = <<<'YAML'
        auth: {token: top, admin_token: "${ADM}"}
        defaults: {port: 7180}
        selector: {match: [prod]}
        aliases:
          web: s1
          viaenv: "${LETTS_I17_ALIAS}"
        routes:
          report: {host: web, lane: normal}
        templates:
          base:
            labels: [prod]
            lanes: {normal: {concurrency: 2}}
            runtime: {command_template: [php, "{mission_path}"]}
        dugdales:
          - id: s1
            host: 10.0.0.1
            extends: base
          - id: s2
            url: http://s2.internal:9000
            proxy: null
            lanes: {slow: {concurrency: 1, paused: true}}
        YAML;

    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-config-model');
    }

    public static function tearDownAfterClass(): void
    {
        Temp::remove(self::$dir);
    }

    public function testTheModelHasTheMergedValuesAsWritten(): void
    {
        $c = ConfigParser::parse(self::YAML);
        $this->assertEquals(new Auth('top', '${ADM}', ''), $c->auth);
        $this->assertSame(7180, $c->defaults->port);
        $this->assertSame(['prod'], $c->selector->match);
        $this->assertEquals(['report' => new Route('web', 'normal')], $c->routes);
        // Keyed sections come sorted by name, not in file order (README).
        $this->assertSame(['viaenv' => '${LETTS_I17_ALIAS}', 'web' => 's1'], $c->aliases);
        $this->assertSame(['prod'], $c->templates['base']->labels);
        $s1 = $c->findDugdale('s1');
        $this->assertSame(['prod'], $s1->labels);
        $this->assertSame(0, $s1->port);  // as written; defaults.port applies when used, as php-client
        $this->assertEquals(['normal' => new LaneCfg(2)], $s1->lanes);
        $this->assertSame(['php', '{mission_path}'], $s1->runtime->commandTemplate);
        $this->assertSame('base', $s1->extends);
        $s2 = $c->findDugdale('s2');
        $this->assertTrue($s2->proxyNullified);
        $this->assertFalse($s1->proxyNullified);
        $this->assertEquals(['slow' => new LaneCfg(1, true)], $s2->lanes);
        $this->assertNull($c->findDugdale('web'));
    }

    public function testTheClientsConfigAndHostResolver(): void
    {
        $path = self::$dir . '/letts.yaml';
        file_put_contents($path, self::YAML);
        chmod($path, 0600);
        $client = Client::fromConfig($path);
        $this->assertSame(['s1', 's2'], array_map(fn ($d) => $d->id, $client->getConfig()->dugdales));
        $this->assertEquals($client->getConfig(), $client->withMatch(['x'])->getConfig());
        $r = $client->getHostResolver();
        $this->assertSame('s1', $r->resolve('web'));
        $this->assertSame('s2', $r->resolve('s2'));
        $this->assertSame(['host' => 's1', 'lane' => 'normal'], $r->resolveRoute('report'));
        putenv('LETTS_I17_ALIAS=s2');
        try {
            $this->assertSame('s2', $r->resolve('viaenv'));
        } finally {
            putenv('LETTS_I17_ALIAS');
        }
        $this->expectException(MissingEnvException::class);
        $r->resolve('viaenv');
    }

    public function testUnknownHostsAndRoutesAreConfigExceptions(): void
    {
        $r = new HostResolver(ConfigParser::parse(self::YAML));
        foreach ([fn () => $r->resolve('nope'), fn () => $r->resolveRoute('nope')] as $call) {
            try {
                $call();
                $this->fail('resolved');
            } catch (ConfigException $e) {
                $this->assertStringContainsString('"nope"', $e->getMessage());
            }
        }
    }

    public function testAHandBuiltConfigCannotBeResolved(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        new HostResolver(new Config());
    }

    public function testTheLoaderKeepsTheLibrarysRules(): void
    {
        $path = self::$dir . '/open.yaml';
        file_put_contents($path, self::YAML);
        chmod($path, 0644);
        try {
            ConfigLoader::loadFromPath($path);
            $this->fail('a plain-text token in a 0644 file was accepted');
        } catch (ConfigException $e) {
            $this->assertStringContainsString('0600', $e->getMessage());
        }
        chmod($path, 0600);
        $this->assertSame('s1', ConfigLoader::loadFromPath($path)->dugdales[0]->id);
        $this->expectException(ConfigException::class);
        ConfigParser::parse("dugdales: []\nunknown: 1\n");
    }

    public function testHttpDefaultOptionsDescribeTheTimeouts(): void
    {
        $this->assertSame(['timeout' => 30], Client::httpDefaultOptions([]));
        $this->assertSame(['timeout' => 5, 'max_connect_duration' => 2], Client::httpDefaultOptions(['request_timeout' => 5, 'connect_timeout' => 2]));
    }

    public function testUuidV7IsCanonicalAndIncreasing(): void
    {
        $ids = [];
        for ($i = 0; $i < 200; $i++) {
            $ids[] = IdsUuidV7::generate();
        }
        foreach ($ids as $id) {
            $this->assertMatchesRegularExpression('/\A[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\z/', $id);
        }
        $sorted = $ids;
        sort($sorted, SORT_STRING);
        $this->assertSame($ids, $sorted);
        $this->assertCount(200, array_unique($ids));
        $ms = hexdec(str_replace('-', '', substr($ids[0], 0, 13)));
        $this->assertLessThan(5000, abs($ms - (int) (microtime(true) * 1000)));
    }
}
