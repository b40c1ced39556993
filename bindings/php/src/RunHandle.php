<?php
declare(strict_types=1);

namespace Letts;

use FFI;
use Letts\Exceptions\MissionFailedException;
use Letts\Internal\Client\Callbacks;
use Letts\Internal\Client\Results;
use Letts\Internal\Errors;
use Letts\Internal\Native;
use Letts\Result\LaunchFailure;
use Letts\Result\RunResult;

/**
 * A run driven by the caller's event loop (libletts' run handle,
 * letts/run_handle.h), made by Client::start() or Client::startWait().
 *
 * Nothing here blocks: watch stream() for readability (stream_select(), a
 * ReactPHP/Amp/Revolt read watcher), call step() whenever it is readable,
 * and ask result() once isDone(). One PHP thread can drive any number of
 * handles this way; each behaves exactly as the blocking Client::run()
 * with the same arguments (wait timeout, progress, logs, outputs,
 * throwOnFailure), because run() is the same loop inside libletts.
 *
 * Callbacks (onProgress, the client's launch-failure observer) run only
 * inside start() and step(), on the calling thread. An exception thrown by
 * onProgress stops the run, as in run(): step() does not throw it,
 * result() does.
 *
 * Freeing is safe in any state: free() (or dropping the last reference)
 * abandons an unfinished run on the spot — its connections close, a
 * partial output file is removed, the mission keeps running on the
 * dugdale. To stop the mission too, start with killOnCancel: true, then
 * cancel() and step until isDone().
 */
final class RunHandle
{
    private const STATES = ['starting', 'following', 'collecting', 'done'];

    /** letts_run_handle *, null once freed */
    private ?FFI\CData $handle = null;
    /** letts_cancel * of this run alone (cancel()) */
    private ?FFI\CData $cancel = null;
    /** @var resource|null the php://fd stream stream() made */
    private $stream = null;
    /** what onProgress threw (result() throws it, as run() would) */
    private ?\Throwable $thrown = null;
    /** the exception the launch-failure observer was given, thrown as that very object */
    private ?\Throwable $reported = null;
    private bool $stepping = false;
    private bool $freeAfterStep = false;

    /**
     * @param object $owner keeps the client whose handle the run uses alive as long as the run
     * @param array<string, string> $timeouts the job's timeout as written (launch-failure reports)
     */
    private function __construct(
        private readonly object $owner,
        private readonly ?\Closure $onProgress,
        private readonly ?\Closure $observer,
        private readonly int|string|null $host,
        private readonly array $timeouts,
    ) {}

    /**
     * Start a run: `$start($options, $out, $err)` calls letts_client_run_start()
     * or letts_client_wait_start() and returns its status. `$options` gets
     * this handle's cancel and (with `$onProgress`) the progress trampoline;
     * the caller still owns and frees it (libletts copies it).
     *
     * @internal made by Client::start() and Client::startWait()
     * @param array<string, string> $timeouts
     * @param \Closure(FFI\CData, FFI\CData, FFI\CData): int $start
     */
    public static function begin(object $owner, ?\Closure $observer, int|string|null $host, array $timeouts,
                                 FFI\CData $options, ?\Closure $onProgress, \Closure $start): self
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $self = new self($owner, $onProgress, $observer, $host, $timeouts);
        $cancel = $ffi->new('letts_cancel *');
        Errors::check($ffi->letts_cancel_new(FFI::addr($cancel), FFI::addr($err)), $err);
        $self->cancel = $cancel;
        Errors::check($ffi->letts_run_options_set_cancel($options, $cancel, FFI::addr($err)), $err);
        $self->enter(function (?FFI\CData $progress) use ($self, $ffi, $options, $start): void {
            $err = Native::errorHolder();
            if ($progress !== null) {
                Errors::check($ffi->letts_run_options_set_progress($options, $progress, null, FFI::addr($err)), $err);
            }
            $out = $ffi->new('letts_run_handle *');
            Errors::check($start($options, $out, $err), $err);
            $self->handle = $out;
        });
        return $self;
    }

    public function __destruct()
    {
        $this->free();
    }

    /** A handle has one owner: a clone would free the run twice. */
    private function __clone()
    {
    }

    /**
     * A PHP stream to watch for readability: readable whenever step() has
     * work (a socket is ready, a timer is due, cancel() was called). Made
     * once per handle with fopen('php://fd/N'), which opens a duplicate of
     * the run's descriptor, so the handle's own descriptor is never closed
     * by PHP. The stream belongs to this handle: never read or write it;
     * free() closes it (closing it yourself is harmless, the next stream()
     * opens a new one). Stop watching it once isDone(); after free() it is
     * a closed resource.
     *
     * php://fd exists in the CLI SAPI only; elsewhere (FrankenPHP, FPM) this
     * throws \LogicException and fd() is the way for loops that take a
     * descriptor number (ext-ev, ext-uv).
     *
     * @return resource
     */
    public function stream()
    {
        if (is_resource($this->stream)) {
            return $this->stream;
        }
        if (PHP_SAPI !== 'cli') {
            throw new \LogicException('RunHandle::stream() needs php://fd, which only the CLI SAPI has (running under ' . PHP_SAPI . '); watch fd() instead');
        }
        $fd = $this->fd();
        $stream = @fopen("php://fd/$fd", 'r');
        if ($stream === false) {
            throw new \RuntimeException("cannot open php://fd/$fd: " . (error_get_last()['message'] ?? 'unknown error'));
        }
        return $this->stream = $stream;
    }

    /**
     * The run's descriptor itself (an epoll descriptor, readable when
     * step() has work), for loops that watch descriptor numbers. Owned by
     * the handle: do not read, write or close it; it is closed by free().
     */
    public function fd(): int
    {
        $this->requireLive('fd');
        return Native::ffi()->letts_run_handle_fd($this->handle);
    }

    /**
     * Do the work that is due and return at once (true once the run is
     * done). Harmless when nothing is due, after the end and after free().
     * onProgress and the observer run inside this call.
     */
    public function step(): bool
    {
        if ($this->handle === null) {
            return true;
        }
        if ($this->stepping) {
            throw new \LogicException('RunHandle::step() called from a callback of the same run');
        }
        $this->stepping = true;
        try {
            $this->enter(function (): void {
                $ffi = Native::ffi();
                $err = Native::errorHolder();
                Errors::check($ffi->letts_run_handle_step($this->handle, FFI::addr($err)), $err);
            });
        } finally {
            $this->stepping = false;
            if ($this->freeAfterStep) {
                $this->free();
            }
        }
        return $this->isDone();
    }

    /** True once the run ended (result() has the outcome), and after free(). */
    public function isDone(): bool
    {
        return $this->state() === 'done';
    }

    /** Where the run is: "starting", "following", "collecting" or "done" (also after free()). */
    public function state(): string
    {
        if ($this->handle === null) {
            return 'done';
        }
        return self::STATES[Native::ffi()->letts_run_handle_state($this->handle)] ?? 'done';
    }

    /** The mission id once the dispatch was confirmed (a wait knows it from the start), else null. */
    public function missionId(): ?string
    {
        return $this->handle === null ? null : Errors::str(Native::ffi()->letts_run_handle_mission_id($this->handle));
    }

    /**
     * The outcome, exactly as Client::run() would have returned or thrown
     * it: the RunResult, or MissionFailedException (unless throwOnFailure
     * was false), WaitTimeoutException, CancelledException, what onProgress
     * threw, a launch's exception (the very object the observer was given).
     * May be asked more than once.
     *
     * @throws \LogicException before isDone() (the run has not finished) and after free()
     * @throws Exceptions\LettsException
     */
    public function result(): RunResult
    {
        $this->requireLive('result');
        if (!$this->isDone()) {
            throw new \LogicException('RunHandle::result(): the run has not finished (step() until isDone())');
        }
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $result = $ffi->new('letts_run_result *');
        $status = $ffi->letts_run_handle_result($this->handle, FFI::addr($result), FFI::addr($err));
        $run = null;
        try {
            if (!FFI::isNull($result)) {
                $run = Results::runResult($result);
            }
        } finally {
            $ffi->letts_run_result_free($result);
        }
        if ($this->thrown !== null) {
            $ffi->letts_error_free($err);
            throw $this->thrown;
        }
        if ($status === Errors::OK && $run !== null) {
            return $run;
        }
        if ($status === Errors::MISSION_FAILED && $run !== null) {
            $ffi->letts_error_free($err);
            throw new MissionFailedException($run->outcome, $run->failReason, $run->failMessage, $run->failDetails, $run);
        }
        $e = Errors::take($status, $err);
        throw $this->reported !== null && $this->reported::class === $e::class ? $this->reported : $e;
    }

    /**
     * Cancel the run: the next step() ends it, and result() throws
     * CancelledException (the mission keeps running unless the run was
     * started with killOnCancel: true, then the kill is sent first).
     * Safe at any time — from a callback, a signal handler, after the end,
     * after free() (then it does nothing).
     */
    public function cancel(): void
    {
        if ($this->cancel !== null) {
            Native::ffi()->letts_cancel_trigger($this->cancel);
        }
    }

    /**
     * Release the run now (the destructor does it too); idempotent. An
     * unfinished run is abandoned (see the class comment). Called from
     * inside this run's own callback, the release waits until step()
     * returns.
     */
    public function free(): void
    {
        if ($this->stepping) {
            $this->freeAfterStep = true;
            return;
        }
        if (is_resource($this->stream)) {
            fclose($this->stream);
        }
        $this->stream = null;
        $ffi = Native::ffi();
        if ($this->handle !== null) {
            $ffi->letts_run_handle_free($this->handle);
            $this->handle = null;
        }
        if ($this->cancel !== null) {
            $ffi->letts_cancel_free($this->cancel);
            $this->cancel = null;
        }
    }

    private function requireLive(string $method): void
    {
        if ($this->handle === null) {
            throw new \LogicException("RunHandle::$method(): the run handle was freed");
        }
    }

    /**
     * Run a call that may fire this run's callbacks, with this run's
     * progress handler and observer as the current ones (libletts calls back
     * only during the call, so the binding's one trampoline per callback
     * type finds them on top of its stacks). What onProgress throws is kept
     * for result(); anything else propagates.
     *
     * @param \Closure(?FFI\CData): void $call gets the progress trampoline (null without onProgress)
     */
    private function enter(\Closure $call): void
    {
        $observer = function (LaunchFailure $failure): void {
            $this->reported = $failure->exception;
            if ($this->observer !== null) {
                ($this->observer)($failure);
            }
        };
        $onProgress = $this->onProgress === null ? null : function (?float $value, ?string $message): void {
            try {
                ($this->onProgress)($value, $message);
            } catch (\Throwable $e) {
                $this->thrown ??= $e;
                throw $e;
            }
        };
        try {
            Callbacks::observing($observer, $this->host, fn () => $onProgress === null
                ? $call(null) : Callbacks::withProgress($onProgress, $call), $this->timeouts);
        } catch (\Throwable $e) {
            if ($e !== $this->thrown) {
                throw $e;
            }
        }
    }
}
