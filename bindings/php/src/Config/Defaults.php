<?php
declare(strict_types=1);

namespace Letts\Config;

/** letts.yaml's `defaults` (the port of a dugdale given without one; 0 when unset), as written (placeholders unresolved). Part of Client::getConfig(). */
final readonly class Defaults
{
    public function __construct(
        public int $port = 0,
    ) {}
}
