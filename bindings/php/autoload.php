<?php
/*
 * Autoloader for use without Composer (e.g. Debian's php-cli alone):
 *
 *     require '/path/to/bindings/php/autoload.php';
 *
 * It maps Letts\ to src/ exactly as the PSR-4 entry of composer.json does,
 * so the two can be swapped freely.
 */
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (!str_starts_with($class, 'Letts\\')) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 6)) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
