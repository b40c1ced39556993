<?php
declare(strict_types=1);

namespace Letts\Config;

use Letts\Internal\Client\NativeConfig;

/**
 * Loading letts.yaml into the php-client value objects, by the library
 * (letts/config.h): strict parsing, `extends` merged, every rule checked at
 * load, the 0600/0400 rule for plain-text tokens included (php-client does
 * not enforce it).
 */
final class ConfigLoader
{
    /** @throws \Letts\Exceptions\ConfigException missing, unreadable or invalid file, unsafe permissions */
    public static function loadFromPath(string $path): Config
    {
        return NativeConfig::loadFile($path)->model();
    }

    /**
     * The file of the discovery cascade ($LETTS_CONFIG, ./letts.yaml,
     * $XDG_CONFIG_HOME/letts/letts.yaml, ~/.letts/letts.yaml,
     * /etc/letts/letts.yaml), loaded. The library reads the process
     * environment: `$envLookup` must agree with it (getenv), else
     * \InvalidArgumentException.
     *
     * @param \Closure(string): ?string $envLookup
     * @throws \Letts\Exceptions\ConfigException
     */
    public static function loadDefault(\Closure $envLookup): Config
    {
        foreach (['LETTS_CONFIG', 'XDG_CONFIG_HOME', 'HOME'] as $name) {
            $process = getenv($name);
            if ($envLookup($name) !== ($process === false ? null : $process)) {
                throw new \InvalidArgumentException("the discovery reads the process environment; \$envLookup('$name') differs from it");
            }
        }
        return NativeConfig::discover()->model();
    }
}
