<?php
declare(strict_types=1);

namespace Letts\Result;

use Letts\Exceptions\LettsException;

/**
 * A launch that failed before producing a result, as given to the client's
 * failure observer. `host` is the addressing argument as passed (the
 * resolved dugdale of a network failure is $exception->getHost()); `phase`
 * is "dispatch" (never started: safe to dispatch again with the same id) or
 * "stream" (running: follow it, do not dispatch again).
 */
final readonly class LaunchFailure
{
    /**
     * @param list<string>          $match
     * @param array<string, mixed>  $input
     * @param array<string, string> $files
     */
    public function __construct(
        public LettsException $exception,
        public bool $retryable,
        public string $method,
        public string $phase,
        public string $mission,
        public ?string $route,
        public int|string|null $host,
        public array $match,
        public ?string $lane,
        public array $input,
        public array $files,
        public ?string $timeout,
        public ?string $missionId,
    ) {}
}
