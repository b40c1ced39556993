<?php
declare(strict_types=1);

namespace Letts;

use FFI;
use Letts\Exceptions\LibraryLoadException;
use Letts\Internal\Errors;
use Letts\Internal\Mission\CrashReporter;
use Letts\Internal\Mission\Interrupts;
use Letts\Internal\Native;

/**
 * The mission side: read the input and input files, report progress, react
 * to cancellation, register output files and end with success or failure.
 *
 * Under dugdale (LETTS_MISSION_ID set) events go to fd 3, SIGTERM/SIGINT
 * set the interrupt flag, and uncaught exceptions and fatal errors are
 * reported as a `fail` event. Run from a shell it is standalone: input from
 * --input=JSON / --input-file=PATH / --input=- , progress on stderr, the
 * success return pretty-printed on stdout, outputs under ./out.
 *
 * Built on the libletts mission runtime (letts/mission.h), which writes the
 * events; this class adds what is PHP's own: decoded input as arrays, the
 * exception and shutdown handlers, pcntl signal delivery and ending the
 * script.
 */
final class Mission
{
    private const FLAG_NO_SIGNAL_HANDLERS = 1;
    /** LETTS_MISSION_STANDALONE: standalone whatever LETTS_MISSION_ID says. */
    private const FLAG_STANDALONE = 2;

    /** The live mission of this process: libletts allows one at a time. */
    private static ?self $current = null;

    /** @var array<int|string, mixed> */
    private array $input;
    private Interrupts $interrupts;

    private function __construct(
        private readonly FFI $ffi,
        private readonly FFI\CData $handle,
        private readonly bool $standalone,
    ) {
        $this->input = $this->decodeInput();
        $this->interrupts = new Interrupts($ffi, $handle);
    }

    /**
     * Start the runtime for this process: under dugdale when LETTS_MISSION_ID
     * is set and non-empty, standalone otherwise. Calling it again returns
     * the mission already started.
     */
    public static function start(): self
    {
        if (self::$current !== null) {
            return self::$current;
        }
        $underDugdale = (string) getenv('LETTS_MISSION_ID') !== '';
        if (!$underDugdale) {
            return self::startStandalone(array_values($_SERVER['argv'] ?? []));
        }
        try {
            $ffi = Native::ffi();
        } catch (LibraryLoadException $e) {
            self::misconfigured($e->getMessage());
        }
        $pcntl = Interrupts::pcntlAvailable();
        [$status, $handle, $holder] = self::startNative($ffi, [], $pcntl ? self::FLAG_NO_SIGNAL_HANDLERS : 0);
        if ($status !== Errors::OK) {
            self::misconfigured(Errors::take($status, $holder)->getMessage());
        }
        $m = new self($ffi, $handle, false);
        if ($pcntl) {
            $m->interrupts->installPcntl();
        }
        CrashReporter::install($ffi, $handle);
        return self::$current = $m;
    }

    /**
     * Start in standalone mode with this command line (argv[0] is the
     * script), whatever the environment says. A mission started before in
     * this process is released first.
     *
     * @param list<string> $argv
     */
    public static function startStandalone(array $argv): self
    {
        $ffi = Native::ffi();
        if (self::$current !== null) {
            $ffi->letts_mission_free(self::$current->handle);
            self::$current = null;
        }
        [$status, $handle, $holder] = self::startNative($ffi, $argv, self::FLAG_NO_SIGNAL_HANDLERS | self::FLAG_STANDALONE);
        if ($status !== Errors::OK) {
            $e = Errors::take($status, $holder);
            throw $e instanceof \OutOfBoundsException ? new \RuntimeException($e->getMessage(), 0, $e) : $e;
        }
        $m = new self($ffi, $handle, true);
        return self::$current = $m;
    }

    // ------------------------------------------------------------ input --

    /**
     * The value at a dot path ("user.name", "items.0.id"). Without a default
     * an absent path throws \InvalidArgumentException; with one (null too)
     * the default is returned.
     */
    public function input(string $path, mixed $default = null): mixed
    {
        $found = $this->walk($path, $value);
        if ($found) {
            return $value;
        }
        if (func_num_args() > 1) {
            return $default;
        }
        throw new \InvalidArgumentException("input path \"$path\" not found");
    }

    public function has(string $path): bool
    {
        return $this->walk($path, $value);
    }

    /** @return array<int|string, mixed> the whole input ([] when there is none) */
    public function all(): array
    {
        return $this->input;
    }

    // ------------------------------------------------------ input files --

    /** The path of the input file with this role (standalone: the input member of that name). */
    public function file(string $key): string
    {
        if ($this->standalone) {
            $value = $this->input[$key] ?? null;
            if (!is_string($value)) {
                throw new \InvalidArgumentException("no input file with key \"$key\" (standalone: input.$key must be a path)");
            }
            return $value;
        }
        $out = $this->ffi->new('const char *');
        $holder = Native::errorHolder();
        $status = $this->ffi->letts_mission_file_path($this->handle, $key, FFI::addr($out), FFI::addr($holder));
        self::checkFileStatus($status, $holder);
        return FFI::string($out);
    }

    /** Its size in bytes (standalone: on disk, 0 when it cannot be read). */
    public function fileSize(string $key): int
    {
        if ($this->standalone) {
            $size = @filesize($this->file($key));
            return $size === false ? 0 : $size;
        }
        $out = $this->ffi->new('uint64_t');
        $holder = Native::errorHolder();
        $status = $this->ffi->letts_mission_file_size($this->handle, $key, FFI::addr($out), FFI::addr($holder));
        self::checkFileStatus($status, $holder);
        return (int) $out->cdata;
    }

    /** @return resource a read-only binary stream of the file */
    public function fileStream(string $key)
    {
        $fh = @fopen($this->file($key), 'rb');
        if ($fh === false) {
            throw new \RuntimeException("cannot open file: $key");
        }
        return $fh;
    }

    /** @return array<string, array{path: string, size: int, sha256: string}> ([] standalone) */
    public function files(): array
    {
        if ($this->standalone) {
            return [];
        }
        $list = $this->ffi->new('letts_string_list *');
        $holder = Native::errorHolder();
        Errors::check($this->ffi->letts_mission_file_roles($this->handle, FFI::addr($list), FFI::addr($holder)), $holder);
        $roles = [];
        try {
            $n = $this->ffi->letts_string_list_count($list);
            for ($i = 0; $i < $n; $i++) {
                $roles[] = (string) Errors::str($this->ffi->letts_string_list_get($list, $i));
            }
        } finally {
            $this->ffi->letts_string_list_free($list);
        }
        $files = [];
        foreach ($roles as $role) {
            $sha = $this->ffi->new('const char *');
            $holder = Native::errorHolder();
            Errors::check($this->ffi->letts_mission_file_sha256($this->handle, $role, FFI::addr($sha), FFI::addr($holder)), $holder);
            $files[$role] = ['path' => $this->file($role), 'size' => $this->fileSize($role), 'sha256' => FFI::string($sha)];
        }
        return $files;
    }

    // ------------------------------------------- progress, cancellation --

    /**
     * Report progress: a value (conventionally 0..1) and/or a message. A lost
     * event channel is not an error here (dugdale is gone or going).
     */
    public function progress(?float $value = null, ?string $message = null): void
    {
        $this->interrupts->runPendingCallbacks();
        $holder = Native::errorHolder();
        $status = $value === null
            ? $this->ffi->letts_mission_progress_message($this->handle, $message, FFI::addr($holder))
            : $this->ffi->letts_mission_progress($this->handle, $value, $message, FFI::addr($holder));
        if ($status === Errors::IO) {
            Errors::take($status, $holder);
            return;
        }
        Errors::check($status, $holder);
    }

    /** Throws InterruptedException once SIGTERM/SIGINT arrived (sticky). */
    public function checkSignal(): void
    {
        $this->interrupts->runPendingCallbacks();
        $holder = Native::errorHolder();
        Errors::check($this->ffi->letts_mission_check($this->handle, FFI::addr($holder)), $holder);
    }

    /**
     * Run `$cb(int $signal)` when SIGTERM/SIGINT arrives, to stop work
     * that cannot poll checkSignal(). With pcntl it runs as soon as the signal
     * is delivered (between two PHP instructions); keep it short.
     */
    public function onInterrupt(\Closure $cb): void
    {
        $this->interrupts->add($cb);
    }

    /** Behave as if SIGTERM had been delivered (sets the flag, runs the callbacks). */
    public function forceInterruptForTest(): void
    {
        $this->interrupts->deliver(\defined('SIGTERM') ? \SIGTERM : 15);
    }

    // ---------------------------------------------------------- outputs --

    /** Where to write output `$key`: <workdir>/out/<key> (out/ is created). */
    public function outputPath(string $key): string
    {
        $out = $this->ffi->new('const char *');
        $holder = Native::errorHolder();
        Errors::check($this->ffi->letts_mission_output_path($this->handle, $key, FFI::addr($out), FFI::addr($holder)), $holder);
        return FFI::string($out);
    }

    /** Register output `$key` for collection when the mission succeeds. */
    public function outputFile(string $key): void
    {
        $holder = Native::errorHolder();
        $status = $this->ffi->letts_mission_output_register($this->handle, $key, FFI::addr($holder));
        if ($status === Errors::IO) {
            Errors::take($status, $holder);
            return;
        }
        Errors::check($status, $holder);
    }

    // ------------------------------------------------------ termination --

    /**
     * Report success and end the script with status 0. `$return` must be an
     * associative array (a JSON object) or null; a list is refused.
     *
     * @param array<string, mixed>|null $return
     */
    public function success(?array $return = null): never
    {
        if ($return !== null && $return !== [] && array_is_list($return)) {
            throw new \InvalidArgumentException(
                'success() return must be a JSON object (assoc array), not a list; wrap as ["items" => $list]',
            );
        }
        $json = $return === null ? null : self::encodeObject($return);
        $holder = Native::errorHolder();
        $status = $this->ffi->letts_mission_success($this->handle, $json, FFI::addr($holder));
        self::checkTerminal($status, $holder);
        $this->end();
    }

    /**
     * Report failure and end the script with `$exitCode`: 0 becomes 1 and
     * values outside 1..255 are clamped into it, so a failure never exits 0.
     * `$reason` is the machine reason dugdale records (default "explicit");
     * an addition to php-client's signature, trailing and optional so that
     * its callers (positional or named arguments) cannot tell.
     *
     * @param array<string, mixed>|null $details a JSON object
     */
    public function fail(string $message, int $exitCode = 1, ?array $details = null, ?string $reason = null): never
    {
        $json = $details === null ? null : self::encodeObject($details);
        $code = max(-2147483648, min(2147483647, $exitCode));
        $holder = Native::errorHolder();
        $status = $this->ffi->letts_mission_fail($this->handle, $message, $reason, $json, $code, FFI::addr($holder));
        self::checkTerminal($status, $holder);
        $this->end();
    }

    // --------------------------------------------------------- internal --

    /**
     * @param list<string> $argv
     * @return array{0: int, 1: FFI\CData, 2: FFI\CData}
     */
    private static function startNative(FFI $ffi, array $argv, int $flags): array
    {
        $argc = count($argv);
        $cArgv = $ffi->new('const char *[' . max(1, $argc + 1) . ']');
        $keep = [];
        foreach ($argv as $i => $arg) {
            $arg = (string) $arg;
            $buf = $ffi->new('char[' . (strlen($arg) + 1) . ']');
            FFI::memcpy($buf, $arg, strlen($arg));
            $keep[] = $buf;
            $cArgv[$i] = FFI::cast('const char *', FFI::addr($buf[0]));
        }
        $handle = $ffi->new('letts_mission *');
        $holder = Native::errorHolder();
        $status = $ffi->letts_mission_start(FFI::addr($handle), $argc, $cArgv, $flags, FFI::addr($holder));
        unset($keep);
        return [$status, $handle, $holder];
    }

    private static function misconfigured(string $message): never
    {
        fwrite(STDERR, "letts mission misconfigured: $message\n");
        exit(1);
    }

    /** @return array<int|string, mixed> */
    private function decodeInput(): array
    {
        $json = (string) Errors::str($this->ffi->letts_mission_input_json($this->handle));
        $value = json_decode($json, true);
        if (is_array($value)) {
            return $value;
        }
        if ($this->standalone && $json !== 'null') {
            $this->ffi->letts_mission_free($this->handle);
            throw new \InvalidArgumentException('input is not a JSON object');
        }
        return [];
    }

    private function walk(string $path, mixed &$value): bool
    {
        $cur = $this->input;
        foreach (explode('.', $path) as $segment) {
            if (!is_array($cur) || !array_key_exists($segment, $cur)) {
                return false;
            }
            $cur = $cur[$segment];
        }
        $value = $cur;
        return true;
    }

    /** Input-file lookups report an unknown role as \InvalidArgumentException, as php-client does. */
    private static function checkFileStatus(int $status, FFI\CData $holder): void
    {
        if ($status === Errors::NOT_FOUND) {
            throw new \InvalidArgumentException(Errors::take($status, $holder)->getMessage());
        }
        Errors::check($status, $holder);
    }

    /** @param array<mixed> $value */
    private static function encodeObject(array $value): string
    {
        if ($value === []) {
            return '{}';
        }
        return json_encode($value, JSON_THROW_ON_ERROR | JSON_PRESERVE_ZERO_FRACTION | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    }

    /** A terminal event that hit a closed fd 3 still counts as written: go on and end. */
    private static function checkTerminal(int $status, FFI\CData $holder): void
    {
        if ($status === Errors::IO) {
            Errors::take($status, $holder);
            return;
        }
        Errors::check($status, $holder);
    }

    /** End the script with the status matching the terminal event. */
    private function end(): never
    {
        // libletts flushes each standalone report line as it prints it, so
        // nothing of it can come out after PHP's own output.
        exit($this->ffi->letts_mission_exit_code($this->handle));
    }
}
