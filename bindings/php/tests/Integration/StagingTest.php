<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\Config\Scope;
use Letts\DevServer;
use Letts\Exceptions;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * The staging additions of Client (letts/staging.h) against a
 * letts-devserver: upload, HEAD, download whole and by range, the list of a
 * mission's files, by-content with the admin token and refused with the
 * dispatch token, delete and what the store says afterwards.
 */
final class StagingTest extends TestCase
{
    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-staging');
        file_put_contents(self::$dir . '/php_staging_holder', "#!/bin/sh\ncat >/dev/null; echo '{\"event\":\"success\"}' >&3\n");
        chmod(self::$dir . '/php_staging_holder', 0755);
        self::$srv = DevServer::start(self::$dir);
        self::$client = self::$srv->client(['retry_backoff' => [5]]);
    }

    public static function tearDownAfterClass(): void
    {
        self::$srv?->stop();
        self::$srv = null;
        Temp::remove(self::$dir);
    }

    public function testUploadHeadDownloadAndDelete(): void
    {
        $content = str_repeat("staged from PHP\n", 5000);
        $src = self::$dir . '/src.bin';
        file_put_contents($src, $content);
        $file = self::$client->stageFile($src, host: 'devserver');
        $this->assertSame(hash('sha256', $content), $file['sha256']);
        $this->assertSame(strlen($content), $file['size']);

        $head = self::$client->stagingHead($file['staging_id'], host: 'devserver');
        $this->assertSame(['state' => 'complete', 'sha256' => $file['sha256'], 'size' => strlen($content), 'bytes_received' => strlen($content)], $head);

        $dest = self::$dir . '/whole.bin';
        self::$client->downloadStaging($file['staging_id'], $dest, host: 'devserver');
        $this->assertSame($content, file_get_contents($dest));
        $this->assertSame(substr($content, 100, 40), self::$client->readStaging($file['staging_id'], host: 'devserver', offset: 100, length: 40));

        $this->assertSame($file, self::$client->stagingByContent($file['sha256'], $file['size'], host: 'devserver', scope: Scope::Admin));
        $this->assertNull(self::$client->stagingByContent($file['sha256'], $file['size'] + 1, host: 'devserver', scope: Scope::Admin));
        try {
            self::$client->stagingByContent($file['sha256'], $file['size'], host: 'devserver', scope: Scope::Dispatch);
            $this->fail('by-content with the dispatch token was not refused');
        } catch (Exceptions\AuthException $e) {
            $this->assertSame(403, $e->getCode());
            $this->assertSame('forbidden', $e->getErrorCode());
        }

        self::$client->deleteStaging($file['staging_id'], host: 'devserver');
        $this->assertSame('deleting', self::$client->stagingHead($file['staging_id'], host: 'devserver')['state']);
        $gone = self::$dir . '/gone.bin';
        try {
            self::$client->downloadStaging($file['staging_id'], $gone, host: 'devserver');
            $this->fail('a deleted file was downloaded');
        } catch (Exceptions\StagingException $e) {
            $this->assertStringContainsString('deleting', $e->getMessage());
        }
        $this->assertFileDoesNotExist($gone);
        $this->assertFileDoesNotExist($gone . '.partial');
        $this->assertNull(self::$client->stagingHead('01923b6e-7a02-7d11-8e3f-0a1b2c3d4e5f', host: 'devserver'));
    }

    public function testListOfAMission(): void
    {
        $src = self::$dir . '/input.txt';
        file_put_contents($src, "listed\n");
        $result = self::$client->run(mission: 'php_staging_holder', host: 'devserver', lane: 'default', files: ['report' => $src]);
        $page = self::$client->listStaging($result->missionId, host: 'devserver', refKind: 'input');
        $this->assertCount(1, $page['files']);
        $this->assertSame('report', $page['files'][0]['role']);
        $this->assertSame(7, $page['files'][0]['size']);
        $this->assertNull($page['next_cursor']);
        $this->expectException(Exceptions\BadRequestException::class);
        self::$client->listStaging('', host: 'devserver');
    }
}
