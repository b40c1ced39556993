<?php
declare(strict_types=1);

namespace Letts\Result;

/** One job of runParallel()/runOnAll(): a result when it ran, an error when it could not. */
final readonly class HostResult
{
    public function __construct(
        public string $host,
        public ?RunResult $result,
        public ?HostError $error,
    ) {}

    public function isReachable(): bool
    {
        return $this->error === null;
    }

    public function isSuccess(): bool
    {
        return $this->result?->isSuccess() ?? false;
    }
}
