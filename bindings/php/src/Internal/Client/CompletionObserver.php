<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Native;

/**
 * One Client::withCompletionObserver() observer and the owner of everything
 * libletts needs to call it.
 *
 * PHP 8.2's FFI cannot free the native trampoline it makes for a PHP
 * closure: every such callback, and the closure it holds, stays until the
 * end of the request (php.net, "FFI: PHP Callbacks"), and FFI::free()
 * releases only plain C memory. So there is one trampoline for the process,
 * made on first use, and what differs per observer travels as the C
 * `user_data`: the address of this object's tag, an int64 key into a table
 * of live observers. The table holds weak references only, so the observer
 * lives exactly as long as the PHP objects holding it — every Client copy
 * whose C handle carries the observer (and through them RunHandles and
 * Schedules) — and leaving the table is part of its destruction. The tag is
 * PHP-owned FFI memory freed with this object, so `user_data` is valid for
 * as long as any of those handles.
 */
final class CompletionObserver
{
    /** @var array<int, \WeakReference<self>> */
    private static array $live = [];
    private static int $lastKey = 0;
    private static ?FFI\CData $trampoline = null;

    private readonly int $key;
    private readonly FFI\CData $tag;

    public function __construct(private readonly \Closure $observer)
    {
        $this->key = ++self::$lastKey;
        $this->tag = Native::ffi()->new('int64_t');
        $this->tag->cdata = $this->key;
        self::$live[$this->key] = \WeakReference::create($this);
    }

    public function __destruct()
    {
        unset(self::$live[$this->key]);
    }

    /** The `user_data` to install with trampoline(); valid while this object lives. */
    public function userData(): FFI\CData
    {
        return FFI::cast('void *', FFI::addr($this->tag));
    }

    /** How many observers are alive in this process (for the binding's tests). */
    public static function liveCount(): int
    {
        return count(self::$live);
    }

    /** The process's single letts_completion_fn. */
    public static function trampoline(): FFI\CData
    {
        if (self::$trampoline === null) {
            // Made once, never freed (PHP cannot), so never owned by a PHP value.
            $slot = Native::ffi()->new('letts_completion_fn[1]', false);
            $slot[0] = static function ($result, $userData): void {
                self::dispatch($result, $userData);
            };
            self::$trampoline = $slot[0];
        }
        return self::$trampoline;
    }

    private static function dispatch(FFI\CData $result, mixed $userData): void
    {
        if (!$userData instanceof FFI\CData) {
            return;
        }
        $key = (int) FFI::cast('int64_t *', $userData)[0];
        $owner = (self::$live[$key] ?? null)?->get();
        if ($owner === null) {
            // Unreachable while the owners hold their handles; never call a stranger.
            return;
        }
        try {
            ($owner->observer)(Results::runResult($result));
        } catch (\Throwable $e) {
            error_log('letts completion observer threw: ' . $e->getMessage());
        }
    }
}
