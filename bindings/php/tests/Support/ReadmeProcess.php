<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

/**
 * Child processes of the README examples test (examples/php/readme): runs
 * one to its end, or reads a long-running one's pipes, always within a
 * deadline (stream_set_timeout() does not apply to pipes).
 */
final class ReadmeProcess
{
    /**
     * Runs `$cmd` to its end and returns its exit status and output.
     *
     * @param list<string>          $cmd
     * @param array<string, string> $env the child's whole environment
     */
    public static function run(array $cmd, array $env, string $cwd, ?string $stdin = null, float $seconds = 30.0): Proc
    {
        $process = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $cwd, $env);
        if ($process === false) {
            throw new \RuntimeException('cannot start ' . implode(' ', $cmd));
        }
        if ($stdin !== null) {
            fwrite($pipes[0], $stdin);
        }
        fclose($pipes[0]);
        try {
            $out = self::read([1 => $pipes[1], 2 => $pipes[2]], $seconds);
        } catch (\RuntimeException $e) {
            proc_terminate($process, 9);
            proc_close($process);
            throw new \RuntimeException(implode(' ', $cmd) . ': ' . $e->getMessage(), 0, $e);
        }
        return new Proc(proc_close($process), $out[1], $out[2]);
    }

    /**
     * Reads the pipes (fd => stream) until every one is at end of file
     * (and closed then), or until `$until` accepts what was read so far
     * (the others stay open).
     *
     * @param array<int, resource>                   $pipes
     * @param ?\Closure(array<int, string>): bool    $until
     * @return array<int, string> fd => what was read
     * @throws \RuntimeException when the deadline passes first
     */
    public static function read(array $pipes, float $seconds, ?\Closure $until = null): array
    {
        $out = array_fill_keys(array_keys($pipes), '');
        foreach ($pipes as $pipe) {
            stream_set_blocking($pipe, false);
        }
        $deadline = microtime(true) + $seconds;
        while ($pipes !== [] && ($until === null || !$until($out))) {
            $left = $deadline - microtime(true);
            if ($left <= 0) {
                throw new \RuntimeException(sprintf("no end within %.0f s; read so far:\n%s", $seconds, implode("\n---\n", $out)));
            }
            $read = array_values($pipes);
            $write = $except = null;
            if (@stream_select($read, $write, $except, (int) $left, (int) (($left - (int) $left) * 1e6)) === false) {
                continue;
            }
            foreach ($read as $pipe) {
                $fd = array_search($pipe, $pipes, true);
                $chunk = fread($pipe, 65536);
                if (is_string($chunk) && $chunk !== '') {
                    $out[$fd] .= $chunk;
                } elseif (feof($pipe)) {
                    fclose($pipe);
                    unset($pipes[$fd]);
                }
            }
        }
        return $out;
    }
}
