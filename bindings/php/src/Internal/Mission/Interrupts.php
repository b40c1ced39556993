<?php
declare(strict_types=1);

namespace Letts\Internal\Mission;

use FFI;

/**
 * SIGTERM/SIGINT for a PHP mission.
 *
 * With pcntl (the normal case) PHP owns the two signals: the runtime was
 * started with LETTS_MISSION_NO_SIGNAL_HANDLERS, pcntl_async_signals() is
 * switched on and the pcntl handler forwards each delivery to libletts
 * (letts_mission_interrupt: the flag checkSignal() reads and the interrupt
 * descriptor) and then runs the onInterrupt() callbacks right away, as
 * php-client does. Only one of the two ever holds the signal, so they cannot
 * undo each other; a mission that calls pcntl_signal() for these signals
 * itself replaces this handler, exactly as it would with php-client.
 *
 * Without pcntl libletts's own handlers set the flag, and the callbacks run
 * at the next checkSignal() or progress() call.
 */
final class Interrupts
{
    /** @var list<\Closure> */
    private array $callbacks = [];
    private bool $pcntl = false;
    private bool $pendingRan = false;

    public function __construct(
        private readonly FFI $ffi,
        private readonly FFI\CData $handle,
    ) {}

    public static function pcntlAvailable(): bool
    {
        return function_exists('pcntl_signal') && function_exists('pcntl_async_signals');
    }

    public function installPcntl(): void
    {
        pcntl_async_signals(true);
        $handler = function (int $signal): void {
            $this->deliver($signal);
        };
        pcntl_signal(\SIGTERM, $handler);
        pcntl_signal(\SIGINT, $handler);
        $this->pcntl = true;
    }

    public function add(\Closure $callback): void
    {
        $this->callbacks[] = $callback;
    }

    /** A delivery of `$signal`: set the libletts flag, then run every callback. */
    public function deliver(int $signal): void
    {
        $this->ffi->letts_mission_interrupt($this->handle, $signal, null);
        $this->pendingRan = true;
        foreach ($this->callbacks as $callback) {
            $callback($signal);
        }
    }

    /** Without pcntl: run the callbacks once, at the first safe point after the signal. */
    public function runPendingCallbacks(): void
    {
        if ($this->pcntl || $this->pendingRan) {
            return;
        }
        $signal = $this->ffi->letts_mission_interrupted($this->handle);
        if ($signal !== 0) {
            $this->pendingRan = true;
            foreach ($this->callbacks as $callback) {
                $callback($signal);
            }
        }
    }
}
