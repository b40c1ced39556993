<?php
declare(strict_types=1);

namespace Letts\Result;

/** The end of one mission as seen by run(): the terminal `done` event plus logs. */
final readonly class RunResult
{
    /**
     * @param array<string, mixed>|null $failDetails
     * @param array<string, mixed>|null $return
     * @param array<string, array{staging_id: string, sha256: string, size: int}> $outputFiles
     */
    public function __construct(
        public string $host,
        public string $missionId,
        public string $outcome,
        public ?string $failReason,
        public ?string $failMessage,
        public ?array $failDetails,
        public ?array $return,
        public ?int $exitCode,
        public ?string $signal,
        public int $durationMs,
        public Logs $logs,
        public array $outputFiles,
    ) {}

    public function isSuccess(): bool
    {
        return $this->outcome === 'success';
    }

    /**
     * From a mission-resource-like array (a `done` event, a mission resource,
     * optionally with a `logs` object).
     *
     * @param array<string, mixed> $d
     */
    public static function fromApiResponse(string $host, array $d): self
    {
        $outputs = [];
        foreach (is_array($d['outputs'] ?? null) ? $d['outputs'] : [] as $role => $o) {
            $o = is_array($o) ? $o : [];
            $outputs[(string) $role] = [
                'staging_id' => (string) ($o['staging_id'] ?? ''),
                'sha256' => (string) ($o['sha256'] ?? ''),
                'size' => (int) ($o['size'] ?? 0),
            ];
        }
        return new self(
            host: $host,
            missionId: (string) ($d['mission_id'] ?? ''),
            outcome: (string) ($d['outcome'] ?? ''),
            failReason: isset($d['fail_reason']) ? (string) $d['fail_reason'] : null,
            failMessage: isset($d['fail_message']) ? (string) $d['fail_message'] : null,
            failDetails: is_array($d['fail_details'] ?? null) ? $d['fail_details'] : null,
            return: is_array($d['return'] ?? null) ? $d['return'] : null,
            exitCode: isset($d['exit_code']) ? (int) $d['exit_code'] : null,
            signal: isset($d['signal']) ? (string) $d['signal'] : null,
            durationMs: (int) ($d['duration_ms'] ?? 0),
            logs: Logs::fromApiResponse(is_array($d['logs'] ?? null) ? $d['logs'] : []),
            outputFiles: $outputs,
        );
    }
}
