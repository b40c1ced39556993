<?php
declare(strict_types=1);

namespace Letts\Result;

/**
 * The daemon's answer to a restart (Client::restartMission()): the new
 * mission's id, the id it was restarted from, and its status ("queued").
 */
final readonly class RestartResult
{
    public function __construct(
        public string $missionId,
        public string $restartedFrom,
        public string $status,
    ) {}
}
