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
    ) {}

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
        return (new self($out, $match, $this->observer))->keeping($this->native);
    }

    /**
     * A copy that calls `$observer(LaunchFailure $failure)` whenever a launch
     * fails (dispatch, tryDispatch, run, runParallel, runOnAll), before the
     * exception is thrown or null returned. The label filter is kept. What the
     * observer throws is logged with error_log() and otherwise ignored.
     */
    public function withFailureObserver(\Closure $observer): self
    {
        return (new self(self::copyHandle($this->handle), $this->matchOverride, $observer))->keeping($this->native);
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
        $options = Durations::runOptions(Durations::waitTimeoutMs($waitTimeout));
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
        $options = Durations::runOptions($waitMs);
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
