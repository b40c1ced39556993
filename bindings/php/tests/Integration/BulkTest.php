<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\DevServer;
use Letts\Exceptions;
use Letts\Result\BulkResult;
use Letts\Result\RestartResult;
use Letts\Tests\Support\ClientFixture;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Client::bulkRestart(), bulkDelete() and restartMission() (letts/control.h)
 * against a letts-devserver running shell missions: the selection by ids or
 * filters, the dry run, the per-id items, and the server's state after.
 */
final class BulkTest extends TestCase
{
    private static ?DevServer $srv = null;
    private static Client $client;
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = Temp::dir('letts-bulk');
        foreach (['php_bulk_a', 'php_bulk_b', 'php_bulk_keep', 'php_restart'] as $name) {
            file_put_contents(self::$dir . "/$name", "#!/bin/sh\ncat >/dev/null; echo '{\"event\":\"success\"}' >&3\n");
            chmod(self::$dir . "/$name", 0755);
        }
        self::$srv = DevServer::start(self::$dir);
        self::$client = self::$srv->client(['retry_backoff' => [5]]);
    }

    public static function tearDownAfterClass(): void
    {
        self::$srv?->stop();
        self::$srv = null;
        Temp::remove(self::$dir);
    }

    private static function done(string $mission): string
    {
        return self::$client->run(mission: $mission, host: 'devserver', lane: 'default')->missionId;
    }

    /** Polls mission `$id` until it is done (a restarted one runs on its own). */
    private static function waitDone(string $id): void
    {
        $deadline = microtime(true) + 15;
        while (self::$client->getMission($id, host: 'devserver')?->status !== 'done') {
            if (microtime(true) > $deadline) {
                throw new \RuntimeException("mission $id not done within 15 s");
            }
            usleep(20000);
        }
    }

    /** @return list<string> */
    private static function listed(string $prefix): array
    {
        return array_map(fn ($m) => $m->missionId,
            self::$client->listMissions(host: 'devserver', filters: ['mission_prefix' => $prefix]));
    }

    public function testDryRunSelectsByFiltersAndChangesNothing(): void
    {
        $a = self::done('php_bulk_a');
        $b = self::done('php_bulk_b');
        $keep = self::done('php_bulk_keep');
        $before = self::listed('php_bulk_');
        $dry = self::$client->bulkDelete(host: 'devserver', filters: ['mission_prefix' => 'php_bulk_'], dryRun: true);
        $this->assertInstanceOf(BulkResult::class, $dry);
        $this->assertTrue($dry->dryRun);
        $this->assertEqualsCanonicalizing([$a, $b, $keep], $dry->ids());
        $this->assertSame([], $dry->failed());
        foreach ($dry->items as $item) {
            $this->assertFalse($item->ok);
            $this->assertNull($item->status);
        }
        $this->assertEqualsCanonicalizing($before, self::listed('php_bulk_'));
    }

    public function testBulkRestartByIdsReportsEachId(): void
    {
        $a = self::done('php_bulk_a');
        $unknown = ClientFixture::uuidv7();
        $r = self::$client->bulkRestart(host: 'devserver', ids: [$a, $unknown]);
        $this->assertFalse($r->dryRun);
        $this->assertSame([$a, $unknown], $r->ids());
        $this->assertTrue($r->items[0]->ok);
        $newId = $r->items[0]->missionId;
        $this->assertIsString($newId);
        $this->assertSame($a, self::$client->getMission($newId, host: 'devserver')?->restartedFrom);
        self::waitDone($newId);
        $this->assertFalse($r->items[1]->ok);
        $this->assertSame('not_found', $r->items[1]->error);
        $this->assertCount(1, $r->failed());
    }

    public function testBulkDeleteByFiltersDeletesExactlyTheSelection(): void
    {
        $a = self::done('php_bulk_a');
        $keep = self::done('php_bulk_keep');
        $r = self::$client->bulkDelete(host: 'devserver', filters: ['mission_prefix' => 'php_bulk_a', 'status' => 'done']);
        $this->assertContains($a, $r->ids());
        $this->assertNotContains($keep, $r->ids());
        foreach ($r->items as $item) {
            $this->assertTrue($item->ok, (string) $item->error);
            $this->assertSame('deletion_pending', $item->status);
        }
        $this->assertSame([], self::listed('php_bulk_a'));
        $this->assertContains($keep, self::listed('php_bulk_keep'));
        $this->assertNull(self::$client->getMission($a, host: 'devserver'));
    }

    public function testRestartMissionGivesTheWholeAnswer(): void
    {
        $id = self::done('php_restart');
        $r = self::$client->restartMission($id, host: 'devserver');
        $this->assertInstanceOf(RestartResult::class, $r);
        $this->assertSame($id, $r->restartedFrom);
        $this->assertSame('queued', $r->status);
        $this->assertSame($id, self::$client->getMission($r->missionId, host: 'devserver')?->restartedFrom);
        self::waitDone($r->missionId);
    }

    public function testBadArgumentsAreExceptionsNamingThem(): void
    {
        try {
            self::$client->bulkRestart(host: 'devserver');
            $this->fail('nothing selected was accepted');
        } catch (\InvalidArgumentException $e) {
            $this->assertStringContainsString('ids or a filter', $e->getMessage());
        }
        try {
            self::$client->bulkDelete(ids: [ClientFixture::uuidv7()]);
            $this->fail('no host was accepted');
        } catch (Exceptions\BadRequestException $e) {
            $this->assertStringContainsString('host is required for bulkDelete', $e->getMessage());
        }
        try {
            self::$client->bulkDelete(host: 'devserver', ids: ['']);
            $this->fail('an empty id was accepted');
        } catch (\InvalidArgumentException $e) {
            $this->assertStringContainsString('ids[0]', $e->getMessage());
        }
    }
}
