<?php
declare(strict_types=1);

namespace Letts\Config;

use FFI;
use Letts\Exceptions\ConfigException;
use Letts\Internal\Client\CStrings;
use Letts\Internal\Client\NativeConfig;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * Host names (dugdale ids and aliases, followed through `${VAR}`) and routes
 * to dugdale ids, as every call of the client resolves them: the library
 * does it (letts_target_resolve), on the configuration `$config` was loaded
 * as. Client::getHostResolver() returns the client's.
 */
final class HostResolver
{
    private readonly NativeConfig $native;

    /**
     * `$config` must come from the library (Client::getConfig(),
     * ConfigLoader, ConfigParser); `$env` is accepted for php-client's
     * signature and not consulted: placeholders are read from the process
     * environment when resolving, as the client does.
     *
     * @throws \InvalidArgumentException for a Config built by hand
     */
    public function __construct(Config $config, ?EnvSubstitutor $env = null)
    {
        $this->native = NativeConfig::of($config)
            ?? throw new \InvalidArgumentException('HostResolver needs a Config loaded by the library (Client::getConfig(), ConfigLoader, ConfigParser)');
    }

    /**
     * The dugdale id `$host` stands for: itself when it is one, else its
     * alias followed (placeholders substituted).
     *
     * @throws ConfigException unknown host, alias cycle or chain too deep
     * @throws \Letts\Exceptions\MissingEnvException an alias names an unset variable
     */
    public function resolve(int|string $host): string
    {
        return $this->resolveTarget('letts_target_set_host', (string) $host)[0];
    }

    /**
     * The dugdale id and lane of route `$route`.
     *
     * @return array{host: string, lane: string}
     * @throws ConfigException unknown route or a broken alias chain
     */
    public function resolveRoute(string $route): array
    {
        [$host, $lane] = $this->resolveTarget('letts_target_set_route', $route);
        return ['host' => $host, 'lane' => $lane];
    }

    /** @return array{0: string, 1: string} dugdale id, lane */
    private function resolveTarget(string $setter, string $value): array
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $target = $ffi->new('letts_target *');
        Errors::check($ffi->letts_target_new(FFI::addr($target), FFI::addr($err)), $err);
        $id = $ffi->new('char *');
        $lane = $ffi->new('char *');
        try {
            Errors::check($ffi->$setter($target, $value, FFI::addr($err)), $err);
            if ($setter === 'letts_target_set_host') {
                // A host needs a lane to be a complete target; any valid name does.
                Errors::check($ffi->letts_target_set_lane($target, 'default', FFI::addr($err)), $err);
            }
            Errors::check($ffi->letts_target_resolve($target, $this->native->handle, null, 0, FFI::addr($id), FFI::addr($lane), FFI::addr($err)), $err);
            return [(string) CStrings::take($id), (string) CStrings::take($lane)];
        } finally {
            $ffi->letts_target_free($target);
        }
    }
}
