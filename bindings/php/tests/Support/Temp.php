<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

/** Temporary directories, removed at the end of the test process. */
final class Temp
{
    /** @var list<string> */
    private static array $dirs = [];

    public static function dir(string $prefix): string
    {
        $base = sys_get_temp_dir();
        do {
            $dir = sprintf('%s/%s-%s', $base, $prefix, bin2hex(random_bytes(6)));
        } while (!@mkdir($dir, 0700));
        if (self::$dirs === []) {
            register_shutdown_function(static function (): void {
                foreach (self::$dirs as $d) {
                    self::remove($d);
                }
            });
        }
        self::$dirs[] = $dir;
        return $dir;
    }

    public static function remove(string $path): void
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
                self::remove("$path/$entry");
            }
        }
        @rmdir($path);
    }
}
