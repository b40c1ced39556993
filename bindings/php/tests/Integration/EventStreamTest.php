<?php
declare(strict_types=1);

namespace Letts\Tests\Integration;

use Letts\Client;
use Letts\Config\Scope;
use Letts\Exceptions\DispatchException;
use Letts\Exceptions\WaitTimeoutException;
use Letts\Internal\Http\Event;
use Letts\Internal\Http\EventStream;
use Letts\Internal\IdsUuidV7;
use Letts\Tests\Support\ClientFixture;
use PHPUnit\Framework\TestCase;

/**
 * php-client's EventStream over letts_client_follow_events, and
 * listMissionsPage()'s cursor, against two devservers running PHP missions.
 */
final class EventStreamTest extends TestCase
{
    private static ?ClientFixture $fx = null;
    private static Client $client;
    private static string $done;

    public static function setUpBeforeClass(): void
    {
        self::$fx = ClientFixture::start();
        self::$client = self::$fx->client();
        self::$done = self::$client->run(mission: 'progress_steps', host: 'b', lane: 'default', input: ['steps' => 3])->missionId;
    }

    public static function tearDownAfterClass(): void
    {
        self::$fx?->stop();
        self::$fx = null;
    }

    private function stream(): EventStream
    {
        return new EventStream(self::$client->rawTransportFor('b', Scope::Dispatch));
    }

    public function testFollowDeliversEveryEventInOrderUntilDone(): void
    {
        $events = [];
        $this->stream()->follow('/v1/missions/' . self::$done . '/events?follow=true', function (Event $e) use (&$events): bool {
            $events[] = $e;
            return $e->event !== 'done';
        });
        $this->assertSame('queued', $events[0]->event);
        $this->assertSame('done', end($events)->event);
        $this->assertSame('success', end($events)->outcome);
        $this->assertSame(range(1, count($events)), array_map(fn (Event $e) => $e->seq, $events));
        $this->assertContains('progress', array_map(fn (Event $e) => $e->event, $events));
    }

    public function testFromSkipsTheEventsUpToThatSeqAndFalseStops(): void
    {
        $seqs = [];
        $this->stream()->follow('/v1/missions/' . self::$done . '/events?from=2', function (Event $e) use (&$seqs): bool {
            $seqs[] = $e->seq;
            return count($seqs) < 2;
        });
        $this->assertSame([3, 4], $seqs);
    }

    public function testAnUnknownMissionIsADispatchExceptionWithTheStatus(): void
    {
        try {
            $this->stream()->follow('/v1/missions/' . IdsUuidV7::generate() . '/events?follow=true', fn () => true);
            $this->fail('an unknown mission was followed');
        } catch (DispatchException $e) {
            $this->assertSame(404, $e->getCode());
        }
    }

    public function testWhatTheCallbackThrowsPropagates(): void
    {
        $this->expectExceptionObject(new \DomainException('stop here'));
        $this->stream()->follow('/v1/missions/' . self::$done . '/events', fn () => throw new \DomainException('stop here'));
    }

    public function testAPassedDeadlineIsAWaitTimeout(): void
    {
        $this->expectException(WaitTimeoutException::class);
        $this->stream()->follow('/v1/missions/' . self::$done . '/events', fn () => true, deadline: microtime(true) - 1);
    }

    public function testOtherPathsAndParametersAreRefused(): void
    {
        foreach (['/v1/missions', '/v1/missions/x/events?limit=3', '/v1/missions/x/events?from=-1', '/v1/missions/x/events?follow=yes'] as $path) {
            try {
                $this->stream()->follow($path, fn () => true);
                $this->fail("$path accepted");
            } catch (\InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
    }

    public function testListMissionsPageHandsOutTheNextCursor(): void
    {
        for ($i = 0; $i < 2; $i++) {
            self::$client->run(mission: 'echo_input', host: 'a', lane: 'default', input: ['i' => $i]);
        }
        $first = self::$client->listMissionsPage(host: 'a', filters: ['limit' => 1]);
        $this->assertCount(1, $first->missions);
        $this->assertNotNull($first->nextCursor);
        $second = self::$client->listMissionsPage(host: 'a', filters: ['limit' => 1, 'cursor' => $first->nextCursor]);
        $this->assertCount(1, $second->missions);
        $this->assertNotSame($first->missions[0]->missionId, $second->missions[0]->missionId);
        $all = self::$client->listMissionsPage(host: 'a', filters: ['limit' => 10]);
        $this->assertCount(2, $all->missions);
        $this->assertNull($all->nextCursor);
        $this->assertEquals($all->missions, self::$client->listMissions(host: 'a', filters: ['limit' => 10]));
    }
}
