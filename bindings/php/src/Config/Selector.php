<?php
declare(strict_types=1);

namespace Letts\Config;

/** letts.yaml's `selector`: the default label filter of auto-select, as written (placeholders unresolved). Part of Client::getConfig(). */
final readonly class Selector
{
    /** @param list<string> $match */
    public function __construct(
        public array $match = [],
    ) {}
}
