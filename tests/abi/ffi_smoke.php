<?php
/*
 * Proves that the generated letts_ffi.h and the built libletts.so agree, the
 * way the PHP binding will use them: FFI::cdef() must accept the whole file
 * against the real library (it fails on any declaration it cannot parse or
 * bind), and calls must marshal strings, out-pointers and statuses correctly.
 *
 * Usage: php -d ffi.enable=1 ffi_smoke.php LETTS_FFI_H LIBLETTS_SO VERSION
 */
declare(strict_types=1);

$failures = 0;

function check(bool $ok, string $what, string $expected, string $found): void
{
    global $failures;
    if (!$ok) {
        fwrite(STDERR, "FAIL: $what: expected $expected, found $found\n");
        $failures++;
    }
}

// A `const char *` return arrives as a PHP string (or null); be explicit.
function str(mixed $value): ?string
{
    return $value instanceof FFI\CData ? FFI::string($value) : $value;
}

if ($argc !== 4) {
    fwrite(STDERR, "usage: php -d ffi.enable=1 {$argv[0]} LETTS_FFI_H LIBLETTS_SO VERSION\n");
    exit(2);
}
[, $cdefPath, $libPath, $expectedVersion] = $argv;

if (!extension_loaded('ffi')) {
    fwrite(STDERR, "FAIL: expected the PHP FFI extension (shipped by php8.2-common) to be loaded, found it missing\n");
    exit(1);
}

$declarations = file_get_contents($cdefPath);
if ($declarations === false) {
    fwrite(STDERR, "FAIL: expected to read $cdefPath, could not\n");
    exit(1);
}
try {
    $ffi = FFI::cdef($declarations, $libPath);
} catch (FFI\Exception $e) {
    fwrite(STDERR, "FAIL: FFI::cdef($cdefPath, $libPath): expected success, found: {$e->getMessage()}\n");
    exit(1);
}

// The library the declarations were loaded with is the one this build made.
$version = str($ffi->letts_version());
check($version === $expectedVersion, 'letts_version()', "'$expectedVersion'", var_export($version, true));
check(str($ffi->letts_status_name($ffi->LETTS_ERR_CONFIG)) === 'config',
      'letts_status_name(LETTS_ERR_CONFIG)', "'config'",
      var_export(str($ffi->letts_status_name($ffi->LETTS_ERR_CONFIG)), true));

// Error path: invalid YAML must fail with LETTS_ERR_CONFIG, leave the out
// pointer NULL and hand over an error object whose message names the source.
$yaml = "dugdales: [ {id: s1, host: \n";  // unbalanced flow sequence
$cfg = $ffi->new('letts_config *');
$err = $ffi->new('letts_error *');
$status = $ffi->letts_config_load_string(FFI::addr($cfg), $yaml, strlen($yaml), 'ffi-smoke.yaml', FFI::addr($err));
check($status === $ffi->LETTS_ERR_CONFIG, 'letts_config_load_string(invalid YAML) status',
      "LETTS_ERR_CONFIG ({$ffi->LETTS_ERR_CONFIG})", var_export($status, true));
check(FFI::isNull($cfg), 'letts_config_load_string(invalid YAML) *out', 'NULL', 'a config');
if (FFI::isNull($err)) {
    check(false, 'letts_config_load_string(invalid YAML) *err', 'an error object', 'NULL');
} else {
    $message = str($ffi->letts_error_message($err));
    check(is_string($message) && $message !== '', 'letts_error_message()', 'a non-empty message',
          var_export($message, true));
    check(is_string($message) && str_contains($message, 'ffi-smoke.yaml'), 'letts_error_message()',
          "the source name 'ffi-smoke.yaml' in the message", var_export($message, true));
    check($ffi->letts_error_status($err) === $ffi->LETTS_ERR_CONFIG, 'letts_error_status()',
          'LETTS_ERR_CONFIG', var_export($ffi->letts_error_status($err), true));
    $ffi->letts_error_free($err);
}

// `err` may be NULL: the status alone must still come back.
$status = $ffi->letts_config_load_string(FFI::addr($cfg), $yaml, strlen($yaml), null, null);
check($status === $ffi->LETTS_ERR_CONFIG, 'letts_config_load_string(invalid YAML, err = NULL) status',
      'LETTS_ERR_CONFIG', var_export($status, true));

if ($failures > 0) {
    exit(1);
}
echo "ok: FFI::cdef accepted $cdefPath against $libPath (version $version); error path works\n";
