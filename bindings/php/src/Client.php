<?php
declare(strict_types=1);

namespace Letts;

use FFI;
use Letts\Config\Config;
use Letts\Config\Dugdale;
use Letts\Config\HostResolver;
use Letts\Config\Scope;
use Letts\Exceptions\BadRequestException;
use Letts\Exceptions\LettsException;
use Letts\Exceptions\MissionFailedException;
use Letts\Internal\Client\Bulk;
use Letts\Internal\Client\Callbacks;
use Letts\Internal\Client\CompletionObserver;
use Letts\Internal\Client\CStrings;
use Letts\Internal\Client\Durations;
use Letts\Internal\Client\Job;
use Letts\Internal\Client\ListFilter;
use Letts\Internal\Client\NativeConfig;
use Letts\Internal\Client\Results;
use Letts\Internal\Errors;
use Letts\Internal\Http\HttpTransport;
use Letts\Internal\Http\RawResponse;
use Letts\Internal\Native;
use Letts\Result\BulkResult;
use Letts\Result\HostResult;
use Letts\Result\MissionInfo;
use Letts\Result\MissionPage;
use Letts\Result\RestartResult;
use Letts\Result\RunResult;

/**
 * The letts client: dispatches missions to dugdale daemons, follows them to
 * their end, fans out across hosts and manages running missions — the
 * public API of php-client's Letts\Client, carried out by libletts.
 *
 * A Client owns one libletts client handle (configuration, transport
 * options, connection cache). withMatch() and withFailureObserver() return
 * new clients sharing the configuration and connection cache; the original
 * is never changed.
 *
 * Differences from php-client: there is no injectable HTTP client
 * (libletts does its own HTTP; passing one is refused), Client::default()
 * takes the same options as fromConfig(), and exceptions also carry
 * getErrorCode(), getDugdale() and getDetails().
 */
final class Client
{
    /** @var array<string, mixed>|null the merged configuration, decoded on first use */
    private ?array $config = null;

    /** the loaded letts.yaml the handle was made from (getConfig(), getHostResolver()) */
    private ?NativeConfig $native = null;

    /** @param list<string> $matchOverride */
    private function __construct(
        private readonly FFI\CData $handle,
        private readonly array $matchOverride = [],
        private readonly ?\Closure $observer = null,
        /** the completion observer the handle calls: every copy sharing the handle's observer keeps it */
        private readonly ?CompletionObserver $completion = null,
    ) {}

    /**
     * The `letts_client *` for the package's own classes (Schedule); owned by
     * this object, valid while it lives.
     *
     * @internal
     */
    public function cdata(): FFI\CData
    {
        return $this->handle;
    }

    public function __destruct()
    {
        Native::ffi()->letts_client_free($this->handle);
    }

    /** A Client owns its handle: a clone would free it twice. */
    private function __clone()
    {
    }

    /**
     * A client for the letts.yaml found by the discovery cascade
     * ($LETTS_CONFIG, ./letts.yaml, $XDG_CONFIG_HOME/letts/letts.yaml,
     * ~/.letts/letts.yaml, /etc/letts/letts.yaml).
     *
     * @param object|null          $http            not supported (php-client's injectable HTTP client); must be null
     * @param \Closure|null        $onLaunchFailure the launch-failure observer (see withFailureObserver())
     * @param array<string, mixed> $opts            as fromConfig()
     * @throws Exceptions\ConfigException when no file is found or it is invalid
     */
    public static function default(?object $http = null, ?\Closure $onLaunchFailure = null, array $opts = []): self
    {
        self::refuseHttp($http);
        $native = NativeConfig::discover((bool) ($opts['insecure_config_permissions'] ?? false));
        return self::create($opts, $onLaunchFailure, static function (FFI\CData $options, FFI\CData $out, FFI\CData $err) use ($native): int {
            return Native::ffi()->letts_client_new(FFI::addr($out), $native->handle, $options, FFI::addr($err));
        })->keeping($native);
    }

    /**
     * A client for the letts.yaml at `$path` ($LETTS_CONFIG is not consulted).
     *
     * Options (unknown keys are ignored): request_timeout (s, inactivity, 30),
     * connect_timeout (s, 30), max_connections_per_host (no cap unless set), retry_attempts (3),
     * retry_backoff (ms list, [100, 500, 2000]), ignore_proxy (false),
     * stream_fresh_connection (false), insecure_config_permissions (false:
     * plain-text tokens require a 0600/0400 file). Additions of this binding:
     * total_timeout (s, upper bound of a whole request but the streams, 0 =
     * none, the default), reconnect_backoff (ms list, pauses before an event
     * stream reconnects, [100, 500, 2000]); letts/client.h has the details.
     *
     * @param array<string, mixed> $opts
     * @throws Exceptions\ConfigException
     */
    public static function fromConfig(string $path, array $opts = [], ?object $http = null,
                                      ?\Closure $onLaunchFailure = null): self
    {
        self::refuseHttp($http);
        $native = NativeConfig::loadFile($path, (bool) ($opts['insecure_config_permissions'] ?? false));
        return self::create($opts, $onLaunchFailure, static function (FFI\CData $options, FFI\CData $out, FFI\CData $err) use ($native): int {
            return Native::ffi()->letts_client_new(FFI::addr($out), $native->handle, $options, FFI::addr($err));
        })->keeping($native);
    }

    // --- event loops and inspection (libletts addition)
    //
    // Beyond php-client: runs driven by the caller's event loop (start(),
    // startWait() → RunHandle), cancellation (Cancel, withCancel(), wait()),
    // and the C API's inspection calls (letts/mission_info.h streams,
    // letts/dugdale.h). `host` is a dugdale id or alias and is required.

    /**
     * A copy of this client whose every call — run(), wait(), dispatch(),
     * the fan-outs, the streams, and every RunHandle it starts — ends with
     * Exceptions\CancelledException once `$cancel` is triggered. The label
     * filter and the observer are kept; configuration and connections are
     * shared, so a copy per call is cheap.
     */
    public function withCancel(Cancel $cancel): self
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $out = $ffi->new('letts_client *');
        Errors::check($ffi->letts_client_with_cancel($this->handle, $cancel->cdata(), FFI::addr($out), FFI::addr($err)), $err);
        return new self($out, $this->matchOverride, $this->observer, $this->completion);
    }

    /**
     * run() without waiting, for event loops: the same parameters and
     * defaults (plus `cancel`, and `killOnCancel` to kill the mission when
     * the run is cancelled), returning a RunHandle to drive with step()
     * whenever its stream() is readable; its result() is what run() would
     * have returned or thrown. The run does its first work (resolving,
     * staging, dispatching) before this returns; a launch failure is
     * reported by result(), after the observer was told.
     *
     * @param list<string>          $match
     * @param array<string, mixed>  $input
     * @param array<string, string> $files
     * @throws \InvalidArgumentException for an invalid waitTimeout or timeout (nothing is sent)
     */
    public function start(
        string $mission,
        ?string $route = null, int|string|null $host = null, array $match = [],
        ?string $lane = null,
        array $input = [],
        array $files = [],
        ?string $timeout = null,
        ?string $waitTimeout = null,
        ?\Closure $onProgress = null,
        ?string $downloadOutputsTo = null,
        bool $throwOnFailure = true,
        ?string $missionId = null,
        bool $fetchLogs = false,
        ?Cancel $cancel = null,
        bool $killOnCancel = false,
    ): RunHandle {
        $options = $this->loopRunOptions($waitTimeout, $downloadOutputsTo, $throwOnFailure, $fetchLogs, null, $killOnCancel);
        try {
            $job = new Job($mission, $route, $host, $match, $lane, $input, $files, $timeout, $missionId);
            $client = $cancel === null ? $this : $this->withCancel($cancel);
            return RunHandle::begin($client, $this->observer, $host, Job::timeoutsAsWritten([$job]), $options, $onProgress,
                static fn (FFI\CData $options, FFI\CData $out, FFI\CData $err): int =>
                    Native::ffi()->letts_client_run_start($client->handle, $job->handle, $options, FFI::addr($out), FFI::addr($err)));
        } finally {
            Native::ffi()->letts_run_options_free($options);
        }
    }

    /** wait() without waiting: a RunHandle following mission `$missionId` of `$host` (see start()). */
    public function startWait(
        string $missionId,
        int|string $host,
        ?string $waitTimeout = null,
        ?\Closure $onProgress = null,
        ?string $downloadOutputsTo = null,
        bool $throwOnFailure = true,
        bool $fetchLogs = false,
        ?Cancel $cancel = null,
        bool $killOnCancel = false,
    ): RunHandle {
        $options = $this->loopRunOptions($waitTimeout, $downloadOutputsTo, $throwOnFailure, $fetchLogs, null, $killOnCancel);
        try {
            $client = $cancel === null ? $this : $this->withCancel($cancel);
            return RunHandle::begin($client, $this->observer, $host, [], $options, $onProgress,
                static fn (FFI\CData $options, FFI\CData $out, FFI\CData $err): int =>
                    Native::ffi()->letts_client_wait_start($client->handle, (string) $host, $missionId, $options, FFI::addr($out), FFI::addr($err)));
        } finally {
            Native::ffi()->letts_run_options_free($options);
        }
    }

    /**
     * Follow mission `$missionId` of `$host`, dispatched earlier by this or
     * another process, to its result — as run() does after its dispatch
     * (progress from the first event, wait timeout, outputs, logs,
     * throwOnFailure); how to resume after a WaitTimeoutException or a
     * restart of the caller. `$cancel` ends the wait with
     * CancelledException (killing the mission with `$killOnCancel`).
     *
     * @throws Exceptions\LettsException as run(); DispatchException (404) for an unknown id
     */
    public function wait(
        string $missionId,
        int|string $host,
        ?string $waitTimeout = null,
        ?\Closure $onProgress = null,
        ?string $downloadOutputsTo = null,
        bool $throwOnFailure = true,
        bool $fetchLogs = false,
        ?Cancel $cancel = null,
        bool $killOnCancel = false,
    ): RunResult {
        $ffi = Native::ffi();
        $options = $this->loopRunOptions($waitTimeout, $downloadOutputsTo, $throwOnFailure, $fetchLogs, $cancel, $killOnCancel);
        try {
            $wait = function (?FFI\CData $progress) use ($ffi, $options, $host, $missionId): RunResult {
                $err = Native::errorHolder();
                if ($progress !== null) {
                    Errors::check($ffi->letts_run_options_set_progress($options, $progress, null, FFI::addr($err)), $err);
                }
                $result = $ffi->new('letts_run_result *');
                $status = $ffi->letts_client_wait($this->handle, (string) $host, $missionId, $options, FFI::addr($result), FFI::addr($err));
                return $this->runOutcome($status, $result, $err);
            };
            return $onProgress === null ? $wait(null) : Callbacks::withProgress($onProgress, $wait);
        } finally {
            $ffi->letts_run_options_free($options);
        }
    }

    /**
     * The events of mission `$id` with seq > `$from`, in order, each decoded
     * (`['seq' => 3, 'event' => 'progress', ...]`) and given to
     * `$onEvent(array $event)`. With `$follow` the stream is followed to the
     * `done` event (reconnecting as run() does); without, the events so far
     * are read once. `$onEvent` returns false to stop early (this then
     * returns normally); what it throws ends the stream and propagates.
     */
    public function followEvents(string $id, int|string $host, \Closure $onEvent, int $from = 0, bool $follow = true): void
    {
        \Letts\Internal\Client\Streams::events($this->handle, (string) $host, $id, $from, $follow, $onEvent);
    }

    /**
     * The captured output of mission `$id` — `$stream` "stdout", "stderr"
     * or "combined" (NDJSON records) — handed to `$onBytes(string $chunk)`
     * as it arrives (binary-safe, never held whole); `$follow` tails it
     * until the mission ends. Stopping and exceptions as followEvents().
     */
    public function streamOutput(string $id, int|string $host, \Closure $onBytes, string $stream = 'stdout', bool $follow = false): void
    {
        \Letts\Internal\Client\Streams::output($this->handle, (string) $host, $id, $stream, $follow, $onBytes);
    }

    /**
     * GET /v1/dugdale (dispatch token): version, uptime, queue summary, decoded.
     *
     * @return array<string, mixed>
     */
    public function dugdaleInfo(int|string $host): array
    {
        return $this->jsonAnswer('letts_client_dugdale_info', $host);
    }

    /**
     * GET /v1/lanes (dispatch token): each lane's name, concurrency, paused,
     * queued and running, decoded.
     *
     * @return array<string, mixed>
     */
    public function lanes(int|string $host): array
    {
        return $this->jsonAnswer('letts_client_lanes', $host);
    }

    /** Pause lane `$lane` of `$host` (admin token): queued missions stay queued. */
    public function pauseLane(int|string $host, string $lane): void
    {
        $err = Native::errorHolder();
        $this->check(Native::ffi()->letts_client_pause_lane($this->handle, (string) $host, $lane, FFI::addr($err)), $err);
    }

    /** Let paused lane `$lane` of `$host` pick up missions again (admin token). */
    public function continueLane(int|string $host, string $lane): void
    {
        $err = Native::errorHolder();
        $this->check(Native::ffi()->letts_client_continue_lane($this->handle, (string) $host, $lane, FFI::addr($err)), $err);
    }

    /**
     * POST /v1/admin/apply (admin token) with `$state` (lanes, mission_dir,
     * runtime, ... as the daemon's apply document); the answer, decoded.
     *
     * @param array<string, mixed> $state
     * @return array<string, mixed>
     */
    public function adminApply(int|string $host, array $state): array
    {
        $body = json_encode((object) $state, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
        return $this->jsonAnswer('letts_client_admin_apply', $host, $body);
    }

    /**
     * GET /v1/admin/state (admin token), decoded.
     *
     * @return array<string, mixed>
     */
    public function adminState(int|string $host): array
    {
        return $this->jsonAnswer('letts_client_admin_state', $host);
    }

    /**
     * GET /v1/healthz: the answer, decoded; throws when the dugdale does not
     * answer 2xx (NetworkException when it cannot be reached).
     *
     * @return array<string, mixed>
     */
    public function health(int|string $host): array
    {
        return $this->jsonAnswer('letts_client_healthz', $host);
    }

    /**
     * GET /v1/readyz: the answer, decoded, when ready; a dugdale that is not
     * ready (503) throws DispatchException whose getErrorCode() is the reason.
     *
     * @return array<string, mixed>
     */
    public function ready(int|string $host): array
    {
        return $this->jsonAnswer('letts_client_readyz', $host);
    }

    /** Run options for wait(), start() and startWait(); the caller frees them. */
    private function loopRunOptions(?string $waitTimeout, ?string $downloadOutputsTo, bool $throwOnFailure,
                                    bool $fetchLogs, ?Cancel $cancel, bool $killOnCancel): FFI\CData
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $options = $this->withRetryOn(Durations::runOptions(Durations::waitTimeoutMs($waitTimeout)));
        try {
            Errors::check($ffi->letts_run_options_set_failure_as_error($options, $throwOnFailure ? 1 : 0, FFI::addr($err)), $err);
            Errors::check($ffi->letts_run_options_set_fetch_logs($options, $fetchLogs ? 1 : 0, FFI::addr($err)), $err);
            Errors::check($ffi->letts_run_options_set_kill_on_cancel($options, $killOnCancel ? 1 : 0, FFI::addr($err)), $err);
            if ($downloadOutputsTo !== null && $downloadOutputsTo !== '') {
                Errors::check($ffi->letts_run_options_set_outputs_folder($options, $downloadOutputsTo, FFI::addr($err)), $err);
            }
            if ($cancel !== null) {
                Errors::check($ffi->letts_run_options_set_cancel($options, $cancel->cdata(), FFI::addr($err)), $err);
            }
            return $options;
        } catch (\Throwable $e) {
            $ffi->letts_run_options_free($options);
            throw $e;
        }
    }

    /**
     * A letts/dugdale.h call answering JSON text: `$function(client, host,
     * [...$args,] &json, &err)`, decoded (an empty answer is []).
     *
     * @return array<string, mixed>
     */
    private function jsonAnswer(string $function, int|string $host, string ...$args): array
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $json = $ffi->new('char *');
        $this->check($ffi->$function($this->handle, (string) $host, ...[...$args, FFI::addr($json), FFI::addr($err)]), $err);
        $text = CStrings::take($json);
        $decoded = $text === null || $text === '' ? [] : json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        return is_array($decoded) ? $decoded : ['value' => $decoded];
    }

    /**
     * A copy whose default label filter for auto-select and runOnAll() is
     * `$match` (an empty list removes it). The observer is kept.
     *
     * @param list<string> $match
     */
    public function withMatch(array $match): self
    {
        $match = array_values(array_map('strval', $match));
        $labels = CStrings::array($match);
        $ffi = Native::ffi();
        $out = $ffi->new('letts_client *');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_client_with_match($this->handle, $labels->pointers(), $labels->count(), FFI::addr($out), FFI::addr($err)), $err);
        return (new self($out, $match, $this->observer, $this->completion))->keeping($this->native);
    }

    /**
     * A copy that calls `$observer(LaunchFailure $failure)` whenever a launch
     * fails (dispatch, tryDispatch, run, runParallel, runOnAll), before the
     * exception is thrown or null returned. The label filter is kept. What the
     * observer throws is logged with error_log() and otherwise ignored.
     */
    public function withFailureObserver(\Closure $observer): self
    {
        return (new self(self::copyHandle($this->handle), $this->matchOverride, $observer, $this->completion))->keeping($this->native);
    }

    /**
     * The configuration this client uses, as php-client's value objects:
     * letts.yaml validated and merged by the library, strings as written.
     */
    public function getConfig(): Config
    {
        return $this->nativeConfig()->model();
    }

    /** How this client turns host names (ids, aliases) and routes into dugdale ids. */
    public function getHostResolver(): HostResolver
    {
        return new HostResolver($this->getConfig());
    }

    /**
     * php-client's translation of the timeout options into its HTTP client's
     * defaults (`timeout` = request_timeout, default 30;
     * `max_connect_duration` = connect_timeout when set). Here it only
     * describes them: libletts applies the options itself (connect_timeout
     * defaults to 30 s and is exact).
     *
     * @param array<string, mixed> $opts
     * @return array<string, mixed>
     */
    public static function httpDefaultOptions(array $opts): array
    {
        $out = ['timeout' => $opts['request_timeout'] ?? 30];
        if (isset($opts['connect_timeout'])) {
            $out['max_connect_duration'] = $opts['connect_timeout'];
        }
        return $out;
    }

    /** @return list<string> the withMatch() label filter ([] when none) */
    public function getMatchOverride(): array
    {
        return $this->matchOverride;
    }

    /**
     * Dispatch a mission and return its id at once (it is not awaited).
     * Address it by `route`, by `host` and `lane`, or by `match` and `lane`.
     * `files` (role => local path) are uploaded to the dugdale first.
     * `missionId` is the idempotency key: the same id and payload give the
     * same mission, a different payload a ConflictException.
     *
     * @param list<string>          $match
     * @param array<string, mixed>  $input
     * @param array<string, string> $files
     * @throws LettsException
     */
    public function dispatch(
        string $mission,
        ?string $route = null, int|string|null $host = null, array $match = [],
        ?string $lane = null,
        array $input = [],
        array $files = [],
        ?string $timeout = null,
        ?string $missionId = null,
    ): string {
        $job = new Job($mission, $route, $host, $match, $lane, $input, $files, $timeout, $missionId);
        return Callbacks::observing($this->observer, $host, function () use ($job): string {
            $ffi = Native::ffi();
            $id = $ffi->new('char *');
            $err = Native::errorHolder();
            $this->check($ffi->letts_client_dispatch($this->handle, $job->handle, FFI::addr($id), FFI::addr($err)), $err);
            return (string) CStrings::take($id);
        }, Job::timeoutsAsWritten([$job]));
    }

    /**
     * As dispatch(), but a failed launch returns null (after the observer was
     * told) instead of throwing. Argument mistakes still throw.
     *
     * @param list<string>          $match
     * @param array<string, mixed>  $input
     * @param array<string, string> $files
     */
    public function tryDispatch(
        string $mission,
        ?string $route = null, int|string|null $host = null, array $match = [],
        ?string $lane = null,
        array $input = [],
        array $files = [],
        ?string $timeout = null,
        ?string $missionId = null,
    ): ?string {
        $job = new Job($mission, $route, $host, $match, $lane, $input, $files, $timeout, $missionId);
        return Callbacks::observing($this->observer, $host, function () use ($job): ?string {
            // A failed launch is LETTS_OK with no id (the observer was told);
            // only argument and memory errors come back as a status.
            $ffi = Native::ffi();
            $id = $ffi->new('char *');
            $err = Native::errorHolder();
            Errors::check($ffi->letts_client_try_dispatch($this->handle, $job->handle, FFI::addr($id), FFI::addr($err)), $err);
            return CStrings::take($id);
        }, Job::timeoutsAsWritten([$job]));
    }

    /**
     * Dispatch a mission and follow it to its end.
     *
     * `timeout` limits the mission on the daemon; `waitTimeout` ("500ms",
     * "30s", "5m", "2h") limits the wait here: past it WaitTimeoutException is
     * thrown and the mission keeps running. `onProgress(?float $value,
     * ?string $message)` is called for every progress event; an exception it
     * throws stops the wait and propagates. With `downloadOutputsTo` the
     * outputs of a successful mission are saved as <dir>/<role>, verified. A
     * non-success outcome throws MissionFailedException unless
     * `throwOnFailure` is false. `fetchLogs` fetches stdout and stderr.
     *
     * @param list<string>          $match
     * @param array<string, mixed>  $input
     * @param array<string, string> $files
     * @throws LettsException
     * @throws \InvalidArgumentException for an invalid waitTimeout (before anything is sent)
     */
    public function run(
        string $mission,
        ?string $route = null, int|string|null $host = null, array $match = [],
        ?string $lane = null,
        array $input = [],
        array $files = [],
        ?string $timeout = null,
        ?string $waitTimeout = null,
        ?\Closure $onProgress = null,
        ?string $downloadOutputsTo = null,
        bool $throwOnFailure = true,
        ?string $missionId = null,
        bool $fetchLogs = false,
    ): RunResult {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $options = $this->withRetryOn(Durations::runOptions(Durations::waitTimeoutMs($waitTimeout)));
        try {
            Errors::check($ffi->letts_run_options_set_failure_as_error($options, $throwOnFailure ? 1 : 0, FFI::addr($err)), $err);
            Errors::check($ffi->letts_run_options_set_fetch_logs($options, $fetchLogs ? 1 : 0, FFI::addr($err)), $err);
            if ($downloadOutputsTo !== null && $downloadOutputsTo !== '') {
                Errors::check($ffi->letts_run_options_set_outputs_folder($options, $downloadOutputsTo, FFI::addr($err)), $err);
            }
            $job = new Job($mission, $route, $host, $match, $lane, $input, $files, $timeout, $missionId);
            $launch = fn(?FFI\CData $progress): RunResult => Callbacks::observing($this->observer, $host,
                function () use ($ffi, $options, $job, $progress): RunResult {
                    $err = Native::errorHolder();
                    if ($progress !== null) {
                        Errors::check($ffi->letts_run_options_set_progress($options, $progress, null, FFI::addr($err)), $err);
                    }
                    $result = $ffi->new('letts_run_result *');
                    $status = $ffi->letts_client_run($this->handle, $job->handle, $options, FFI::addr($result), FFI::addr($err));
                    return $this->runOutcome($status, $result, $err);
                }, Job::timeoutsAsWritten([$job]));
            return $onProgress === null ? $launch(null) : Callbacks::withProgress($onProgress, $launch);
        } finally {
            $ffi->letts_run_options_free($options);
        }
    }

    /**
     * The bytes of output `$key` of a finished mission, downloaded into
     * memory and verified against the size and sha256 the daemon announced.
     * Works for any RunResult (run(), runParallel(), runOnAll()).
     *
     * @throws BadRequestException when the result has no output `$key`
     * @throws Exceptions\StagingException when the download fails or does not verify
     */
    public function downloadOutput(RunResult $result, string $key): string
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $handle = $ffi->new('letts_run_result *');
        $json = json_encode([
            'mission_id' => $result->missionId,
            'outcome' => $result->outcome,
            'outputs' => (object) $result->outputFiles,
        ], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
        Errors::check($ffi->letts_run_result_from_json(FFI::addr($handle), $result->host, $json, FFI::addr($err)), $err);
        try {
            $data = $ffi->new('char *');
            $len = $ffi->new('size_t');
            Errors::check($ffi->letts_client_download_output($this->handle, $handle, $key, FFI::addr($data), FFI::addr($len), FFI::addr($err)), $err);
            return (string) CStrings::take($data, (int) $len->cdata);
        } finally {
            $ffi->letts_run_result_free($handle);
        }
    }

    /**
     * Run many jobs at once and wait for all of them; results come in job
     * order. A job is an array with `mission` and the addressing keys of run()
     * (`route` | `host` | `match`, `lane`) plus `input`, `files`, `timeout`.
     * A job that cannot be launched or loses its stream gets a HostError;
     * jobs unfinished at `waitTimeout` get a HostError of kind "timeout"
     * (their missions keep running).
     *
     * @param list<array<string, mixed>> $jobs
     * @return list<HostResult>
     * @throws Exceptions\ConfigException|Exceptions\NoMatchingDugdaleException when a job's configuration is wrong
     */
    public function runParallel(array $jobs, ?string $waitTimeout = null): array
    {
        // php-client computes the deadline before anything else.
        $waitMs = Durations::waitTimeoutMs($waitTimeout);
        $built = [];
        foreach (array_values($jobs) as $i => $spec) {
            if (!is_array($spec)) {
                throw new \InvalidArgumentException("runParallel: job #$i must be an array, " . get_debug_type($spec) . ' given');
            }
            $built[] = Job::fromArray($spec, $i);
        }
        if ($built === []) {
            return [];
        }
        $ffi = Native::ffi();
        $n = count($built);
        $array = $ffi->new("letts_job *[$n]");
        foreach ($built as $i => $job) {
            $array[$i] = $job->handle;
        }
        return $this->fanOut($waitMs, $built, fn(FFI\CData $options, FFI\CData $out, FFI\CData $err): int =>
            $ffi->letts_client_run_parallel($this->handle, $array, $n, $options, FFI::addr($out), FFI::addr($err)));
    }

    /**
     * Run `$mission` once on every dugdale that carries the labels (`match`,
     * else the withMatch() filter, else selector.match — one is required)
     * and declares `lane` (required), as runParallel() does.
     *
     * @param list<string>          $match
     * @param array<string, mixed>  $input
     * @param array<string, string> $files
     * @return list<HostResult>
     * @throws BadRequestException without a lane
     * @throws Exceptions\NoMatchingDugdaleException without a label filter, or when no dugdale matches
     */
    public function runOnAll(
        string $mission,
        ?string $lane = null,
        array $match = [],
        array $input = [],
        array $files = [],
        ?string $timeout = null,
        ?string $waitTimeout = null,
    ): array {
        if ($lane === null || $lane === '') {
            throw new BadRequestException('lane is required for runOnAll');
        }
        $waitMs = Durations::waitTimeoutMs($waitTimeout);
        $job = new Job(mission: $mission, match: $match, lane: $lane, input: $input, files: $files, timeout: $timeout);
        $ffi = Native::ffi();
        return $this->fanOut($waitMs, [$job], fn(FFI\CData $options, FFI\CData $out, FFI\CData $err): int =>
            $ffi->letts_client_run_on_all($this->handle, $job->handle, $options, FFI::addr($out), FFI::addr($err)));
    }

    /**
     * The configured dugdales carrying all `$match` labels, in file order
     * (every dugdale for []), as written in letts.yaml. No network.
     *
     * @param list<string> $match
     * @return list<Dugdale>
     */
    public function dugdales(array $match = []): array
    {
        $ffi = Native::ffi();
        $labels = CStrings::array(array_values(array_map('strval', $match)));
        $list = $ffi->new('letts_string_list *');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_client_dugdales($this->handle, $labels->pointers(), $labels->count(), FFI::addr($list), FFI::addr($err)), $err);
        try {
            $byId = [];
            foreach ($this->config()['dugdales'] ?? [] as $d) {
                $byId[(string) ($d['id'] ?? '')] = $d;
            }
            $out = [];
            $count = $ffi->letts_string_list_count($list);
            for ($i = 0; $i < $count; $i++) {
                $id = (string) Errors::str($ffi->letts_string_list_get($list, $i));
                $out[] = NativeConfig::dugdale($byId[$id] ?? ['id' => $id]);
            }
            return $out;
        } finally {
            $ffi->letts_string_list_free($list);
        }
    }

    /**
     * The mission `$id`, or null when it is not found (or being deleted).
     * Without `host` every configured dugdale is asked; one that fails is
     * skipped.
     */
    public function getMission(string $id, int|string|null $host = null): ?MissionInfo
    {
        $ffi = Native::ffi();
        $info = $ffi->new('letts_mission_info *');
        $err = Native::errorHolder();
        $this->check($ffi->letts_client_get_mission($this->handle, $host === null ? null : (string) $host, $id, FFI::addr($info), FFI::addr($err)), $err);
        if (FFI::isNull($info)) {
            return null;
        }
        try {
            return Results::missionInfo($info);
        } finally {
            $ffi->letts_mission_info_free($info);
        }
    }

    /**
     * One page of the missions of `host` (required; admin token), filtered by
     * the daemon's list filters (status, outcome, lane, mission,
     * mission_prefix, kind, group_id, order, since, until, limit, cursor).
     * listMissionsPage() gives the same page with the next page's cursor.
     *
     * @param array<string, scalar> $filters
     * @return list<MissionInfo>
     */
    public function listMissions(int|string|null $host = null, array $filters = []): array
    {
        return $this->listMissionsPage($host, $filters)->missions;
    }

    /**
     * listMissions() with the cursor of the next page (null on the last):
     * `$filters + ['cursor' => $page->nextCursor]` asks for it. An addition
     * to php-client, whose listMissions() drops the cursor.
     *
     * @param array<string, scalar> $filters
     */
    public function listMissionsPage(int|string|null $host = null, array $filters = []): MissionPage
    {
        if ($host === null) {
            throw new BadRequestException('host is required for listMissions');
        }
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $filter = $ffi->new('letts_list_filter *');
        Errors::check($ffi->letts_list_filter_new(FFI::addr($filter), FFI::addr($err)), $err);
        $list = $ffi->new('letts_mission_list *');
        try {
            foreach ($filters as $key => $value) {
                ListFilter::apply($filter, (string) $key, $value);
            }
            $this->check($ffi->letts_client_list_missions($this->handle, (string) $host, $filter, FFI::addr($list), FFI::addr($err)), $err);
            $out = [];
            $count = $ffi->letts_mission_list_count($list);
            for ($i = 0; $i < $count; $i++) {
                $out[] = Results::missionInfo($ffi->letts_mission_list_get($list, $i));
            }
            return new MissionPage($out, Errors::str($ffi->letts_mission_list_next_cursor($list)));
        } finally {
            $ffi->letts_mission_list_free($list);
            $ffi->letts_list_filter_free($filter);
        }
    }

    /**
     * Ask the daemon to kill mission `$id` on `host` (required; admin token).
     * Never retried: after a NetworkException check with getMission().
     */
    public function kill(string $id, string $signal = 'TERM', int|string|null $host = null): void
    {
        if ($host === null) {
            throw new BadRequestException('host is required for kill');
        }
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $this->check($ffi->letts_client_kill($this->handle, (string) $host, $id, $signal, FFI::addr($err)), $err);
    }

    /**
     * Restart finished mission `$id` on `host` (required; admin token) as a
     * new mission and return the new id. Never retried.
     */
    public function restart(string $id, int|string|null $host = null): string
    {
        if ($host === null) {
            throw new BadRequestException('host is required for restart');
        }
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $newId = $ffi->new('char *');
        $this->check($ffi->letts_client_restart($this->handle, (string) $host, $id, FFI::addr($newId), FFI::addr($err)), $err);
        return (string) CStrings::take($newId);
    }

    /**
     * Restart finished mission `$id` on `host` (required; admin token) and
     * return the daemon's whole answer: the new mission's id,
     * `restartedFrom` and `status`. Never retried, as restart().
     */
    public function restartMission(string $id, int|string|null $host = null): RestartResult
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $result = $ffi->new('letts_restart_result *');
        $this->check($ffi->letts_client_restart_mission($this->handle, $host === null ? null : (string) $host, $id, FFI::addr($result), FFI::addr($err)), $err);
        try {
            return Bulk::restartResult($result);
        } finally {
            $ffi->letts_restart_result_free($result);
        }
    }

    /**
     * Restart many missions of `host` (required; admin token) in one request:
     * the `$ids` given, or the missions listMissions() finds for `$filters`
     * (its keys; kind "mission" unless `kind` is given; one page). With
     * `$dryRun` nothing is sent and the result names the selection. A failed
     * id is an item of the result, not an exception. Never retried (every
     * restarted id is a new mission).
     *
     * @param list<string>              $ids
     * @param array<string, mixed>|null $filters
     */
    public function bulkRestart(int|string|null $host = null, array $ids = [], ?array $filters = null, bool $dryRun = false): BulkResult
    {
        return $this->bulk('letts_client_bulk_restart', $host, $ids, $filters, false, $dryRun);
    }

    /**
     * Delete many missions of `host` (required; admin token) in one request,
     * selected as for bulkRestart(); `$force` also deletes running missions.
     * Retried (deleting is idempotent).
     *
     * @param list<string>              $ids
     * @param array<string, mixed>|null $filters
     */
    public function bulkDelete(int|string|null $host = null, array $ids = [], ?array $filters = null, bool $force = false, bool $dryRun = false): BulkResult
    {
        return $this->bulk('letts_client_bulk_delete', $host, $ids, $filters, $force, $dryRun);
    }

    /**
     * @param list<string>              $ids
     * @param array<string, mixed>|null $filters
     */
    private function bulk(string $function, int|string|null $host, array $ids, ?array $filters, bool $force, bool $dryRun): BulkResult
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $options = Bulk::options($ids, $filters, $dryRun, $force);
        $result = $ffi->new('letts_bulk_result *');
        try {
            $this->check($ffi->$function($this->handle, $host === null ? null : (string) $host, $options, FFI::addr($result), FFI::addr($err)), $err);
            return Bulk::result($result);
        } finally {
            $ffi->letts_bulk_result_free($result);
            $ffi->letts_bulk_options_free($options);
        }
    }

    // --- retries and completion (libletts addition)
    //
    // Issue 20 §3/§4 (letts/run.h): a retry policy for the runs of a copy
    // of this client, a completion observer, and GET /v1/version and
    // /v1/metrics.

    /** @var array<string, mixed>|null the withRetry() policy of this copy */
    private ?array $retryPolicy = null;

    /**
     * A copy whose run(), wait(), start(), startWait(), runParallel(),
     * runOnAll() and exec runs retry finished missions as `$policy` says:
     * `outcomes` (list of "lost", "crashed", "oom", "timeout"),
     * `failReasons` (fail reasons of a "failed" outcome to retry),
     * `maxAttempts` (the first attempt included; default 1 = no retry),
     * `backoff` ([baseMs, capMs, multiplier, jitter]; default
     * [1000, 30000, 2.0, 0.5]). Each retry restarts the attempt before
     * (admin token needed), so `restarted_from` chains them;
     * Client::attemptIds() lists them. Never retried: success, killed, a
     * failure not listed. The wait timeout bounds every attempt and pause;
     * a Cancel ends a pause at once. The policy stays with this copy only:
     * make withMatch()/withCancel()/withFailureObserver() copies first.
     *
     * @param array<string, mixed> $policy
     * @throws \InvalidArgumentException for a policy libletts refuses (e.g. outcome "killed")
     */
    public function withRetry(array $policy): self
    {
        $check = Durations::runOptions(0);
        try {
            self::applyRetry($check, $policy);  // libletts refuses with \InvalidArgumentException
        } finally {
            Native::ffi()->letts_run_options_free($check);
        }
        $copy = (new self(self::copyHandle($this->handle), $this->matchOverride, $this->observer, $this->completion))->keeping($this->native);
        $copy->retryPolicy = $policy;
        return $copy;
    }

    /**
     * A copy that calls `$observer(RunResult $result)` with every finished
     * run's result — run(), wait(), a RunHandle's, each runParallel() and
     * runOnAll() job, exec runs — exactly once, after its last attempt,
     * whatever the outcome, during the call. A call that ends without a
     * result (an exception other than MissionFailedException) is not
     * reported. What the observer throws is logged with error_log() and
     * otherwise ignored. Later copies keep it.
     */
    public function withCompletionObserver(\Closure $observer): self
    {
        $ffi = Native::ffi();
        $completion = new CompletionObserver($observer);
        $out = $ffi->new('letts_client *');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_client_with_completion_observer($this->handle, CompletionObserver::trampoline(),
            $completion->userData(), FFI::addr($out), FFI::addr($err)), $err);
        $copy = (new self($out, $this->matchOverride, $this->observer, $completion))->keeping($this->native);
        $copy->retryPolicy = $this->retryPolicy;
        return $copy;
    }

    /**
     * GET /v1/version of `$host`: ['version' => ..., 'commit' => ..., 'built_at' => ...].
     *
     * @return array<string, mixed>
     */
    public function version(int|string $host): array
    {
        $ffi = Native::ffi();
        $out = $ffi->new('char *');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_client_version($this->handle, (string) $host, FFI::addr($out), FFI::addr($err)), $err);
        return (array) json_decode((string) CStrings::take($out), true, 64, JSON_THROW_ON_ERROR);
    }

    /** GET /v1/metrics of `$host`: the Prometheus text as received. */
    public function metrics(int|string $host): string
    {
        $ffi = Native::ffi();
        $out = $ffi->new('char *');
        $len = $ffi->new('size_t');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_client_metrics($this->handle, (string) $host, FFI::addr($out), FFI::addr($len), FFI::addr($err)), $err);
        return (string) CStrings::take($out, (int) $len->cdata);
    }

    /**
     * Every attempt's mission id of a result of this binding's runs, the
     * first one first, each later one restarted from the one before; the
     * last is `$result->missionId`. [] for a RunResult made otherwise
     * (RunResult keeps php-client's exact shape, so this lives here).
     *
     * @return list<string>
     */
    public static function attemptIds(RunResult $result): array
    {
        return Results::extras($result)['attemptIds'];
    }

    /** The lane `$result`'s job was dispatched to ('' when not known: wait()). */
    public static function laneOf(RunResult $result): string
    {
        return Results::extras($result)['lane'];
    }

    /** Puts this copy's withRetry() policy on run options made for it. */
    private function withRetryOn(FFI\CData $options): FFI\CData
    {
        if ($this->retryPolicy !== null) {
            try {
                self::applyRetry($options, $this->retryPolicy);
            } catch (\Throwable $e) {
                Native::ffi()->letts_run_options_free($options);
                throw $e;
            }
        }
        return $options;
    }

    /** @param array<string, mixed> $policy */
    private static function applyRetry(FFI\CData $options, array $policy): void
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        foreach ((array) ($policy['outcomes'] ?? []) as $outcome) {
            Errors::check($ffi->letts_run_options_add_retry_outcome($options, (string) $outcome, FFI::addr($err)), $err);
        }
        foreach ((array) ($policy['failReasons'] ?? []) as $reason) {
            Errors::check($ffi->letts_run_options_add_retry_fail_reason($options, (string) $reason, FFI::addr($err)), $err);
        }
        if (isset($policy['maxAttempts'])) {
            Errors::check($ffi->letts_run_options_set_retry_attempts($options, (int) $policy['maxAttempts'], FFI::addr($err)), $err);
        }
        if (isset($policy['backoff'])) {
            [$base, $cap, $multiplier, $jitter] = array_values((array) $policy['backoff']) + [1000, 30000, 2.0, 0.5];
            Errors::check($ffi->letts_run_options_set_retry_backoff($options, (int) $base, (int) $cap, (float) $multiplier, (float) $jitter, FFI::addr($err)), $err);
        }
    }

    // --- exec (libletts addition)
    // Exec (letts/exec.h): an argv run verbatim on a dugdale, with the exec
    // token (exec_token of the dugdale, else auth.exec_token; a
    // ConfigException names both when neither is set). List, kill, restart
    // and delete execs with listMissions(filters: ['kind' => 'exec']),
    // kill(), restartMission() and delete() (admin token).

    /**
     * Stage the exec's files and dispatch it to `$host` (id or alias) on
     * `$lane`; returns the exec id. `$command` is the argv (no shell),
     * `$script` a local script materialised as script/script, `$in` local
     * files by key ($LETTS_IN_<key>), `$out` the keys of the files the
     * process leaves as $LETTS_OUT_<key>, `$stdin` bytes or `$stdinFile` a
     * local file for its standard input, `$timeout` a Go duration, `$execId`
     * the idempotency key (a UUIDv7; null: a fresh one). Retried like
     * dispatch().
     *
     * @param list<string>          $command
     * @param array<string, string> $in
     * @param list<string>          $out
     */
    public function execDispatch(
        string $host, string $lane, array $command,
        ?string $script = null, array $in = [], array $out = [],
        ?string $stdin = null, ?string $stdinFile = null,
        ?string $timeout = null, ?string $groupId = null, ?string $displayName = null,
        ?string $execId = null,
    ): string {
        $spec = new \Letts\Internal\Client\ExecSpec($host, $lane, $command, $script, $in, $out, $stdin, $stdinFile, $timeout, $groupId, $displayName, $execId);
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $id = $ffi->new('char *');
        $this->check($ffi->letts_client_exec_dispatch($this->handle, $spec->handle, FFI::addr($id), FFI::addr($err)), $err);
        return (string) CStrings::take($id);
    }

    /**
     * execDispatch(), then follow the exec to its end as run() follows a
     * mission: the RunResult has the exit code, the outcome, the logs with
     * `$fetchLogs` and the outputs (download them with execDownloadOutput()
     * or to `$downloadOutputsTo`). A non-zero exit is outcome "failed": a
     * MissionFailedException unless `$throwOnFailure` is false.
     *
     * @param list<string>          $command
     * @param array<string, string> $in
     * @param list<string>          $out
     */
    public function execRun(
        string $host, string $lane, array $command,
        ?string $script = null, array $in = [], array $out = [],
        ?string $stdin = null, ?string $stdinFile = null,
        ?string $timeout = null, ?string $groupId = null, ?string $displayName = null,
        ?string $execId = null,
        ?string $waitTimeout = null, bool $throwOnFailure = true, bool $fetchLogs = false,
        ?string $downloadOutputsTo = null,
    ): RunResult {
        $spec = new \Letts\Internal\Client\ExecSpec($host, $lane, $command, $script, $in, $out, $stdin, $stdinFile, $timeout, $groupId, $displayName, $execId);
        return $this->execFollow($waitTimeout, $throwOnFailure, $fetchLogs, $downloadOutputsTo,
            fn (FFI\CData $options, FFI\CData $result, FFI\CData $err): int
                => Native::ffi()->letts_client_exec_run($this->handle, $spec->handle, $options, FFI::addr($result), FFI::addr($err)));
    }

    /** Follow exec `$id` of `$host`, dispatched earlier, to its end (as execRun() after its dispatch). */
    public function execWait(string $id, string $host, ?string $waitTimeout = null, bool $throwOnFailure = true, bool $fetchLogs = false): RunResult
    {
        return $this->execFollow($waitTimeout, $throwOnFailure, $fetchLogs, null,
            fn (FFI\CData $options, FFI\CData $result, FFI\CData $err): int
                => Native::ffi()->letts_client_exec_wait($this->handle, $host, $id, $options, FFI::addr($result), FFI::addr($err)));
    }

    /** Exec `$id` of `$host` (exec token), or null when the daemon does not know it. */
    public function execGet(string $id, string $host): ?MissionInfo
    {
        $ffi = Native::ffi();
        $info = $ffi->new('letts_mission_info *');
        $err = Native::errorHolder();
        $this->check($ffi->letts_client_exec_get($this->handle, $host, $id, FFI::addr($info), FFI::addr($err)), $err);
        if (FFI::isNull($info)) {
            return null;
        }
        try {
            return Results::missionInfo($info);
        } finally {
            $ffi->letts_mission_info_free($info);
        }
    }

    /** followEvents() for exec `$id` (exec token): its events, decoded, to `$onEvent(array $event)`. */
    public function execFollowEvents(string $id, string $host, \Closure $onEvent, int $from = 0, bool $follow = true): void
    {
        \Letts\Internal\Client\Streams::events($this->handle, $host, $id, $from, $follow, $onEvent, exec: true);
    }

    /** streamOutput() for exec `$id` (exec token): its captured stdout, stderr or combined records, binary-safe. */
    public function execStreamOutput(string $id, string $host, \Closure $onBytes, string $stream = 'stdout', bool $follow = false): void
    {
        \Letts\Internal\Client\Streams::output($this->handle, $host, $id, $stream, $follow, $onBytes, exec: true);
    }

    /** downloadOutput() for the result of execRun()/execWait(): the download uses the exec token. */
    public function execDownloadOutput(RunResult $result, string $key): string
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $handle = $ffi->new('letts_run_result *');
        $json = json_encode([
            'mission_id' => $result->missionId,
            'outcome' => $result->outcome,
            'kind' => 'exec',
            'outputs' => (object) $result->outputFiles,
        ], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
        Errors::check($ffi->letts_run_result_from_json(FFI::addr($handle), $result->host, $json, FFI::addr($err)), $err);
        try {
            $data = $ffi->new('char *');
            $len = $ffi->new('size_t');
            Errors::check($ffi->letts_client_download_output($this->handle, $handle, $key, FFI::addr($data), FFI::addr($len), FFI::addr($err)), $err);
            return (string) CStrings::take($data, (int) $len->cdata);
        } finally {
            $ffi->letts_run_result_free($handle);
        }
    }

    /** @param \Closure(FFI\CData, FFI\CData, FFI\CData): int $call gets the run options, the result holder and the error holder */
    private function execFollow(?string $waitTimeout, bool $throwOnFailure, bool $fetchLogs, ?string $downloadOutputsTo, \Closure $call): RunResult
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $options = $this->withRetryOn(Durations::runOptions(Durations::waitTimeoutMs($waitTimeout)));
        try {
            Errors::check($ffi->letts_run_options_set_failure_as_error($options, $throwOnFailure ? 1 : 0, FFI::addr($err)), $err);
            Errors::check($ffi->letts_run_options_set_fetch_logs($options, $fetchLogs ? 1 : 0, FFI::addr($err)), $err);
            if ($downloadOutputsTo !== null && $downloadOutputsTo !== '') {
                Errors::check($ffi->letts_run_options_set_outputs_folder($options, $downloadOutputsTo, FFI::addr($err)), $err);
            }
            $result = $ffi->new('letts_run_result *');
            return $this->runOutcome($call($options, $result, $err), $result, $err);
        } finally {
            $ffi->letts_run_options_free($options);
        }
    }
    // --- end exec

    /**
     * Delete mission `$id` on `host` (required; admin token); `force` kills a
     * running mission first (without it a running mission is a
     * ConflictException). Retried: deleting is idempotent.
     */
    public function delete(string $id, int|string|null $host = null, bool $force = false): void
    {
        if ($host === null) {
            throw new BadRequestException('host is required for delete');
        }
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $this->check($ffi->letts_client_delete($this->handle, (string) $host, $id, $force ? 1 : 0, FFI::addr($err)), $err);
    }

    /**
     * php-client's raw transport for dugdale `$dugdaleId` (id or alias) with
     * the token of `$scope`: jsonRequest() and head() for routes this class
     * has no method for, sent by libletts' raw request on this client's
     * base URL, proxy, token, timeouts and retry policy (GET and HEAD only).
     * An unknown dugdale or a missing token throws ConfigException at the
     * first request, not here.
     */
    public function rawTransportFor(string $dugdaleId, Scope $scope): HttpTransport
    {
        return new HttpTransport(
            $dugdaleId,
            fn (string $method, string $path, ?string $json, array $headers): RawResponse
                => RawResponse::fetch($this->handle, $dugdaleId, $scope, $method, $path, $json, $headers),
            // Event streams always use the dispatch token, whatever $scope is.
            fn (string $id, int $from, bool $follow, FFI\CData $fn, FFI\CData $err): int
                => Native::ffi()->letts_client_follow_events($this->handle, $dugdaleId, $id, $from, $follow ? 1 : 0, $fn, null, FFI::addr($err)),
        );
    }

    // --- unique dispatch (libletts addition)
    // The mission id derived from a business key and a time window
    // (letts/unique.h, docs/unique-ids.md): any number of processes
    // dispatching one key in one window get one mission.

    /**
     * The unique mission id of `$key` in the window of `$windowMs`
     * milliseconds containing `$atUnixMs` (null: now); `$windowMs` 0 means no
     * window (one id per key for ever, the time is ignored).
     *
     * @throws \InvalidArgumentException for an empty key, a key with a NUL
     *         byte, or a window/time outside 0..2^48-1
     */
    public static function uniqueId(string $key, int $windowMs = 0, ?int $atUnixMs = null): string
    {
        self::checkUniqueKey($key);
        $ffi = Native::ffi();
        $id = $ffi->new('char *');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_unique_id($key, $windowMs, $atUnixMs ?? self::nowMs(), FFI::addr($id), FFI::addr($err)), $err);
        return (string) CStrings::take($id);
    }

    /**
     * dispatch() with the mission id derived from `$uniqueKey` and the window
     * of `$uniqueWindowMs` milliseconds (0: none) containing `$uniqueAtMs`
     * (null: the clock at launch). The first dispatcher creates the mission,
     * the others get the same id back. Another payload under that id throws
     * ConflictException, or returns the existing id when `$conflictIsError`
     * is false.
     *
     * @param list<string>          $match
     * @param array<string, mixed>  $input
     * @param array<string, string> $files
     * @throws LettsException
     */
    public function dispatchUnique(
        string $uniqueKey,
        string $mission,
        ?string $route = null, int|string|null $host = null, array $match = [],
        ?string $lane = null,
        array $input = [],
        array $files = [],
        ?string $timeout = null,
        int $uniqueWindowMs = 0,
        ?int $uniqueAtMs = null,
        bool $conflictIsError = true,
    ): string {
        self::checkUniqueKey($uniqueKey);
        $job = new Job($mission, $route, $host, $match, $lane, $input, $files, $timeout);
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        Errors::check($ffi->letts_job_set_unique($job->handle, $uniqueKey, $uniqueWindowMs, FFI::addr($err)), $err);
        Errors::check($ffi->letts_job_set_unique_at_ms($job->handle, $uniqueAtMs ?? -1, FFI::addr($err)), $err);
        Errors::check($ffi->letts_job_set_unique_conflict_is_error($job->handle, $conflictIsError ? 1 : 0, FFI::addr($err)), $err);
        return Callbacks::observing($this->observer, $host, function () use ($job): string {
            $ffi = Native::ffi();
            $id = $ffi->new('char *');
            $err = Native::errorHolder();
            $this->check($ffi->letts_client_dispatch($this->handle, $job->handle, FFI::addr($id), FFI::addr($err)), $err);
            return (string) CStrings::take($id);
        }, Job::timeoutsAsWritten([$job]));
    }

    /** A C string ends at its first NUL: such a key would silently be another key. */
    private static function checkUniqueKey(string $key): void
    {
        if ($key === '' || str_contains($key, "\0")) {
            throw new \InvalidArgumentException('unique key must be non-empty and without NUL bytes');
        }
    }

    private static function nowMs(): int
    {
        return (int) floor(microtime(true) * 1000);
    }

    // --- staging (libletts addition)
    // The staging store of a dugdale (letts/staging.h): upload, probe,
    // download whole or by range, list, delete, by-content. Files are
    // arrays with the wire's keys: ['staging_id' => string, 'sha256' =>
    // string, 'size' => int].

    /**
     * Upload local file `$path` to `$host` (required) under a new staging id
     * (dispatch token), resuming an interrupted upload, and return its
     * staging_id, sha256 and size.
     *
     * @return array{staging_id: string, sha256: string, size: int}
     * @throws Exceptions\StagingException for a missing, unreadable or empty file
     */
    public function stageFile(string $path, int|string|null $host = null): array
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $file = $ffi->new('letts_staged_file *');
        $this->check($ffi->letts_client_stage_file($this->handle, $host === null ? null : (string) $host, $path, FFI::addr($file), FFI::addr($err)), $err);
        return $this->takeStagedFile($file);
    }

    /**
     * What HEAD says of staging id `$id` on `$host` (required; dispatch
     * token), or null when the dugdale has no such id. `state` is
     * complete, incomplete, deleting, pending_output or committing.
     *
     * @return array{state: string, sha256: string, size: int, bytes_received: int}|null
     */
    public function stagingHead(string $id, int|string|null $host = null): ?array
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $head = $ffi->new('letts_staging_head *');
        $status = $ffi->letts_client_staging_head($this->handle, $host === null ? null : (string) $host, $id, FFI::addr($head), FFI::addr($err));
        if ($status === Errors::NOT_FOUND) {
            $ffi->letts_error_free($err);
            return null;
        }
        $this->check($status, $err);
        try {
            return [
                'state' => (string) Errors::str($ffi->letts_staging_head_state($head)),
                'sha256' => (string) Errors::str($ffi->letts_staging_head_sha256($head)),
                'size' => (int) $ffi->letts_staging_head_size($head),
                'bytes_received' => (int) $ffi->letts_staging_head_bytes_received($head),
            ];
        } finally {
            $ffi->letts_staging_head_free($head);
        }
    }

    /**
     * Download staging file `$id` of `$host` (required; dispatch token) to
     * `$path`: the whole file (verified against its size and sha256), or
     * `$length` bytes from `$offset` (0: to the end). Written through
     * `$path.partial`, which no failure leaves behind.
     *
     * @throws \OutOfBoundsException when the dugdale has no such id
     * @throws Exceptions\StagingException when the download fails or does not verify
     */
    public function downloadStaging(string $id, string $path, int|string|null $host = null, int $offset = 0, int $length = 0): void
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $this->check($ffi->letts_client_staging_download($this->handle, $host === null ? null : (string) $host, $id, $offset, $length, $path, FFI::addr($err)), $err);
    }

    /**
     * The bytes of staging file `$id` of `$host` (or `$length` of them from
     * `$offset`), in memory — for small files and ranges; downloadStaging()
     * streams to disk. Fetched through a temporary file: PHP FFI hands a
     * callback's `const char *` over as a string cut at the first NUL, so
     * binary chunks cannot come through letts_client_staging_read().
     *
     * @throws \OutOfBoundsException when the dugdale has no such id
     * @throws Exceptions\StagingException when the download fails or does not verify
     */
    public function readStaging(string $id, int|string|null $host = null, int $offset = 0, int $length = 0): string
    {
        $dir = sys_get_temp_dir() . '/letts-read-' . bin2hex(random_bytes(8));
        if (!mkdir($dir, 0700)) {
            throw new Exceptions\StagingException("cannot create a temporary folder in " . sys_get_temp_dir());
        }
        try {
            $this->downloadStaging($id, "$dir/body", $host, $offset, $length);
            return (string) file_get_contents("$dir/body");
        } finally {
            @unlink("$dir/body");
            @rmdir($dir);
        }
    }

    /**
     * The staging files mission `$missionId` references on `$host`
     * (required; admin token), newest first: `files` (each with staging_id,
     * state, sha256, size, bytes_received, time_created, time_updated,
     * time_expires, ref_kind, role, as the daemon lists them) and
     * `next_cursor` (null on the last page).
     *
     * @return array{files: list<array<string, mixed>>, next_cursor: ?string}
     */
    public function listStaging(string $missionId, int|string|null $host = null, ?string $refKind = null, int $limit = 0, ?string $cursor = null): array
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $list = $ffi->new('letts_staging_list *');
        $this->check($ffi->letts_client_staging_list($this->handle, $host === null ? null : (string) $host, $missionId, $refKind, $limit, $cursor, FFI::addr($list), FFI::addr($err)), $err);
        try {
            $decoded = json_decode((string) Errors::str($ffi->letts_staging_list_json($list)), true, 16, JSON_THROW_ON_ERROR);
            return ['files' => $decoded['staging'] ?? [], 'next_cursor' => Errors::str($ffi->letts_staging_list_next_cursor($list))];
        } finally {
            $ffi->letts_staging_list_free($list);
        }
    }

    /**
     * Delete staging file `$id` of `$host` (required; admin token); a file
     * a mission references needs `$force`, which deletes those missions too.
     *
     * @throws \OutOfBoundsException when the dugdale has no such id
     * @throws Exceptions\ConflictException when the file is in use and not forced
     */
    public function deleteStaging(string $id, int|string|null $host = null, bool $force = false): void
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $this->check($ffi->letts_client_staging_delete($this->handle, $host === null ? null : (string) $host, $id, $force ? 1 : 0, FFI::addr($err)), $err);
    }

    /**
     * A complete staging file of `$host` (required) with this content, or
     * null when there is none. The route takes an exec or admin token
     * (`$scope`); a dispatch token is refused with AuthException.
     *
     * @return array{staging_id: string, sha256: string, size: int}|null
     */
    public function stagingByContent(string $sha256, int $size, int|string|null $host = null, Scope $scope = Scope::Exec): ?array
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $file = $ffi->new('letts_staged_file *');
        $native = match ($scope) {
            Scope::Dispatch => 1,
            Scope::Admin => 2,
            Scope::Exec => 3,
        };
        $status = $ffi->letts_client_staging_by_content($this->handle, $host === null ? null : (string) $host, $native, $sha256, $size, FFI::addr($file), FFI::addr($err));
        if ($status === Errors::NOT_FOUND) {
            $ffi->letts_error_free($err);
            return null;
        }
        $this->check($status, $err);
        return $this->takeStagedFile($file);
    }

    /** @return array{staging_id: string, sha256: string, size: int} */
    private function takeStagedFile(FFI\CData $file): array
    {
        $ffi = Native::ffi();
        try {
            return [
                'staging_id' => (string) Errors::str($ffi->letts_staged_file_id($file)),
                'sha256' => (string) Errors::str($ffi->letts_staged_file_sha256($file)),
                'size' => (int) $ffi->letts_staged_file_size($file),
            ];
        } finally {
            $ffi->letts_staged_file_free($file);
        }
    }

    /**
     * @param array<string, mixed> $opts
     * @param \Closure(FFI\CData, FFI\CData, FFI\CData): int $make fills in its second argument
     */
    private static function create(array $opts, ?\Closure $observer, \Closure $make): self
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $options = $ffi->new('letts_client_options *');
        Errors::check($ffi->letts_client_options_new(FFI::addr($options), FFI::addr($err)), $err);
        try {
            self::applyOptions($options, $opts);
            $client = $ffi->new('letts_client *');
            Errors::check($make($options, $client, $err), $err);
        } finally {
            $ffi->letts_client_options_free($options);
        }
        try {
            $observed = self::copyHandle($client);
        } finally {
            $ffi->letts_client_free($client);
        }
        return new self($observed, [], $observer);
    }

    /**
     * A new handle of the same client with the binding's observer trampoline
     * installed (every handle has it; the PHP observer, if any, is chosen per
     * call).
     */
    private static function copyHandle(FFI\CData $handle): FFI\CData
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $out = $ffi->new('letts_client *');
        Errors::check($ffi->letts_client_with_failure_observer($handle, Callbacks::observerTrampoline(), null, FFI::addr($out), FFI::addr($err)), $err);
        return $out;
    }

    /** @param array<string, mixed> $opts */
    private static function applyOptions(FFI\CData $options, array $opts): void
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $seconds = static fn(mixed $v): int => (int) round(((float) $v) * 1000);
        if (isset($opts['request_timeout'])) {
            Errors::check($ffi->letts_client_options_set_request_timeout_ms($options, $seconds($opts['request_timeout']), FFI::addr($err)), $err);
        }
        if (isset($opts['connect_timeout'])) {
            Errors::check($ffi->letts_client_options_set_connect_timeout_ms($options, $seconds($opts['connect_timeout']), FFI::addr($err)), $err);
        }
        if (isset($opts['max_connections_per_host'])) {
            Errors::check($ffi->letts_client_options_set_max_connections_per_host($options, (int) $opts['max_connections_per_host'], FFI::addr($err)), $err);
        }
        if (isset($opts['retry_attempts'])) {
            // php-client (and letts.yaml) read values below 1 as 1; libletts refuses them.
            Errors::check($ffi->letts_client_options_set_retry_attempts($options, max(1, (int) $opts['retry_attempts']), FFI::addr($err)), $err);
        }
        if (isset($opts['total_timeout'])) {
            Errors::check($ffi->letts_client_options_set_total_timeout_ms($options, $seconds($opts['total_timeout']), FFI::addr($err)), $err);
        }
        foreach (['retry_backoff', 'reconnect_backoff'] as $key) {
            if (!isset($opts[$key])) {
                continue;
            }
            if (!is_array($opts[$key])) {
                throw new \InvalidArgumentException("$key must be a list of milliseconds, " . get_debug_type($opts[$key]) . ' given');
            }
            $steps = array_values($opts[$key]);
            $n = count($steps);
            $ms = $n > 0 ? $ffi->new("int64_t[$n]") : null;
            foreach ($steps as $i => $step) {
                $ms[$i] = (int) $step;
            }
            $status = $key === 'retry_backoff'
                ? $ffi->letts_client_options_set_retry_backoff($options, $ms, $n, FFI::addr($err))
                : $ffi->letts_client_options_set_reconnect_backoff($options, $ms, $n, FFI::addr($err));
            Errors::check($status, $err);
        }
        if (isset($opts['ignore_proxy'])) {
            Errors::check($ffi->letts_client_options_set_ignore_proxy($options, $opts['ignore_proxy'] ? 1 : 0, FFI::addr($err)), $err);
        }
        if (isset($opts['stream_fresh_connection'])) {
            Errors::check($ffi->letts_client_options_set_stream_fresh_connection($options, $opts['stream_fresh_connection'] ? 1 : 0, FFI::addr($err)), $err);
        }
        if (isset($opts['insecure_config_permissions'])) {
            Errors::check($ffi->letts_client_options_set_insecure_config_permissions($options, $opts['insecure_config_permissions'] ? 1 : 0, FFI::addr($err)), $err);
        }
    }

    private static function refuseHttp(?object $http): void
    {
        if ($http !== null) {
            throw new \InvalidArgumentException('an injected HTTP client is not supported: libletts does its own HTTP (test against Letts\DevServer instead)');
        }
    }

    /**
     * The end of letts_client_run(): the result, or the exception — a
     * MissionFailedException built from the result the error carries.
     */
    private function runOutcome(int $status, FFI\CData $result, FFI\CData $err): RunResult
    {
        $ffi = Native::ffi();
        if ($status === Errors::OK || ($status === Errors::MISSION_FAILED && !FFI::isNull($result))) {
            try {
                $run = Results::runResult($result);
            } finally {
                $ffi->letts_run_result_free($result);
            }
            if ($status === Errors::OK) {
                return $run;
            }
            $ffi->letts_error_free($err);
            throw new MissionFailedException($run->outcome, $run->failReason, $run->failMessage, $run->failDetails, $run);
        }
        $this->check($status, $err);
        throw new \LogicException('unreachable');
    }

    /**
     * Errors::check(), but when the observer was given an exception for this
     * failure, that very object is thrown (as php-client does).
     */
    private function check(int $status, FFI\CData $err): void
    {
        if ($status === Errors::OK) {
            return;
        }
        $e = Errors::take($status, $err);
        throw Callbacks::reported($status) ?? $e;
    }

    /**
     * @param list<Job> $jobs
     * @param \Closure(FFI\CData, FFI\CData, FFI\CData): int $call gets the run options, the results holder and the error holder
     * @return list<HostResult>
     */
    private function fanOut(int $waitMs, array $jobs, \Closure $call): array
    {
        $ffi = Native::ffi();
        $options = $this->withRetryOn(Durations::runOptions($waitMs));
        try {
            return Callbacks::observing($this->observer, null, function () use ($ffi, $call, $options): array {
                $out = $ffi->new('letts_host_results *');
                $err = Native::errorHolder();
                Errors::check($call($options, $out, $err), $err);
                try {
                    return Results::hostResults($out);
                } finally {
                    $ffi->letts_host_results_free($out);
                }
            }, Job::timeoutsAsWritten($jobs));
        } finally {
            $ffi->letts_run_options_free($options);
        }
    }

    /** Keeps the loaded letts.yaml the handle was made from; returns $this. */
    private function keeping(?NativeConfig $native): self
    {
        $this->native = $native;
        return $this;
    }

    private function nativeConfig(): NativeConfig
    {
        // Every constructor keeps it; a missing one is a bug of the binding.
        return $this->native ?? throw new \LogicException('client without its configuration');
    }

    /** @return array<string, mixed> */
    private function config(): array
    {
        if ($this->config === null) {
            $decoded = json_decode((string) Errors::str(Native::ffi()->letts_client_config_json($this->handle)), true);
            $this->config = is_array($decoded) ? $decoded : [];
        }
        return $this->config;
    }
}
