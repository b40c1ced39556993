<?php
declare(strict_types=1);

namespace Letts\Config;

/** A lane a dugdale declares in letts.yaml: its concurrency and whether it starts paused. */
final readonly class LaneCfg
{
    public function __construct(
        public int $concurrency,
        public bool $paused = false,
    ) {}
}
