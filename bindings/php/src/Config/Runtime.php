<?php
declare(strict_types=1);

namespace Letts\Config;

/**
 * The `runtime` block of a dugdale in letts.yaml. Accepted for parity with the
 * letts CLI; the client does not use it (it configures the daemon).
 */
final readonly class Runtime
{
    /** @param list<string> $commandTemplate */
    public function __construct(
        public string $missionPathTemplate = '',
        public array $commandTemplate = [],
        public bool $validateMissionFile = false,
    ) {}
}
