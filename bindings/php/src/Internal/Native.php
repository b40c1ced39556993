<?php
declare(strict_types=1);

namespace Letts\Internal;

use FFI;
use Letts\Exceptions\LibraryLoadException;

/**
 * Loads libletts.so and its FFI declarations (letts_ffi.h) once per process.
 *
 * Where it looks, first match wins:
 *  1. a library given to configure() before first use;
 *  2. the LIBLETTS_PATH environment variable: the library file, or a
 *     directory holding libletts.so (the declarations come from
 *     LIBLETTS_FFI_H, else next to the library, its build tree or its
 *     install prefix). When set it is the only candidate: a wrong path is an
 *     error, never a silent fall-back to another copy;
 *  3. the build tree next to this package: <repo>/build (meson setup build);
 *  4. the system: libletts.so.0 through the dynamic loader, with
 *     /usr/local/share/libletts/letts_ffi.h or /usr/share/libletts/letts_ffi.h.
 *
 * The variable is deliberately not named LETTS_*: dugdale refuses to pass
 * such names to missions through mission_env.inherit.
 */
final class Native
{
    public const ENV_LIBRARY = 'LIBLETTS_PATH';
    public const ENV_HEADER = 'LIBLETTS_FFI_H';

    private const SYSTEM_HEADERS = [
        '/usr/local/share/libletts/letts_ffi.h',
        '/usr/share/libletts/letts_ffi.h',
    ];

    private static ?FFI $ffi = null;
    private static ?string $library = null;
    /** @var array{0: string, 1: ?string}|null */
    private static ?array $configured = null;

    public static function ffi(): FFI
    {
        return self::$ffi ??= self::load();
    }

    /**
     * Use this library (and declaration file) instead of searching. Only
     * before the first use: the FFI binding of a process cannot be swapped.
     */
    public static function configure(string $library, ?string $header = null): void
    {
        if (self::$ffi !== null) {
            throw new \LogicException('libletts is already loaded from ' . self::$library . '; configure() must come first');
        }
        self::$configured = [$library, $header];
    }

    /** The library file (or soname) the binding was loaded from, null before loading. */
    public static function loadedLibrary(): ?string
    {
        return self::$library;
    }

    /**
     * The few functions whose `char *` result PHP must not turn into a string
     * by itself, declared with byte pointers instead: PHP converts a returned
     * `char *` with strlen(), which would cut logs at their first NUL byte.
     * Handles from ffi() are passed as `const void *`.
     */
    public static function bytes(): FFI
    {
        static $raw = null;
        return $raw ??= FFI::cdef(
            'typedef unsigned long size_t;'
            . ' const unsigned char *letts_run_result_stdout(const void *result, size_t *len);'
            . ' const unsigned char *letts_run_result_stderr(const void *result, size_t *len);'
            . ' const unsigned char *letts_response_body(const void *response, size_t *len);',
            self::loadedLibraryOrLoad());
    }

    private static function loadedLibraryOrLoad(): string
    {
        self::ffi();
        return (string) self::$library;
    }

    /** A new `letts_error *` holder, NULL, to pass by address as the last argument. */
    public static function errorHolder(): FFI\CData
    {
        return self::ffi()->new('letts_error *');
    }

    /**
     * The candidates in search order, each with where it came from.
     *
     * @return list<array{library: string, header: ?string, source: string}>
     */
    public static function candidates(): array
    {
        if (self::$configured !== null) {
            [$lib, $header] = self::$configured;
            return [['library' => $lib, 'header' => $header ?? self::headerNear($lib), 'source' => 'Native::configure()']];
        }
        $env = getenv(self::ENV_LIBRARY);
        if (is_string($env) && $env !== '') {
            $lib = $env;
            if (is_dir($env)) {
                // A runtime-only install has the soname but no libletts.so link.
                $dir = rtrim($env, '/');
                $lib = is_file("$dir/libletts.so") || !is_file("$dir/libletts.so.0") ? "$dir/libletts.so" : "$dir/libletts.so.0";
            }
            $header = getenv(self::ENV_HEADER);
            $header = is_string($header) && $header !== '' ? $header : self::headerNear($lib);
            return [['library' => $lib, 'header' => $header, 'source' => '$' . self::ENV_LIBRARY]];
        }
        $candidates = [];
        $build = dirname(__DIR__, 4) . '/build';
        $candidates[] = ['library' => $build . '/src/libletts.so', 'header' => $build . '/tools/letts_ffi.h',
                         'source' => 'build tree'];
        $systemHeader = null;
        foreach (self::SYSTEM_HEADERS as $path) {
            if (is_file($path)) {
                $systemHeader = $path;
                break;
            }
        }
        $candidates[] = ['library' => 'libletts.so.0', 'header' => $systemHeader, 'source' => 'system'];
        return $candidates;
    }

    private static function load(): FFI
    {
        if (!extension_loaded('ffi')) {
            throw new LibraryLoadException('the PHP FFI extension is not loaded (Debian ships it in php8.2-common; enable it with extension=ffi)');
        }
        $tried = [];
        foreach (self::candidates() as $c) {
            $what = "{$c['source']}: {$c['library']}";
            $isPath = str_contains($c['library'], '/');
            if ($isPath && !is_file($c['library'])) {
                $tried[] = "$what (no such file)";
                continue;
            }
            if ($c['header'] === null) {
                $tried[] = "$what (no letts_ffi.h found; looked in " . implode(', ', self::SYSTEM_HEADERS) . ')';
                continue;
            }
            $declarations = @file_get_contents($c['header']);
            if ($declarations === false) {
                $tried[] = "$what (cannot read declarations {$c['header']})";
                continue;
            }
            try {
                $ffi = FFI::cdef($declarations, $c['library']);
            } catch (FFI\Exception $e) {
                $tried[] = "$what with {$c['header']} ({$e->getMessage()})";
                continue;
            }
            self::$library = $c['library'];
            return $ffi;
        }
        throw new LibraryLoadException("cannot load libletts; tried:\n  - " . implode("\n  - ", $tried)
            . "\nSet " . self::ENV_LIBRARY . ' to the path of libletts.so (and ' . self::ENV_HEADER
            . ' to letts_ffi.h when it is not next to it, in its build tree or under <prefix>/share/libletts).');
    }

    /** letts_ffi.h beside the library, in its meson build tree, or under its install prefix. */
    private static function headerNear(string $library): ?string
    {
        $dir = dirname($library);
        foreach ([$dir, dirname($dir) . '/tools', dirname($dir) . '/share/libletts', dirname($dir, 2) . '/share/libletts'] as $d) {
            if (is_file("$d/letts_ffi.h")) {
                return "$d/letts_ffi.h";
            }
        }
        foreach (self::SYSTEM_HEADERS as $path) {
            if (is_file($path)) {
                return $path;
            }
        }
        return null;
    }
}
