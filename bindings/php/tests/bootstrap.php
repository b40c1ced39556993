<?php
/*
 * PHPUnit bootstrap: the package's plain autoloader plus the test support
 * classes (Letts\Tests\ → tests/). The library is found the way a user's
 * code finds it: meson test sets LIBLETTS_PATH and LIBLETTS_FFI_H.
 */
declare(strict_types=1);

require __DIR__ . '/../autoload.php';

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Letts\\Tests\\')) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 12)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
