<?php
// Prints, as JSON, the public API of a php-client checkout: for every class,
// enum and interface under src/, its kind and each public method's name,
// static-ness, parameters (name, type, default, by-reference, variadic) and
// return type. bindings/php/tests/Unit/SignaturesTest.php compares the
// binding with the committed output (php-client-signatures.json):
//
//   php tools/php-client-compat/signatures.php /tmp/php-client \
//       > bindings/php/tests/Unit/php-client-signatures.json
//
// Only reflection: php-client's classes are loaded, never run. Types of its
// dependencies (Symfony) appear by name and need not be installed.
declare(strict_types=1);

if ($argc !== 2 || !is_dir($argv[1] . '/src')) {
    fwrite(STDERR, "usage: php signatures.php PATH_TO_PHP_CLIENT\n");
    exit(2);
}
$src = realpath($argv[1] . '/src');
require __DIR__ . '/signature_of.php';

spl_autoload_register(static function (string $class) use ($src): void {
    if (str_starts_with($class, 'Letts\\')) {
        $file = $src . '/' . str_replace('\\', '/', substr($class, 6)) . '.php';
        if (is_file($file)) {
            require_once $file;
        }
    }
});

$it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($src, FilesystemIterator::SKIP_DOTS));
$classes = [];
foreach ($it as $file) {
    if ($file->getExtension() !== 'php') {
        continue;
    }
    $rel = substr($file->getPathname(), strlen($src) + 1, -4);
    $classes[] = 'Letts\\' . str_replace('/', '\\', $rel);
}
sort($classes);
$out = [];
foreach ($classes as $class) {
    $out[$class] = letts_signature_of($class);
}
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
