<?php
declare(strict_types=1);

namespace Letts\Config;

/**
 * One dugdale of letts.yaml after `extends` was merged, with the values as
 * written: tokens, hosts and aliases keep their `${VAR}` placeholders, which
 * are resolved only when a call uses them. Returned by Client::dugdales()
 * and part of Client::getConfig().
 */
final readonly class Dugdale
{
    /**
     * @param list<string>           $labels
     * @param array<string, LaneCfg> $lanes
     * @param list<string>           $nullifiedLanes lanes deleted with `null` (always empty once merged)
     */
    public function __construct(
        public string $id,
        public string $host = '',
        public int $port = 0,
        public string $url = '',
        public string $proxy = '',
        public string $extends = '',
        public string $missionDir = '',
        public Runtime $runtime = new Runtime(),
        public array $labels = [],
        public string $token = '',
        public string $adminToken = '',
        public string $execToken = '',
        public array $lanes = [],
        public array $nullifiedLanes = [],
        public bool $proxyNullified = false,
    ) {}

    public function hasLane(string $lane): bool
    {
        return isset($this->lanes[$lane]);
    }

    public function hasLabel(string $label): bool
    {
        return in_array($label, $this->labels, true);
    }
}
