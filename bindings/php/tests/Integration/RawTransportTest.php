<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\Config\Scope;
use Letts\DevServer;
use Letts\Exceptions;
use Letts\Internal\Http\HttpTransport;
use Letts\Tests\Support\ClientFixture;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Client::rawTransportFor() (php-client's escape hatch) over libletts' raw
 * request, against a letts-devserver: the answers, php-client's exception
 * mapping, the staging HEAD shape, and the dugdale's proxy honoured.
 */
final class RawTransportTest extends TestCase
{
    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$srv = DevServer::start();
        self::$client = self::$srv->client(['retry_backoff' => [5]]);
        self::$dir = Temp::dir('letts-raw-transport');
    }

    public static function tearDownAfterClass(): void
    {
        self::$srv?->stop();
        self::$srv = null;
        Temp::remove(self::$dir);
    }

    public function testScopeHasPhpClientsCasesAndValues(): void
    {
        $this->assertSame(['Dispatch' => 'dispatch', 'Admin' => 'admin', 'Exec' => 'exec'],
            array_combine(array_map(fn (Scope $s) => $s->name, Scope::cases()), array_map(fn (Scope $s) => $s->value, Scope::cases())));
        $this->assertSame(Scope::Admin, Scope::from('admin'));
    }

    public function testJsonRequestReturnsTheDecodedAnswer(): void
    {
        $t = self::$client->rawTransportFor('devserver', Scope::Dispatch);
        $this->assertInstanceOf(HttpTransport::class, $t);
        $this->assertSame('devserver', $t->host());
        $out = $t->jsonRequest('GET', '/v1/dugdale');
        $this->assertIsString($out['version'] ?? null);
        // An empty array is no body for a read, as a read carries none.
        $this->assertSame($out['version'], $t->jsonRequest('GET', '/v1/dugdale', [])['version']);
    }

    public function testAWrongScopeIsAnAuthExceptionWithTheDaemonsMessage(): void
    {
        try {
            self::$client->rawTransportFor('devserver', Scope::Dispatch)->jsonRequest('GET', '/v1/admin/state');
            $this->fail('expected an AuthException');
        } catch (Exceptions\AuthException $e) {
            $this->assertSame(403, $e->getCode());
            $this->assertSame('token does not have required scope', $e->getMessage());
            $this->assertSame('forbidden', $e->getErrorCode());
            $this->assertSame('devserver', $e->getDugdale());
        }
        $state = self::$client->rawTransportFor('devserver', Scope::Admin)->jsonRequest('GET', '/v1/admin/state');
        $this->assertIsArray($state);
    }

    public function testPostSendsTheBodyAndTheExtraHeaders(): void
    {
        $t = self::$client->rawTransportFor('devserver', Scope::Dispatch);
        $id = ClientFixture::uuidv7();
        $out = $t->jsonRequest('POST', '/v1/dispatch', ['mission' => 'absent', 'lane' => 'default'], ['Idempotency-Key' => $id]);
        $this->assertSame(['mission_id' => $id, 'status' => 'queued'], $out);
        try {
            $t->jsonRequest('POST', '/v1/dispatch', ['mission' => 'other', 'lane' => 'default'], ['Idempotency-Key' => $id]);
            $this->fail('expected a ConflictException');
        } catch (Exceptions\ConflictException $e) {
            $this->assertSame(409, $e->getCode());
            $this->assertSame('idempotency_conflict', $e->getErrorCode());
        }
        try {
            $t->jsonRequest('POST', '/v1/dispatch', ['mission' => 'absent'], ['Idempotency-Key' => $id]);
            $this->fail('expected a BadRequestException');
        } catch (Exceptions\BadRequestException $e) {
            $this->assertSame(400, $e->getCode());
        }
        try {
            $t->jsonRequest('GET', '/v1/missions/' . ClientFixture::uuidv7());
            $this->fail('expected a DispatchException');
        } catch (Exceptions\DispatchException $e) {
            $this->assertSame(404, $e->getCode());
            $this->assertStringStartsWith('HTTP 404: ', $e->getMessage());
        }
    }

    public function testHeadGivesTheUploadStateOfAStagingFile(): void
    {
        $path = self::$dir . '/doc.txt';
        file_put_contents($path, str_repeat('letts ', 1000));
        self::$client->dispatch(mission: 'absent', host: 'devserver', lane: 'default', files: ['doc' => $path]);
        $sha = hash_file('sha256', $path);
        $size = filesize($path);
        $found = self::$client->rawTransportFor('devserver', Scope::Admin)
            ->jsonRequest('GET', "/v1/staging/by-content/$sha?size=$size");
        $this->assertSame($sha, $found['sha256']);

        // A complete file announces only its state (http-api.md §5.17); the
        // byte counts are headers of an incomplete upload.
        $t = self::$client->rawTransportFor('devserver', Scope::Dispatch);
        $this->assertSame(
            ['status' => 200, 'uploadStatus' => 'complete', 'bytesReceived' => null, 'totalSize' => null],
            $t->head('/v1/staging/' . $found['staging_id']));
        $this->assertSame(
            ['status' => 404, 'uploadStatus' => null, 'bytesReceived' => null, 'totalSize' => null],
            $t->head('/v1/staging/' . ClientFixture::uuidv7()));
        // letts.yaml has no exec token: said at the first request.
        $exec = self::$client->rawTransportFor('devserver', Scope::Exec);
        $this->expectException(Exceptions\ConfigException::class);
        $this->expectExceptionMessage('no exec token configured for dugdale "devserver"');
        $exec->head('/v1/staging/' . $found['staging_id']);
    }

    public function testArgumentsThatCouldInjectAreRefused(): void
    {
        $t = self::$client->rawTransportFor('devserver', Scope::Dispatch);
        foreach ([
            fn () => $t->jsonRequest('GET', "/v1/dugdale\r\nX-Evil: 1"),
            fn () => $t->jsonRequest('GET', '/v1/dugdale', null, ['X-Evil' => "1\r\nHost: elsewhere"]),
            fn () => $t->jsonRequest('GET', '/v1/dugdale', null, ['Authorization' => 'Bearer stolen']),
            fn () => $t->jsonRequest('get', '/v1/dugdale'),
        ] as $i => $call) {
            try {
                $call();
                $this->fail("case $i: expected an InvalidArgumentException");
            } catch (\InvalidArgumentException $e) {
                $this->assertStringNotContainsString('stolen', $e->getMessage());
                $this->assertStringNotContainsString(self::$srv->dispatchToken(), $e->getMessage());
            }
        }
    }

    public function testTheDugdalesProxyIsUsedNeverBypassed(): void
    {
        // The server is reachable directly; only through the dead proxy
        // does the request fail.
        $config = self::$dir . '/proxied.yaml';
        file_put_contents($config, "dugdales:\n  - id: d1\n    url: " . self::$srv->url()
            . "\n    token: \"" . self::$srv->dispatchToken() . "\"\n    proxy: \"http://127.0.0.1:1\"\n");
        chmod($config, 0600);
        $client = Client::fromConfig($config, ['retry_backoff' => [5]]);
        try {
            $client->rawTransportFor('d1', Scope::Dispatch)->jsonRequest('GET', '/v1/dugdale');
            $this->fail('expected a NetworkException');
        } catch (Exceptions\NetworkException $e) {
            $this->assertSame('d1', $e->getHost());
            $this->assertStringNotContainsString(self::$srv->dispatchToken(), $e->getMessage());
        }
    }
}
