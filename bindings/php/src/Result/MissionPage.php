<?php
declare(strict_types=1);

namespace Letts\Result;

/**
 * One page of a mission listing (Client::listMissionsPage()): the missions,
 * as listMissions() returns them, and the cursor of the next page — pass it
 * as the `cursor` filter to get that page; null on the last one.
 */
final readonly class MissionPage
{
    /** @param list<MissionInfo> $missions */
    public function __construct(
        public array $missions,
        public ?string $nextCursor,
    ) {}
}
