<?php
declare(strict_types=1);

namespace Letts\Result;

/** Captured stdout/stderr of a mission (empty unless run(fetchLogs: true)). */
final readonly class Logs
{
    public function __construct(
        public string $stdout = '',
        public string $stderr = '',
        public bool $stdoutTruncated = false,
        public bool $stderrTruncated = false,
    ) {}

    /** @param array<string, mixed> $d keys stdout, stderr, stdout_truncated, stderr_truncated */
    public static function fromApiResponse(array $d): self
    {
        return new self(
            stdout: (string) ($d['stdout'] ?? ''),
            stderr: (string) ($d['stderr'] ?? ''),
            stdoutTruncated: (bool) ($d['stdout_truncated'] ?? false),
            stderrTruncated: (bool) ($d['stderr_truncated'] ?? false),
        );
    }
}
