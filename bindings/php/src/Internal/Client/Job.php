<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * A letts_job built from the arguments of dispatch()/run() or one entry of
 * runParallel(); freed with this object. Addressing mistakes (route with
 * host, no lane, …) are not checked here: libletts checks them at launch, so
 * that a fan-out reports them per job as php-client does.
 */
final class Job
{
    public readonly FFI\CData $handle;
    /** The timeout as the caller wrote it (reported back in a LaunchFailure). */
    public readonly ?string $timeout;
    /** The timeout as libletts sends it and reports it ("1500ms"), null when none is sent. */
    public readonly ?string $wireTimeout;

    /**
     * @param list<string>          $match
     * @param array<string, mixed>  $input
     * @param array<string, string> $files role => local path
     */
    public function __construct(
        string $mission,
        ?string $route = null,
        int|string|null $host = null,
        array $match = [],
        ?string $lane = null,
        array $input = [],
        array $files = [],
        ?string $timeout = null,
        ?string $missionId = null,
    ) {
        $ffi = Native::ffi();
        $this->timeout = $timeout;
        // php-client sends the text as written and the daemon validates it;
        // libletts takes milliseconds, so the text is converted (and an
        // invalid one refused) here, before anything is sent.
        $timeoutMs = $timeout === null || $timeout === '' ? 0 : Durations::timeoutMs($timeout);
        $this->wireTimeout = $timeoutMs === 0 ? null : $timeoutMs . 'ms';
        $job = $ffi->new('letts_job *');
        $err = Native::errorHolder();
        Errors::check($ffi->letts_job_new(FFI::addr($job), $mission, FFI::addr($err)), $err);
        try {
            if ($route !== null && $route !== '') {
                Errors::check($ffi->letts_job_set_route($job, $route, FFI::addr($err)), $err);
            }
            if ($host !== null && $host !== '') {
                Errors::check($ffi->letts_job_set_host($job, (string) $host, FFI::addr($err)), $err);
            }
            if ($lane !== null && $lane !== '') {
                Errors::check($ffi->letts_job_set_lane($job, $lane, FFI::addr($err)), $err);
            }
            if ($match !== []) {
                $labels = CStrings::array($match);
                Errors::check($ffi->letts_job_set_match($job, $labels->pointers(), $labels->count(), FFI::addr($err)), $err);
            }
            if ($input !== []) {
                if (array_is_list($input)) {
                    throw new \InvalidArgumentException('input must be an associative array (a JSON object), not a list');
                }
                Errors::check($ffi->letts_job_set_input_json($job, self::json($input, 'input'), FFI::addr($err)), $err);
            }
            foreach ($files as $role => $path) {
                if (!is_string($path)) {
                    throw new \InvalidArgumentException(sprintf('files["%s"] must be a local path (string), %s given', $role, get_debug_type($path)));
                }
                Errors::check($ffi->letts_job_add_file($job, (string) $role, $path, FFI::addr($err)), $err);
            }
            if ($timeoutMs !== 0) {
                Errors::check($ffi->letts_job_set_timeout_ms($job, $timeoutMs, FFI::addr($err)), $err);
            }
            if ($missionId !== null) {
                Errors::check($ffi->letts_job_set_mission_id($job, $missionId, FFI::addr($err)), $err);
            }
        } catch (\Throwable $e) {
            // No destructor runs for an object whose constructor threw.
            $ffi->letts_job_free($job);
            throw $e;
        }
        $this->handle = $job;
    }

    /**
     * One entry of runParallel(): the addressing keys, mission, input, files
     * and timeout; other keys are ignored, as in php-client.
     *
     * @param array<string, mixed> $spec
     */
    public static function fromArray(array $spec, int $index): self
    {
        $mission = $spec['mission'] ?? null;
        if (!is_string($mission) || $mission === '') {
            throw new \InvalidArgumentException("runParallel: job #$index has no mission");
        }
        foreach (['match', 'input', 'files'] as $key) {
            if (isset($spec[$key]) && !is_array($spec[$key])) {
                throw new \InvalidArgumentException("runParallel: job #$index: '$key' must be an array, " . get_debug_type($spec[$key]) . ' given');
            }
        }
        $host = $spec['host'] ?? null;
        return new self(
            mission: $mission,
            route: isset($spec['route']) ? (string) $spec['route'] : null,
            host: is_int($host) || is_string($host) ? $host : null,
            match: array_values(array_map('strval', $spec['match'] ?? [])),
            lane: isset($spec['lane']) ? (string) $spec['lane'] : null,
            input: $spec['input'] ?? [],
            files: $spec['files'] ?? [],
            timeout: isset($spec['timeout']) ? (string) $spec['timeout'] : null,
        );
    }

    /**
     * For Callbacks::observing(): the timeout each of `$jobs` was written
     * with, keyed by the text libletts reports in a launch failure, so the
     * observer sees "5s" as php-client's does, not "5000ms". The key "" (no
     * timeout sent, e.g. for "0s") only for a single job, where it cannot
     * be confused with another job's.
     *
     * @param list<self> $jobs
     * @return array<string, string>
     */
    public static function timeoutsAsWritten(array $jobs): array
    {
        $map = [];
        foreach ($jobs as $job) {
            if ($job->timeout !== null && ($job->wireTimeout !== null || count($jobs) === 1)) {
                $map[$job->wireTimeout ?? ''] ??= $job->timeout;
            }
        }
        return $map;
    }

    /** @param array<mixed> $value */
    private static function json(array $value, string $what): string
    {
        try {
            return json_encode($value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
        } catch (\JsonException $e) {
            throw new \InvalidArgumentException("$what cannot be encoded as JSON: " . $e->getMessage(), 0, $e);
        }
    }

    public function __destruct()
    {
        Native::ffi()->letts_job_free($this->handle);
    }
}
