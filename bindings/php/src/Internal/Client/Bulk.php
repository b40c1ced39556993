<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;
use Letts\Result\BulkItem;
use Letts\Result\BulkResult;
use Letts\Result\RestartResult;

/**
 * bulkRestart()/bulkDelete()'s arguments onto a letts_bulk_options, and the
 * answers (letts_bulk_result, letts_restart_result) onto PHP values.
 */
final class Bulk
{
    /**
     * A new letts_bulk_options (free with letts_bulk_options_free) for
     * `$ids` or the listMissions()-style `$filters`.
     *
     * @param list<string>              $ids
     * @param array<string, mixed>|null $filters
     */
    public static function options(array $ids, ?array $filters, bool $dryRun, bool $force): FFI\CData
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $options = $ffi->new('letts_bulk_options *');
        Errors::check($ffi->letts_bulk_options_new(FFI::addr($options), FFI::addr($err)), $err);
        try {
            if ($ids !== []) {
                $array = new CStringArray(array_values(array_map('strval', $ids)));
                Errors::check($ffi->letts_bulk_options_set_ids($options, $array->pointers(), $array->count(), FFI::addr($err)), $err);
            }
            if ($filters !== null) {
                self::setFilter($options, $filters);
            }
            Errors::check($ffi->letts_bulk_options_set_dry_run($options, $dryRun ? 1 : 0, FFI::addr($err)), $err);
            Errors::check($ffi->letts_bulk_options_set_force($options, $force ? 1 : 0, FFI::addr($err)), $err);
        } catch (\Throwable $e) {
            $ffi->letts_bulk_options_free($options);
            throw $e;
        }
        return $options;
    }

    /** @param array<string, mixed> $filters */
    private static function setFilter(FFI\CData $options, array $filters): void
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $filter = $ffi->new('letts_list_filter *');
        Errors::check($ffi->letts_list_filter_new(FFI::addr($filter), FFI::addr($err)), $err);
        try {
            foreach ($filters as $key => $value) {
                ListFilter::apply($filter, (string) $key, $value);
            }
            Errors::check($ffi->letts_bulk_options_set_filter($options, $filter, FFI::addr($err)), $err);
        } finally {
            $ffi->letts_list_filter_free($filter);
        }
    }

    public static function result(FFI\CData $result): BulkResult
    {
        $ffi = Native::ffi();
        $items = [];
        $count = $ffi->letts_bulk_result_count($result);
        for ($i = 0; $i < $count; $i++) {
            $details = Errors::str($ffi->letts_bulk_result_details_json($result, $i));
            $decoded = $details === null ? null : json_decode($details, true);
            $items[] = new BulkItem(
                (string) Errors::str($ffi->letts_bulk_result_id($result, $i)),
                $ffi->letts_bulk_result_ok($result, $i) !== 0,
                Errors::str($ffi->letts_bulk_result_mission_id($result, $i)),
                Errors::str($ffi->letts_bulk_result_status($result, $i)),
                Errors::str($ffi->letts_bulk_result_error($result, $i)),
                is_array($decoded) ? $decoded : null,
            );
        }
        return new BulkResult($ffi->letts_bulk_result_dry_run($result) !== 0, $items);
    }

    public static function restartResult(FFI\CData $result): RestartResult
    {
        $ffi = Native::ffi();
        return new RestartResult(
            (string) Errors::str($ffi->letts_restart_result_mission_id($result)),
            (string) Errors::str($ffi->letts_restart_result_restarted_from($result)),
            (string) Errors::str($ffi->letts_restart_result_status($result)),
        );
    }
}
