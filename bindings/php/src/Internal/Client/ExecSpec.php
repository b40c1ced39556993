<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * A letts_exec_spec (letts/exec.h) built from Client::execDispatch()'s and
 * execRun()'s named arguments; freed with this object.
 */
final class ExecSpec
{
    public readonly FFI\CData $handle;

    /**
     * @param list<string>          $command the argv
     * @param array<string, string> $in      key => local path
     * @param list<string>          $out     declared output keys
     */
    public function __construct(
        string $host, string $lane, array $command,
        ?string $script, array $in, array $out,
        ?string $stdin, ?string $stdinFile,
        ?string $timeout, ?string $groupId, ?string $displayName, ?string $execId,
    ) {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $spec = $ffi->new('letts_exec_spec *');
        Errors::check($ffi->letts_exec_spec_new(FFI::addr($spec), FFI::addr($err)), $err);
        try {
            $set = static function (string $fn, ?string $value) use ($ffi, $spec, $err): void {
                if ($value !== null && $value !== '') {
                    Errors::check($ffi->$fn($spec, $value, FFI::addr($err)), $err);
                }
            };
            $set('letts_exec_spec_set_host', $host);
            $set('letts_exec_spec_set_lane', $lane);
            $argv = CStrings::array(array_values($command));
            Errors::check($ffi->letts_exec_spec_set_command($spec, $argv->pointers(), $argv->count(), FFI::addr($err)), $err);
            $set('letts_exec_spec_set_script_file', $script);
            foreach ($in as $key => $path) {
                Errors::check($ffi->letts_exec_spec_add_input_file($spec, (string) $key, $path, FFI::addr($err)), $err);
            }
            foreach ($out as $key) {
                Errors::check($ffi->letts_exec_spec_add_output($spec, $key, FFI::addr($err)), $err);
            }
            if ($stdin !== null && $stdin !== '') {
                Errors::check($ffi->letts_exec_spec_set_stdin($spec, $stdin, strlen($stdin), FFI::addr($err)), $err);
            }
            $set('letts_exec_spec_set_stdin_file', $stdinFile);
            if ($timeout !== null && $timeout !== '') {
                Errors::check($ffi->letts_exec_spec_set_timeout_ms($spec, Durations::timeoutMs($timeout), FFI::addr($err)), $err);
            }
            $set('letts_exec_spec_set_group_id', $groupId);
            $set('letts_exec_spec_set_display_name', $displayName);
            $set('letts_exec_spec_set_exec_id', $execId);
        } catch (\Throwable $e) {
            // No destructor runs for an object whose constructor threw.
            $ffi->letts_exec_spec_free($spec);
            throw $e;
        }
        $this->handle = $spec;
    }

    public function __destruct()
    {
        Native::ffi()->letts_exec_spec_free($this->handle);
    }
}
