<?php
declare(strict_types=1);

namespace Letts;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * A cancellation flag (libletts' letts_cancel, letts/cancel.h): once
 * triggered it stays triggered, and every call given it ends with
 * Exceptions\CancelledException as soon as it notices — a run or wait
 * blocked on a silent stream, a retry pause, an upload, a download.
 * Give it to Client::withCancel() (then every call of that client copy,
 * run() included, is cancellable), to Client::wait() and Client::start().
 *
 * trigger() is safe at any time: from a progress callback, a signal
 * handler (pcntl_signal), another RunHandle's loop turn. Beyond
 * php-client, which has no cancellation.
 */
final class Cancel
{
    private FFI\CData $handle;

    public function __construct()
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $handle = $ffi->new('letts_cancel *');
        Errors::check($ffi->letts_cancel_new(FFI::addr($handle), FFI::addr($err)), $err);
        $this->handle = $handle;
    }

    /** Calls that were given the object keep their own reference: freeing it here is always safe. */
    public function __destruct()
    {
        Native::ffi()->letts_cancel_free($this->handle);
    }

    /** One flag, one owner: a clone would free it twice. */
    private function __clone()
    {
    }

    /** Trigger it: every call using it ends with CancelledException. Idempotent. */
    public function trigger(): void
    {
        Native::ffi()->letts_cancel_trigger($this->handle);
    }

    public function isTriggered(): bool
    {
        return Native::ffi()->letts_cancel_is_triggered($this->handle) !== 0;
    }

    /**
     * The `letts_cancel *` for the binding's own calls; owned by this object.
     *
     * @internal
     */
    public function cdata(): FFI\CData
    {
        return $this->handle;
    }
}
