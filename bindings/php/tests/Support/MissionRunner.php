<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

/**
 * Runs PHP mission scripts in child processes: standalone (a shell-like
 * environment) or "under dugdale" the way mission-protocol.md §1 starts a
 * mission — scratch environment, LETTS_* variables, input on stdin and
 * fd 3 open on a file the test reads back.
 */
final class MissionRunner
{
    /** Variables a child needs to find (and, in sanitizer builds, load) libletts. */
    public const PASS_THROUGH = \Letts\DevServer::PHP_MISSION_ENV;

    private string $dir;

    public function __construct()
    {
        $this->dir = Temp::dir('letts-php-mission');
    }

    public function dir(): string
    {
        return $this->dir;
    }

    /** A mission script: `$body` runs after the autoloader with `use Letts\Mission;` in scope. */
    public function script(string $body, string $name = 'mission.php'): string
    {
        $autoload = var_export(realpath(__DIR__ . '/../../autoload.php'), true);
        $path = "{$this->dir}/$name";
        file_put_contents($path, "<?php\ndeclare(strict_types=1);\nrequire $autoload;\nuse Letts\\Mission;\n$body\n");
        return $path;
    }

    /** @return array<string, string> the environment a standalone run gets */
    public static function baseEnv(): array
    {
        $env = ['PATH' => '/usr/local/bin:/usr/bin:/bin', 'HOME' => (string) getenv('HOME'), 'TZ' => 'UTC'];
        foreach (self::PASS_THROUGH as $name) {
            $value = getenv($name);
            if (is_string($value) && $value !== '') {
                $env[$name] = $value;
            }
        }
        return $env;
    }

    /**
     * Run `$script` standalone with these arguments.
     *
     * @param list<string> $args
     * @param array<string, string> $env added to baseEnv()
     */
    public function standalone(string $script, array $args = [], ?string $stdin = null, array $env = [],
                               ?string $cwd = null, array $phpOptions = []): Proc
    {
        return $this->run([PHP_BINARY, ...$phpOptions, $script, ...$args], array_merge(self::baseEnv(), $env), $stdin, $cwd ?? $this->dir, null);
    }

    /**
     * Run `$script` as dugdale would: LETTS_* variables, the input on stdin,
     * fd 3 on a file. Returns the process with its decoded events.
     *
     * @param array<string, string> $env added after the LETTS_* variables
     * @param ?\Closure(resource): void $whileRunning runs while the mission does, given its process
     */
    public function underDugdale(string $script, string $input = 'null', array $env = [], array $phpOptions = [],
                                 ?\Closure $whileRunning = null): Proc
    {
        $work = "{$this->dir}/work";
        @mkdir("$work/tmp", 0777, true);
        $fd3 = "{$this->dir}/fd3.ndjson";
        $letts = [
            'LETTS_MISSION_ID' => '0190d6c2-8c4e-7c3a-9f3e-3b8f2a6d4e11',
            'LETTS_KIND' => 'mission',
            'LETTS_LANE' => 'default',
            'LETTS_WORKDIR' => $work,
            'LETTS_TMPDIR' => "$work/tmp",
        ];
        return $this->run([PHP_BINARY, ...$phpOptions, $script], array_merge(self::baseEnv(), $letts, $env), $input, $work, $fd3,
            $whileRunning);
    }

    /**
     * @param list<string> $cmd
     * @param array<string, string> $env
     */
    private function run(array $cmd, array $env, ?string $stdin, string $cwd, ?string $fd3,
                         ?\Closure $whileRunning = null): Proc
    {
        $spec = [0 => ['pipe', 'r'], 1 => ['file', "{$this->dir}/stdout", 'w'], 2 => ['file', "{$this->dir}/stderr", 'w']];
        if ($fd3 !== null) {
            $spec[3] = ['file', $fd3, 'w'];
        }
        $process = proc_open($cmd, $spec, $pipes, $cwd, $env);
        if ($process === false) {
            throw new \RuntimeException('cannot start ' . implode(' ', $cmd));
        }
        if ($stdin !== null) {
            fwrite($pipes[0], $stdin);
        }
        fclose($pipes[0]);
        if ($whileRunning !== null) {
            $whileRunning($process);
        }
        $exit = self::wait($process);
        $raw = $fd3 !== null ? (string) file_get_contents($fd3) : '';
        $events = [];
        foreach (explode("\n", $raw) as $line) {
            if ($line !== '') {
                $events[] = (array) json_decode($line, true, 512, JSON_THROW_ON_ERROR);
            }
        }
        return new Proc($exit, (string) file_get_contents("{$this->dir}/stdout"),
            (string) file_get_contents("{$this->dir}/stderr"), $events, $raw);
    }

    /** Waits (with a deadline) for the process to end; returns its exit status (128+n for signal n). */
    private static function wait($process, float $seconds = 60.0): int
    {
        $deadline = microtime(true) + $seconds;
        for (;;) {
            $status = proc_get_status($process);
            if (!$status['running']) {
                proc_close($process);
                return $status['signaled'] ? 128 + $status['termsig'] : $status['exitcode'];
            }
            if (microtime(true) > $deadline) {
                proc_terminate($process, 9);
                proc_close($process);
                throw new \RuntimeException("mission did not end within $seconds s");
            }
            usleep(5000);
        }
    }
}
