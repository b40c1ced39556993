<?php
declare(strict_types=1);

namespace Letts\Result;

/**
 * Why a fan-out job produced no result. `kind` is one of auth, bad_request,
 * conflict, backpressure, staging, network, timeout; `httpStatus` is the real
 * HTTP status when there was one and `errorCode` the daemon's error code.
 */
final readonly class HostError
{
    public function __construct(
        public string $kind,
        public string $message,
        public ?int $httpStatus = null,
        public ?string $errorCode = null,
    ) {}
}
