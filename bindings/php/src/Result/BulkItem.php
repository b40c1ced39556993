<?php
declare(strict_types=1);

namespace Letts\Result;

/**
 * What a bulk restart or bulk delete did with one selected id, as the
 * daemon reported it: `ok`, then the new mission's id (restart) or the
 * deletion status (delete), or the error code the single route would have
 * answered and its details. A dry run's items carry the id only.
 */
final readonly class BulkItem
{
    /** @param array<string, mixed>|null $details */
    public function __construct(
        public string $id,
        public bool $ok,
        public ?string $missionId,
        public ?string $status,
        public ?string $error,
        public ?array $details,
    ) {}
}
