<?php
declare(strict_types=1);

namespace Letts\Exceptions;

/**
 * Base of every error the letts client and mission runtime raise.
 *
 * Beyond php-client's API, an exception that comes from libletts also
 * carries the daemon's machine error code (e.g. "queue_full"), the id of the
 * dugdale concerned and the error details; they are null otherwise.
 */
abstract class LettsException extends \RuntimeException
{
    private ?string $errorCode = null;
    private ?string $dugdale = null;
    /** @var array<string, mixed>|null */
    private ?array $details = null;

    /** The daemon's machine-readable error code, when the failure came from a dugdale. */
    public function getErrorCode(): ?string
    {
        return $this->errorCode;
    }

    /** The id (as written in letts.yaml) of the dugdale concerned, if any. */
    public function getDugdale(): ?string
    {
        return $this->dugdale;
    }

    /** @return array<string, mixed>|null */
    public function getDetails(): ?array
    {
        return $this->details;
    }
}
