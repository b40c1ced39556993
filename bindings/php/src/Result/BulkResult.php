<?php
declare(strict_types=1);

namespace Letts\Result;

/**
 * The answer to Client::bulkRestart() / bulkDelete(): one item per selected
 * id, in order. `dryRun`: nothing was sent, the items name what would have
 * been acted on.
 */
final readonly class BulkResult
{
    /** @param list<BulkItem> $items */
    public function __construct(
        public bool $dryRun,
        public array $items,
    ) {}

    /** @return list<string> the selected ids */
    public function ids(): array
    {
        return array_map(static fn (BulkItem $item): string => $item->id, $this->items);
    }

    /** @return list<BulkItem> the items the daemon did not act on (none for a dry run) */
    public function failed(): array
    {
        return $this->dryRun ? [] : array_values(array_filter($this->items, static fn (BulkItem $item): bool => !$item->ok));
    }
}
