<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Native;

/** Moving strings across the FFI boundary where PHP does not do it by itself. */
final class CStrings
{
    /**
     * A `const char *const *` array of `$strings` for calls such as
     * letts_job_set_match(). The buffers belong to the returned object: keep
     * it alive for as long as C may read the array.
     *
     * @param list<string> $strings
     */
    public static function array(array $strings): CStringArray
    {
        return new CStringArray(array_values(array_map('strval', $strings)));
    }

    /**
     * The text of a `char *` that libletts handed over (NULL gives null),
     * released with letts_free().
     */
    public static function take(?FFI\CData $owned, ?int $length = null): ?string
    {
        if ($owned === null || FFI::isNull($owned)) {
            return null;
        }
        try {
            return $length === null ? FFI::string($owned) : FFI::string($owned, $length);
        } finally {
            Native::ffi()->letts_free($owned);
        }
    }
}
