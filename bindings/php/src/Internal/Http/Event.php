<?php
declare(strict_types=1);

namespace Letts\Internal\Http;

/**
 * One line of a mission's event stream (GET /v1/missions/{id}/events),
 * decoded: the union of the fields of every event type (queued, running,
 * progress, done); the ones an event does not carry are null. The same
 * properties as php-client's class, which its callers read.
 */
final readonly class Event
{
    /**
     * @param array<string, mixed>|null $failDetails
     * @param array<string, mixed>|null $return
     * @param array<string, mixed>|null $outputs role => {staging_id, sha256, size}
     */
    public function __construct(
        public int $seq,
        public string $event,
        public ?int $pid = null,
        public ?float $value = null,
        public ?string $message = null,
        public ?string $outcome = null,
        public ?int $exitCode = null,
        public ?string $signal = null,
        public ?string $failReason = null,
        public ?string $failMessage = null,
        public ?array $failDetails = null,
        public ?array $return = null,
        public ?array $outputs = null,
        public ?int $time = null,
        public ?int $timeFinished = null,
        public ?int $durationMs = null,
    ) {}

    /** @param array<string, mixed> $d one decoded event line */
    public static function fromJson(array $d): self
    {
        $int = static fn(string $k): ?int => isset($d[$k]) && is_numeric($d[$k]) ? (int) $d[$k] : null;
        $str = static fn(string $k): ?string => isset($d[$k]) && is_scalar($d[$k]) ? (string) $d[$k] : null;
        $arr = static fn(string $k): ?array => isset($d[$k]) && is_array($d[$k]) ? $d[$k] : null;
        return new self(
            seq: $int('seq') ?? 0,
            event: $str('event') ?? '',
            pid: $int('pid'),
            value: isset($d['value']) && is_numeric($d['value']) ? (float) $d['value'] : null,
            message: $str('message'),
            outcome: $str('outcome'),
            exitCode: $int('exit_code'),
            signal: $str('signal'),
            failReason: $str('fail_reason'),
            failMessage: $str('fail_message'),
            failDetails: $arr('fail_details'),
            return: $arr('return'),
            outputs: $arr('outputs'),
            time: $int('time'),
            timeFinished: $int('time_finished'),
            durationMs: $int('duration_ms'),
        );
    }
}
