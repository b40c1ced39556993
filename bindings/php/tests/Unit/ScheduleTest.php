<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use Letts\Client;
use Letts\Schedule;
use Letts\Tests\Support\Temp;
use PHPUnit\Framework\TestCase;

/**
 * Letts\Schedule without a daemon: next fire times (cron in a zone across a
 * DST change, intervals), the tick ids, and the errors of bad entries.
 */
final class ScheduleTest extends TestCase
{
    private string $dir;

    protected function setUp(): void
    {
        $this->dir = Temp::dir('letts-schedule-unit');
        file_put_contents("$this->dir/letts.yaml", "dugdales:\n  - id: s1\n    url: http://127.0.0.1:1\n");
        chmod("$this->dir/letts.yaml", 0600);
    }

    protected function tearDown(): void
    {
        Temp::remove($this->dir);
    }

    private function schedule(): Schedule
    {
        return new Schedule(Client::fromConfig("$this->dir/letts.yaml"));
    }

    public function testNextFireTimes(): void
    {
        $s = $this->schedule()
            ->add('every', '@every 1s', 'm', host: 's1', lane: 'default')
            ->add('nightly', '30 2 * * *', 'm', 'Europe/Berlin', host: 's1', lane: 'default');
        $this->assertSame([2000, 3000, 4000], $s->next('every', 1500, 3));
        // 2026-03-28T12:00Z: 02:30 does not exist on the 29th; it fires at 03:00 CEST (01:00Z).
        $this->assertSame([1774746000000, 1774830600000], $s->next('nightly', 1774699200000, 2));
    }

    public function testTickIdIsTheUniqueIdOfTheTick(): void
    {
        $id = Schedule::tickId('nightly', 1774746000000);
        // letts/unique.h's derivation, written out: window 1 ms, start = the tick.
        $d = hash_hmac('sha256', pack('J', 1774746000000) . pack('J', 1) . 'nightly',
            'letts unique mission id v1', true);
        $b = substr(pack('J', 1774746000000), 2) . chr(0x70 | (ord($d[0]) & 0x0F)) . $d[1]
            . chr(0x80 | (ord($d[2]) & 0x3F)) . substr($d, 3, 7);
        $hex = bin2hex($b);
        $this->assertSame(sprintf('%s-%s-%s-%s-%s', substr($hex, 0, 8), substr($hex, 8, 4),
            substr($hex, 12, 4), substr($hex, 16, 4), substr($hex, 20)), $id);
        $this->assertStringStartsWith('019d371a-da80-7', $id);  // the tick time in the id
        $this->assertMatchesRegularExpression('/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/', $id);
        $this->assertSame($id, Schedule::tickId('nightly', 1774746000000));
        $this->assertNotSame($id, Schedule::tickId('nightly', 1774746001000));
        $this->assertNotSame($id, Schedule::tickId('other', 1774746000000));
    }

    public function testBadEntriesNameTheProblem(): void
    {
        $s = $this->schedule();
        try {
            $s->add('bad', '* 25 * * *', 'm', host: 's1', lane: 'default');
            $this->fail('expected an InvalidArgumentException');
        } catch (\InvalidArgumentException $e) {
            $this->assertStringContainsString('hour field "25": 25 is out of range 0-23', $e->getMessage());
        }
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage('Europe/Nowhere');
        $s->add('zone', '@daily', 'm', 'Europe/Nowhere', host: 's1', lane: 'default');
    }
}
