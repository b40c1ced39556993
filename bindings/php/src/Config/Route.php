<?php
declare(strict_types=1);

namespace Letts\Config;

/** One entry of letts.yaml's `routes`: a name standing for a host and a lane. Part of Client::getConfig(). */
final readonly class Route
{
    public function __construct(
        public string $host,
        public string $lane,
    ) {}
}
