<?php
declare(strict_types=1);

namespace Letts\Internal\Http;

use FFI;
use Letts\Cancel;
use Letts\Internal\Native;

/**
 * A Cancel triggered at a wall-clock deadline, for the blocking calls that
 * have no deadline of their own (letts_client_follow_events): a followed
 * stream that stays silent never calls back into PHP, and PHP has no thread
 * of its own to trigger a cancel, so a POSIX timer does it (timer_create
 * with SIGEV_THREAD: at the deadline the C library runs
 * letts_cancel_trigger() on a thread of its own; that function is
 * thread-safe and does not allocate or lock). The libletts call given the
 * cancel then ends with LETTS_ERR_CANCELLED, which the caller reads as its
 * deadline when fired() says so.
 *
 * The timer's notification type is `void (*)(union sigval)`; it is declared
 * here as taking a `void *`, which is passed the same way on the Linux ABIs
 * PHP's FFI runs on (x86-64, AArch64: an 8-byte union of integer class).
 */
final class DeadlineTimer
{
    private const CLOCK_REALTIME = 0;
    private const SIGEV_THREAD = 2;
    private const TIMER_ABSTIME = 1;

    private const DECLARATIONS =
        'struct letts_php_timespec { long tv_sec; long tv_nsec; };'
        . ' struct itimerspec { struct letts_php_timespec it_interval; struct letts_php_timespec it_value; };'
        // struct sigevent with SIGEV_THREAD's members: value, signo,
        // notify, then the union (function, attributes) padded to 64 bytes.
        . ' struct letts_php_sigevent { void *value; int signo; int notify;'
        . ' void (*function)(void *); void *attributes; long pad[4]; };'
        . ' int timer_create(int clockid, struct letts_php_sigevent *sevp, void **timerid);'
        . ' int timer_settime(void *timerid, int flags, const struct itimerspec *new_value,'
        . ' struct itimerspec *old_value);'
        . ' int timer_delete(void *timerid);';

    private static ?FFI $libc = null;

    /**
     * Cancels whose timer fired, with when: the notification thread may still
     * be inside letts_cancel_trigger() when the call returns (it raises the
     * flag, then writes its eventfd), and that thread cannot be joined. So a
     * fired cancel is released, when a later timer starts, only once its
     * flag is up and a second has passed (the thread's one write(2) has long
     * been done), or after a minute: glibc drops the notification of a timer
     * deleted before its helper thread saw the expiry, and then the flag
     * never rises.
     *
     * @var list<array{cancel: Cancel, since: float}>
     */
    private static array $parked = [];

    private ?FFI\CData $timer;
    private bool $fired = false;

    private function __construct(private readonly Cancel $cancel, FFI\CData $timer)
    {
        $this->timer = $timer;
    }

    /** A timer that triggers a new Cancel at `$deadline` (microtime(true) seconds; a past one fires at once). */
    public static function start(float $deadline): self
    {
        self::releaseParked();
        $libc = self::libc();
        $cancel = new Cancel();
        $event = $libc->new('struct letts_php_sigevent');
        $event->value = $libc->cast('void *', $cancel->cdata());
        $event->notify = self::SIGEV_THREAD;
        $event->function = $libc->cast('void (*)(void *)', Native::ffi()->letts_cancel_trigger);
        $timer = $libc->new('void *');
        if ($libc->timer_create(self::CLOCK_REALTIME, FFI::addr($event), FFI::addr($timer)) !== 0) {
            throw new \RuntimeException('timer_create failed: no timer for the deadline');
        }
        $self = new self($cancel, $timer);
        $at = $libc->new('struct itimerspec');
        $seconds = floor($deadline);
        $at->it_value->tv_sec = (int) $seconds;
        $at->it_value->tv_nsec = min(999999999, (int) (($deadline - $seconds) * 1e9));
        if ($at->it_value->tv_sec === 0 && $at->it_value->tv_nsec === 0) {
            $at->it_value->tv_nsec = 1;  // zero would disarm, not fire
        }
        if ($libc->timer_settime($timer, self::TIMER_ABSTIME, FFI::addr($at), null) !== 0) {
            $self->stop();
            throw new \RuntimeException('timer_settime failed: the deadline could not be armed');
        }
        return $self;
    }

    /** The cancel the timer triggers; give it to the call the deadline bounds. */
    public function cancel(): Cancel
    {
        return $this->cancel;
    }

    /**
     * Disarm and delete the timer (idempotent); returns whether it fired,
     * i.e. whether the deadline, not the call, ended the wait.
     */
    public function stop(): bool
    {
        if ($this->timer !== null) {
            $libc = self::libc();
            $none = $libc->new('struct itimerspec');
            $left = $libc->new('struct itimerspec');
            // Disarming reports the time that was left: none means it expired.
            $libc->timer_settime($this->timer, 0, FFI::addr($none), FFI::addr($left));
            $this->fired = $left->it_value->tv_sec === 0 && $left->it_value->tv_nsec === 0;
            $libc->timer_delete($this->timer);
            $this->timer = null;
            if ($this->fired) {
                self::$parked[] = ['cancel' => $this->cancel, 'since' => microtime(true)];
            }
        }
        return $this->fired;
    }

    public function __destruct()
    {
        $this->stop();
    }

    private static function releaseParked(): void
    {
        $now = microtime(true);
        self::$parked = array_values(array_filter(self::$parked,
            static fn (array $p): bool => $now - $p['since'] < ($p['cancel']->isTriggered() ? 1.0 : 60.0)));
    }

    private static function libc(): FFI
    {
        if (self::$libc === null) {
            try {
                self::$libc = FFI::cdef(self::DECLARATIONS, 'libc.so.6');
            } catch (FFI\Exception) {
                // glibc before 2.34 keeps the timer functions in librt.
                self::$libc = FFI::cdef(self::DECLARATIONS, 'librt.so.1');
            }
        }
        return self::$libc;
    }
}
