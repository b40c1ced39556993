<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

/** The end of a child process: exit status, captured output, and fd 3 events when asked for. */
final class Proc
{
    /** @param list<array<string, mixed>> $events */
    public function __construct(
        public readonly int $exitCode,
        public readonly string $stdout,
        public readonly string $stderr,
        public readonly array $events = [],
        public readonly string $eventsRaw = '',
    ) {}

    public function describe(): string
    {
        return "exit {$this->exitCode}\n--- stdout\n{$this->stdout}\n--- stderr\n{$this->stderr}\n--- fd3\n{$this->eventsRaw}";
    }

    /** @return list<array<string, mixed>> events of that type */
    public function eventsOf(string $type): array
    {
        return array_values(array_filter($this->events, static fn (array $e) => ($e['event'] ?? null) === $type));
    }
}
