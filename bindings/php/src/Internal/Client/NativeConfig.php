<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Config\Auth;
use Letts\Config\Config;
use Letts\Config\Defaults;
use Letts\Config\Dugdale;
use Letts\Config\LaneCfg;
use Letts\Config\Route;
use Letts\Config\Runtime;
use Letts\Config\Selector;
use Letts\Config\Template;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * A loaded letts.yaml (letts_config *, owned), and the php-client value
 * objects made from its JSON view (letts_config_json). Each Config made
 * here remembers its NativeConfig, so HostResolver can hand the resolution
 * to the library for it.
 */
final class NativeConfig
{
    /** @var \WeakMap<Config, NativeConfig>|null */
    private static ?\WeakMap $byModel = null;
    /** Weak: the map's entry holds this object while its Config lives, not the reverse. */
    private ?\WeakReference $model = null;

    private function __construct(public readonly FFI\CData $handle) {}

    public function __destruct()
    {
        Native::ffi()->letts_config_free($this->handle);
    }

    /** Takes over `$handle` (a letts_config * the caller must not free). */
    public static function adopt(FFI\CData $handle): self
    {
        return new self($handle);
    }

    /** letts_config_load_file(): the library's rules, the 0600/0400 one included unless `$insecure`. */
    public static function loadFile(string $path, bool $insecure = false): self
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $out = $ffi->new('letts_config *');
        Errors::check($ffi->letts_config_load_file(FFI::addr($out), $path, $insecure ? 1 : 0, FFI::addr($err)), $err);
        return new self($out);
    }

    /** letts_config_load_string(); `$name` stands for the file in messages. */
    public static function loadString(string $yaml, ?string $name = null): self
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $out = $ffi->new('letts_config *');
        Errors::check($ffi->letts_config_load_string(FFI::addr($out), $yaml, strlen($yaml), $name, FFI::addr($err)), $err);
        return new self($out);
    }

    /** letts_config_discover(). */
    public static function discover(bool $insecure = false): self
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $out = $ffi->new('letts_config *');
        Errors::check($ffi->letts_config_discover(FFI::addr($out), $insecure ? 1 : 0, FFI::addr($err)), $err);
        return new self($out);
    }

    /** The NativeConfig a Config was made from, or null (a Config built by hand). */
    public static function of(Config $config): ?self
    {
        return self::$byModel[$config] ?? null;
    }

    public function model(): Config
    {
        $model = $this->model?->get();
        if ($model === null) {
            $d = json_decode((string) Errors::str(Native::ffi()->letts_config_json($this->handle)), true);
            $model = self::build(is_array($d) ? $d : []);
            self::$byModel ??= new \WeakMap();
            self::$byModel[$model] = $this;
            $this->model = \WeakReference::create($model);
        }
        return $model;
    }

    /** @param array<string, mixed> $d the JSON view (letts/config.h describes its shape) */
    private static function build(array $d): Config
    {
        $auth = self::obj($d, 'auth');
        $routes = [];
        foreach (self::obj($d, 'routes') as $name => $r) {
            $routes[(string) $name] = new Route((string) ($r['host'] ?? ''), (string) ($r['lane'] ?? ''));
        }
        $templates = [];
        foreach (self::obj($d, 'templates') as $name => $t) {
            $templates[(string) $name] = new Template(
                missionDir: (string) ($t['mission_dir'] ?? ''),
                runtime: self::runtime(self::obj($t, 'runtime')),
                labels: self::strings($t['labels'] ?? []),
                token: (string) ($t['token'] ?? ''),
                adminToken: (string) ($t['admin_token'] ?? ''),
                execToken: (string) ($t['exec_token'] ?? ''),
                proxy: (string) ($t['proxy'] ?? ''),
                lanes: self::lanes(self::obj($t, 'lanes')),
            );
        }
        return new Config(
            auth: new Auth((string) ($auth['token'] ?? ''), (string) ($auth['admin_token'] ?? ''), (string) ($auth['exec_token'] ?? '')),
            defaults: new Defaults((int) (self::obj($d, 'defaults')['port'] ?? 0)),
            selector: new Selector(self::strings(self::obj($d, 'selector')['match'] ?? [])),
            routes: $routes,
            aliases: array_map('strval', self::obj($d, 'aliases')),
            templates: $templates,
            dugdales: array_map(self::dugdale(...), array_values(is_array($d['dugdales'] ?? null) ? $d['dugdales'] : [])),
        );
    }

    /** @param array<string, mixed> $d one merged dugdale of the JSON view */
    public static function dugdale(array $d): Dugdale
    {
        return new Dugdale(
            id: (string) ($d['id'] ?? ''),
            host: (string) ($d['host'] ?? ''),
            port: (int) ($d['port'] ?? 0),
            url: (string) ($d['url'] ?? ''),
            proxy: (string) ($d['proxy'] ?? ''),
            extends: (string) ($d['extends'] ?? ''),
            missionDir: (string) ($d['mission_dir'] ?? ''),
            runtime: self::runtime(self::obj($d, 'runtime')),
            labels: self::strings($d['labels'] ?? []),
            token: (string) ($d['token'] ?? ''),
            adminToken: (string) ($d['admin_token'] ?? ''),
            execToken: (string) ($d['exec_token'] ?? ''),
            lanes: self::lanes(self::obj($d, 'lanes')),
            // `proxy: null` in the file (no proxy, not even the environment's)
            proxyNullified: array_key_exists('proxy', $d) && $d['proxy'] === null,
        );
    }

    /** @param array<string, mixed> $r */
    private static function runtime(array $r): Runtime
    {
        return new Runtime(
            (string) ($r['mission_path_template'] ?? ''),
            self::strings($r['command_template'] ?? []),
            (bool) ($r['validate_mission_file'] ?? false),
        );
    }

    /**
     * @param array<string, mixed> $lanes
     * @return array<string, LaneCfg>
     */
    private static function lanes(array $lanes): array
    {
        $out = [];
        foreach ($lanes as $name => $lane) {
            $out[(string) $name] = new LaneCfg((int) ($lane['concurrency'] ?? 0), (bool) ($lane['paused'] ?? false));
        }
        return $out;
    }

    /**
     * @param array<string, mixed> $d
     * @return array<string, mixed>
     */
    private static function obj(array $d, string $key): array
    {
        return is_array($d[$key] ?? null) ? $d[$key] : [];
    }

    /** @return list<string> */
    private static function strings(mixed $list): array
    {
        return is_array($list) ? array_values(array_map('strval', $list)) : [];
    }
}
