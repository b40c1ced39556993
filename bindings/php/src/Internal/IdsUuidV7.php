<?php
declare(strict_types=1);

namespace Letts\Internal;

use FFI;
use Letts\Internal\Client\CStrings;

/**
 * php-client's id helper, over the library's generator
 * (letts_uuidv7_generate): the ids the client itself would pick for a
 * mission, so one chosen here and passed as `missionId` behaves like one the
 * client made (same form, same ordering within the process).
 */
final class IdsUuidV7
{
    /** A fresh UUIDv7, canonical lower-case 8-4-4-4-12 form. */
    public static function generate(): string
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $out = $ffi->new('char *');
        Errors::check($ffi->letts_uuidv7_generate(FFI::addr($out), FFI::addr($err)), $err);
        return (string) CStrings::take($out);
    }
}
