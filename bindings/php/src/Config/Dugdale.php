<?php
declare(strict_types=1);

namespace Letts\Config;

/**
 * One dugdale of letts.yaml after `extends` was merged, with the values as
 * written: tokens, hosts and aliases keep their `${VAR}` placeholders, which
 * are resolved only when a call uses them. Returned by Client::dugdales().
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

    /**
     * From one entry of the merged configuration as libletts describes it
     * (letts_client_config_json()).
     *
     * @param array<string, mixed> $d
     */
    public static function fromMergedJson(array $d): self
    {
        $lanes = [];
        foreach (is_array($d['lanes'] ?? null) ? $d['lanes'] : [] as $name => $lane) {
            $lanes[(string) $name] = new LaneCfg((int) ($lane['concurrency'] ?? 0), (bool) ($lane['paused'] ?? false));
        }
        $runtime = is_array($d['runtime'] ?? null) ? $d['runtime'] : [];
        return new self(
            id: (string) ($d['id'] ?? ''),
            host: (string) ($d['host'] ?? ''),
            port: (int) ($d['port'] ?? 0),
            url: (string) ($d['url'] ?? ''),
            proxy: (string) ($d['proxy'] ?? ''),
            extends: (string) ($d['extends'] ?? ''),
            missionDir: (string) ($d['mission_dir'] ?? ''),
            runtime: new Runtime(
                (string) ($runtime['mission_path_template'] ?? ''),
                array_map('strval', is_array($runtime['command_template'] ?? null) ? $runtime['command_template'] : []),
                (bool) ($runtime['validate_mission_file'] ?? false),
            ),
            labels: array_map('strval', is_array($d['labels'] ?? null) ? $d['labels'] : []),
            token: (string) ($d['token'] ?? ''),
            adminToken: (string) ($d['admin_token'] ?? ''),
            execToken: (string) ($d['exec_token'] ?? ''),
            lanes: $lanes,
        );
    }
}
