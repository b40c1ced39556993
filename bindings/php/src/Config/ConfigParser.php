<?php
declare(strict_types=1);

namespace Letts\Config;

use Letts\Internal\Client\NativeConfig;

/**
 * letts.yaml text to the php-client value objects, by the library
 * (letts_config_load_string): unlike php-client's parser it also merges
 * `extends` and checks every rule, so what it returns is what a client
 * built from the same text uses.
 */
final class ConfigParser
{
    /** @throws \Letts\Exceptions\ConfigException invalid YAML or a broken rule of the format */
    public static function parse(string $yaml): Config
    {
        return NativeConfig::loadString($yaml)->model();
    }
}
