<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;
use Letts\Result\HostError;
use Letts\Result\HostResult;
use Letts\Result\Logs;
use Letts\Result\MissionInfo;
use Letts\Result\RunResult;

/** The libletts result handles as php-client's value objects. */
final class Results
{
    /** A RunResult from a `const letts_run_result *` (not freed). */
    public static function runResult(FFI\CData $r): RunResult
    {
        $ffi = Native::ffi();
        $exitCode = $ffi->new('int64_t');
        $outputs = [];
        $count = $ffi->letts_run_result_output_count($r);
        for ($i = 0; $i < $count; $i++) {
            $outputs[(string) Errors::str($ffi->letts_run_result_output_role($r, $i))] = [
                'staging_id' => (string) Errors::str($ffi->letts_run_result_output_staging_id($r, $i)),
                'sha256' => (string) Errors::str($ffi->letts_run_result_output_sha256($r, $i)),
                'size' => (int) $ffi->letts_run_result_output_size($r, $i),
            ];
        }
        $run = new RunResult(
            host: (string) Errors::str($ffi->letts_run_result_host($r)),
            missionId: (string) Errors::str($ffi->letts_run_result_mission_id($r)),
            outcome: (string) Errors::str($ffi->letts_run_result_outcome($r)),
            failReason: Errors::str($ffi->letts_run_result_fail_reason($r)),
            failMessage: Errors::str($ffi->letts_run_result_fail_message($r)),
            failDetails: self::object(Errors::str($ffi->letts_run_result_fail_details_json($r))),
            return: self::object(Errors::str($ffi->letts_run_result_return_json($r))),
            exitCode: $ffi->letts_run_result_exit_code($r, FFI::addr($exitCode)) ? (int) $exitCode->cdata : null,
            signal: Errors::str($ffi->letts_run_result_signal($r)),
            durationMs: (int) $ffi->letts_run_result_duration_ms($r),
            logs: new Logs(
                self::bytes($r, 'letts_run_result_stdout'),
                self::bytes($r, 'letts_run_result_stderr'),
                (bool) $ffi->letts_run_result_stdout_truncated($r),
                (bool) $ffi->letts_run_result_stderr_truncated($r),
            ),
            outputFiles: $outputs,
        );
        // RunResult keeps php-client's exact shape: what libletts adds
        // (Client::attemptIds(), Client::laneOf()) lives beside it.
        self::$extras ??= new \WeakMap();
        self::$extras[$run] = ['lane' => (string) Errors::str($ffi->letts_run_result_lane($r)), 'attemptIds' => self::attemptIds($r)];
        return $run;
    }

    /** @var \WeakMap<RunResult, array{lane: string, attemptIds: list<string>}>|null */
    private static ?\WeakMap $extras = null;

    /**
     * The lane and attempt ids libletts gave `$run` (empty for a RunResult
     * not made from a libletts result, e.g. RunResult::fromApiResponse()).
     *
     * @return array{lane: string, attemptIds: list<string>}
     */
    public static function extras(RunResult $run): array
    {
        return self::$extras[$run] ?? ['lane' => '', 'attemptIds' => []];
    }

    /** @return list<string> */
    private static function attemptIds(FFI\CData $r): array
    {
        $ffi = Native::ffi();
        $ids = [];
        $count = $ffi->letts_run_result_attempts($r);
        for ($i = 0; $i < $count; $i++) {
            $ids[] = (string) Errors::str($ffi->letts_run_result_attempt_id($r, $i));
        }
        return $ids;
    }

    /**
     * The HostResults of a `letts_host_results *` (not freed), in job order.
     *
     * @return list<HostResult>
     */
    public static function hostResults(FFI\CData $results): array
    {
        $ffi = Native::ffi();
        $out = [];
        $count = $ffi->letts_host_results_count($results);
        for ($i = 0; $i < $count; $i++) {
            $host = (string) Errors::str($ffi->letts_host_results_host($results, $i));
            $result = $ffi->letts_host_results_result($results, $i);
            if ($result !== null && !FFI::isNull($result)) {
                $out[] = new HostResult($host, self::runResult($result), null);
                continue;
            }
            $status = $ffi->letts_host_results_error_http_status($results, $i);
            $kind = (string) Errors::str($ffi->letts_host_results_error_kind($results, $i));
            $message = (string) Errors::str($ffi->letts_host_results_error_message($results, $i));
            $out[] = new HostResult($host, null, new HostError(
                kind: $kind,
                // A network message keeps "[<dugdale>] …", as NetworkException's does.
                message: $kind === 'network' ? $message : Errors::phpClientMessage(0, $message, $host),
                httpStatus: $status > 0 ? $status : null,
                errorCode: Errors::str($ffi->letts_host_results_error_code($results, $i)),
            ));
        }
        return $out;
    }

    /** A MissionInfo from a `const letts_mission_info *` (not freed). */
    public static function missionInfo(FFI\CData $info): MissionInfo
    {
        $json = (string) Errors::str(Native::ffi()->letts_mission_info_json($info));
        $decoded = json_decode($json, true);
        return MissionInfo::fromApiResponse(is_array($decoded) ? $decoded : []);
    }

    /** @return array<string, mixed>|null */
    private static function object(?string $json): ?array
    {
        if ($json === null) {
            return null;
        }
        $decoded = json_decode($json, true);
        return is_array($decoded) ? $decoded : null;
    }

    /** A captured log, which may hold NUL bytes. */
    private static function bytes(FFI\CData $result, string $getter): string
    {
        $raw = Native::bytes();
        $len = $raw->new('size_t');
        $p = $raw->$getter($result, FFI::addr($len));
        return $p === null || FFI::isNull($p) ? '' : FFI::string($p, (int) $len->cdata);
    }
}
