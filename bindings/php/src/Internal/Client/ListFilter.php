<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * listMissions()'s `filters` array (php-client passes it to the query
 * string as written) onto libletts's typed list-filter setters.
 */
final class ListFilter
{
    /** Text filters: key => setter. */
    private const TEXT = [
        'status' => 'letts_list_filter_set_status',
        'outcome' => 'letts_list_filter_set_outcome',
        'lane' => 'letts_list_filter_set_lane',
        'mission' => 'letts_list_filter_set_mission',
        'mission_prefix' => 'letts_list_filter_set_mission_prefix',
        'kind' => 'letts_list_filter_set_kind',
        'group_id' => 'letts_list_filter_set_group_id',
        'order' => 'letts_list_filter_set_order',
        'cursor' => 'letts_list_filter_set_cursor',
    ];

    /** Integer filters (Unix ms / rows): key => setter. */
    private const NUMBER = [
        'since' => 'letts_list_filter_set_since_ms',
        'until' => 'letts_list_filter_set_until_ms',
        'limit' => 'letts_list_filter_set_limit',
    ];

    /** The daemon answers at most this many rows whatever the limit (http-api.md §5.8). */
    private const MAX_LIMIT = 1000;

    /** Set filter `$key` of the letts_list_filter `$filter` to `$value`. */
    public static function apply(FFI\CData $filter, string $key, mixed $value): void
    {
        if (!is_scalar($value)) {
            throw new \InvalidArgumentException(sprintf('listMissions: filter "%s" must be a scalar, %s given', $key, get_debug_type($value)));
        }
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        if (isset(self::TEXT[$key])) {
            // As http_build_query() writes them: true is 1, false is 0.
            $text = is_bool($value) ? ($value ? '1' : '0') : (string) $value;
            Errors::check($ffi->{self::TEXT[$key]}($filter, $text, FFI::addr($err)), $err);
            return;
        }
        if (!isset(self::NUMBER[$key])) {
            throw new \InvalidArgumentException(sprintf('listMissions: unknown filter "%s" (known: %s)', $key,
                implode(', ', [...array_keys(self::TEXT), ...array_keys(self::NUMBER)])));
        }
        $number = self::integer($value);
        if ($number === null) {
            throw new \InvalidArgumentException(sprintf('listMissions: filter "%s" must be an integer, %s given', $key, var_export($value, true)));
        }
        if ($key === 'limit') {
            if ($number < 1) {
                throw new \InvalidArgumentException("listMissions: filter \"limit\" must be at least 1, $number given");
            }
            $number = min($number, self::MAX_LIMIT);
        } elseif ($number <= 0) {
            return; // the daemon ignores since/until values <= 0
        }
        Errors::check($ffi->{self::NUMBER[$key]}($filter, $number, FFI::addr($err)), $err);
    }

    /** The integer a query-string value stands for, or null. */
    private static function integer(int|float|string|bool $value): ?int
    {
        if (is_int($value)) {
            return $value;
        }
        if (is_bool($value)) {
            return $value ? 1 : 0;
        }
        if (is_float($value)) {
            return is_finite($value) && floor($value) === $value && abs($value) < 2 ** 62 ? (int) $value : null;
        }
        if (preg_match('/^[+-]?\d+\z/', $value) !== 1) {
            return null;
        }
        $parsed = filter_var(ltrim($value, '+'), FILTER_VALIDATE_INT);
        return $parsed === false ? null : $parsed;
    }
}
