<?php
declare(strict_types=1);

namespace Letts;

use FFI;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * A letts-devserver for tests: a dugdale-compatible server (same HTTP API,
 * real mission processes) running inside this PHP process through libletts
 * (start()) or as a child process (startBinary()).
 *
 * Without a configuration it listens on 127.0.0.1 on a free port, keeps its
 * files in a temporary data directory (removed on stop), has one dispatch and
 * one admin token, lane "default" and a runtime that executes
 * <missionDir>/<mission> directly. With a dugdale.yaml it behaves like the
 * daemon configured by that file, with nothing applied yet (see apply()).
 *
 * Missions it starts get the scratch environment of a dugdale mission; list
 * LIBLETTS_PATH (and LD_PRELOAD for sanitizer builds) under
 * mission_env.inherit so that PHP missions find libletts the same way as the
 * test does.
 */
final class DevServer
{
    /** What a PHP mission needs from the test's environment to load libletts. */
    public const PHP_MISSION_ENV = ['LIBLETTS_PATH', 'LIBLETTS_FFI_H', 'LD_PRELOAD', 'ASAN_OPTIONS', 'UBSAN_OPTIONS'];

    private bool $stopped = false;
    private ?string $ownedDataDir = null;
    private ?string $phpMissionDir = null;

    /** @param resource|null $process */
    private function __construct(
        private readonly string $url,
        private readonly int $port,
        private readonly string $dispatchToken,
        private readonly string $adminToken,
        private readonly string $dataDir,
        private readonly string $clientConfig,
        private readonly ?string $missionDir,
        private readonly ?FFI\CData $handle,
        private $process = null,
    ) {}

    /**
     * Start an embedded devserver. `$config` is the text of a dugdale.yaml,
     * `$configFile` the path of one (at most one of the two); `$port` 0 picks
     * a free port; `$missionDir` is the mission directory of the default
     * runtime (the current directory when null; unused with a config).
     */
    public static function start(?string $missionDir = null, ?string $config = null, ?string $configFile = null,
                                 int $port = 0): self
    {
        if ($config !== null && $configFile !== null) {
            throw new \InvalidArgumentException('DevServer::start(): give $config or $configFile, not both');
        }
        $ffi = Native::ffi();
        $opts = $ffi->new('letts_devserver_options *');
        $holder = Native::errorHolder();
        Errors::check($ffi->letts_devserver_options_new(FFI::addr($opts), FFI::addr($holder)), $holder);
        try {
            if ($missionDir !== null) {
                Errors::check($ffi->letts_devserver_options_set_mission_dir($opts, $missionDir, FFI::addr($holder)), $holder);
            }
            if ($config !== null) {
                Errors::check($ffi->letts_devserver_options_set_config_yaml($opts, $config, FFI::addr($holder)), $holder);
            }
            if ($configFile !== null) {
                Errors::check($ffi->letts_devserver_options_set_config_file($opts, $configFile, FFI::addr($holder)), $holder);
            }
            Errors::check($ffi->letts_devserver_options_set_port($opts, $port, FFI::addr($holder)), $holder);
            $srv = $ffi->new('letts_devserver *');
            Errors::check($ffi->letts_devserver_start(FFI::addr($srv), $opts, FFI::addr($holder)), $holder);
        } finally {
            $ffi->letts_devserver_options_free($opts);
        }
        return new self(
            url: (string) Errors::str($ffi->letts_devserver_url($srv)),
            port: $ffi->letts_devserver_port($srv),
            dispatchToken: (string) Errors::str($ffi->letts_devserver_dispatch_token($srv)),
            adminToken: (string) Errors::str($ffi->letts_devserver_admin_token($srv)),
            dataDir: (string) Errors::str($ffi->letts_devserver_data_dir($srv)),
            clientConfig: (string) Errors::str($ffi->letts_devserver_client_config($srv)),
            missionDir: $config === null && $configFile === null ? ($missionDir ?? (getcwd() ?: null)) : null,
            handle: $srv,
        );
    }

    /**
     * Start an embedded devserver that runs the PHP missions of `$missionDir`
     * (mission "report" is <missionDir>/report.php, run by this PHP binary),
     * passing the variables of PHP_MISSION_ENV on to them so that they load
     * the same libletts as the caller. Fresh tokens, a temporary data
     * directory (removed on stop) and the given lanes.
     *
     * @param array<string, array<string, mixed>> $lanes name => lane settings, as in an apply
     * @param string $killGrace how long a killed mission has between SIGTERM and SIGKILL (a Go duration)
     */
    public static function startPhp(string $missionDir, array $lanes = ['default' => ['concurrency' => 4]],
                                    string $killGrace = '5s'): self
    {
        $dir = realpath($missionDir);
        if ($dir === false || !is_dir($dir)) {
            throw new \InvalidArgumentException("DevServer::startPhp(): no mission directory $missionDir");
        }
        $data = rtrim(sys_get_temp_dir(), '/') . '/letts-devserver-php-' . bin2hex(random_bytes(6));
        if (!mkdir($data, 0700)) {
            throw new \RuntimeException("cannot create $data");
        }
        $yaml = sprintf("listen: 127.0.0.1:0\ndata_dir: %s\nauth:\n  tokens: [%s]\nadmin:\n  tokens: [%s]\n"
            . "limits:\n  default_kill_grace: %s\nmission_env:\n  inherit: [%s]\n",
            json_encode($data, JSON_UNESCAPED_SLASHES), 'dsp-' . bin2hex(random_bytes(16)), 'adm-' . bin2hex(random_bytes(16)),
            json_encode($killGrace), implode(', ', self::PHP_MISSION_ENV));
        try {
            $srv = self::start(config: $yaml);
        } catch (\Throwable $e) {
            self::removeTree($data);
            throw $e;
        }
        $srv->ownedDataDir = $data;
        $srv->phpMissionDir = $dir;
        $srv->apply([
            'mission_dir' => $dir,
            'lanes' => (object) $lanes,
            'runtime' => [
                'mission_path_template' => '{mission}.php',
                'command_template' => [PHP_BINARY, '{mission_path}'],
                'validate_mission_file' => true,
            ],
        ]);
        return $srv;
    }

    /**
     * Start the letts-devserver program as a child process (same options as
     * start(), the configuration as a file). `$binary` defaults to
     * letts-devserver next to the loaded libletts.so's build tree, then PATH.
     * Waits up to `$timeoutSeconds` for it to report its address.
     */
    public static function startBinary(?string $missionDir = null, ?string $configFile = null, int $port = 0,
                                       ?string $binary = null, float $timeoutSeconds = 10.0): self
    {
        $binary ??= self::findBinary();
        $cmd = [$binary, '--port', (string) $port];
        if ($missionDir !== null) {
            $cmd[] = '--mission-dir';
            $cmd[] = $missionDir;
        }
        if ($configFile !== null) {
            $cmd[] = '--config';
            $cmd[] = $configFile;
        }
        $process = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        if ($process === false) {
            throw new \RuntimeException("cannot start $binary");
        }
        // The banner (address, data directory, client letts.yaml) is written
        // with one flush: read until it is complete or the program ends.
        $deadline = microtime(true) + $timeoutSeconds;
        $out = '';
        $err = '';
        stream_set_blocking($pipes[1], false);
        stream_set_blocking($pipes[2], false);
        while (!self::bannerComplete($out)) {
            $left = $deadline - microtime(true);
            $status = proc_get_status($process);
            if ($left <= 0 || !$status['running']) {
                $err .= (string) stream_get_contents($pipes[2]);
                proc_terminate($process, 9);
                proc_close($process);
                throw new \RuntimeException(sprintf('%s did not start (%s): %s', $binary,
                    $status['running'] ? 'no address within ' . $timeoutSeconds . ' s' : 'exit status ' . $status['exitcode'],
                    trim($err . $out)));
            }
            $read = [$pipes[1], $pipes[2]];
            $write = $except = null;
            if (@stream_select($read, $write, $except, 0, (int) min(200000, $left * 1e6)) > 0) {
                foreach ($read as $r) {
                    $chunk = (string) fread($r, 65536);
                    $r === $pipes[1] ? $out .= $chunk : $err .= $chunk;
                }
            }
        }
        preg_match('/listening on (\S+)/', $out, $url);
        preg_match('/^data_dir: (.*)$/m', $out, $dataDir);
        $config = substr($out, (int) strpos($out, "\n\n") + 2);
        $srv = new self(
            url: $url[1],
            port: (int) parse_url($url[1], PHP_URL_PORT),
            dispatchToken: self::yamlValue($config, 'token'),
            adminToken: self::yamlValue($config, 'admin_token'),
            dataDir: $dataDir[1],
            clientConfig: $config,
            missionDir: $configFile === null ? ($missionDir ?? (getcwd() ?: null)) : null,
            handle: null,
            process: $process,
        );
        fclose($pipes[1]);
        fclose($pipes[2]);
        return $srv;
    }

    public function url(): string
    {
        return $this->url;
    }

    public function port(): int
    {
        return $this->port;
    }

    /** The first dispatch token ('' when the configuration has none). */
    public function dispatchToken(): string
    {
        return $this->dispatchToken;
    }

    /** The first admin token ('' when the configuration has none). */
    public function adminToken(): string
    {
        return $this->adminToken;
    }

    public function dataDir(): string
    {
        return $this->dataDir;
    }

    /** The mission directory of the default runtime or of startPhp(); null when started with a configuration. */
    public function missionDir(): ?string
    {
        return $this->phpMissionDir ?? $this->missionDir;
    }

    /** A letts.yaml naming this server (dugdale id "devserver"), its tokens and lanes. */
    public function clientConfig(): string
    {
        return $this->clientConfig;
    }

    /**
     * A Client for this server, ready to use: its dugdale is "devserver"
     * (lanes as the server has them), with this server's tokens.
     *
     * @param array<string, mixed> $opts Client::fromConfig() options
     */
    public function client(array $opts = [], ?\Closure $onLaunchFailure = null): Client
    {
        $path = tempnam(sys_get_temp_dir(), 'letts-devserver-client-');
        if ($path === false) {
            throw new \RuntimeException('cannot create a temporary letts.yaml in ' . sys_get_temp_dir());
        }
        try {
            // The file holds plain-text tokens: 0600, as letts.yaml requires.
            chmod($path, 0600);
            if (file_put_contents($path, $this->clientConfig) !== strlen($this->clientConfig)) {
                throw new \RuntimeException("cannot write $path");
            }
            // The client keeps the configuration it loaded; the file can go.
            return Client::fromConfig($path, $opts, onLaunchFailure: $onLaunchFailure);
        } finally {
            @unlink($path);
        }
    }

    /**
     * POST /v1/admin/apply with the admin token: lanes, mission_dir and
     * runtime, as an operator's letts.yaml would push them.
     *
     * @param array<string, mixed> $state
     * @return array<string, mixed> the daemon's answer
     */
    public function apply(array $state): array
    {
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => "Authorization: Bearer {$this->adminToken}\r\nContent-Type: application/json\r\n",
            'content' => json_encode($state, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES),
            'ignore_errors' => true,
            'timeout' => 30,
        ]]);
        $body = @file_get_contents($this->url . '/v1/admin/apply', false, $context);
        $statusLine = $http_response_header[0] ?? '';
        if ($body === false || !preg_match('/^HTTP\/\S+ 200\b/', $statusLine)) {
            throw new \RuntimeException("apply to {$this->url} failed: " . ($statusLine ?: 'no response') . ' ' . ($body ?: ''));
        }
        return (array) json_decode($body, true);
    }

    /**
     * Stop: new work is refused, running missions are killed and reaped.
     * Idempotent; the accessors stay usable.
     */
    public function stop(): void
    {
        if ($this->stopped) {
            return;
        }
        $this->stopped = true;
        if ($this->handle !== null) {
            Native::ffi()->letts_devserver_free($this->handle);
        }
        if (is_resource($this->process)) {
            proc_terminate($this->process, 15);
            proc_close($this->process);
        }
        if ($this->ownedDataDir !== null) {
            self::removeTree($this->ownedDataDir);
        }
    }

    /** Removes a directory tree; materialized inputs are read-only, so permissions are restored first. */
    private static function removeTree(string $path): void
    {
        if (is_link($path) || is_file($path)) {
            @unlink($path);
            return;
        }
        if (!is_dir($path)) {
            return;
        }
        @chmod($path, 0700);
        foreach (scandir($path) ?: [] as $entry) {
            if ($entry !== '.' && $entry !== '..') {
                self::removeTree("$path/$entry");
            }
        }
        @rmdir($path);
    }

    public function __destruct()
    {
        $this->stop();
    }

    private static function bannerComplete(string $out): bool
    {
        // One fflush() of a few hundred bytes: a single, atomic pipe write.
        return str_contains($out, "\ndugdales:\n") && str_ends_with($out, "\n");
    }

    private static function yamlValue(string $yaml, string $key): string
    {
        if (!preg_match('/^\s+' . preg_quote($key, '/') . ': "((?:[^"\\\\]|\\\\.)*)"$/m', $yaml, $m)) {
            return '';
        }
        return stripcslashes($m[1]);
    }

    private static function findBinary(): string
    {
        Native::ffi();
        $lib = Native::loadedLibrary();
        if ($lib !== null && str_contains($lib, '/')) {
            $candidate = dirname($lib) . '/letts-devserver';
            if (is_file($candidate) && is_executable($candidate)) {
                return $candidate;
            }
        }
        foreach (explode(':', (string) getenv('PATH')) as $dir) {
            if ($dir !== '' && is_executable("$dir/letts-devserver")) {
                return "$dir/letts-devserver";
            }
        }
        throw new \RuntimeException('letts-devserver not found next to ' . ($lib ?? 'libletts') . ' nor in PATH');
    }
}
