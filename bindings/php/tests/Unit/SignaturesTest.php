<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/../../../../tools/php-client-compat/signature_of.php';

/**
 * The binding is a drop-in for php-client: every public method of
 * php-client (php-client-signatures.json, made by
 * tools/php-client-compat/signatures.php from a php-client checkout) exists
 * here with the same name, static-ness, parameter names (named arguments),
 * types, defaults and return type. The few deliberate differences are
 * listed below with what the binding has instead, so a drift in them fails
 * too; the README's differences explain each.
 */
final class SignaturesTest extends TestCase
{
    /** Classes the binding does not provide (README, "Differences"). */
    private const NOT_PROVIDED = [
        'Letts\Config\ConfigValidator' => 'the library validates at load (ConfigLoader, ConfigParser)',
        'Letts\Config\Discovery' => 'the library discovers (ConfigLoader::loadDefault, Client::default)',
        'Letts\Config\EnvSubstitutor' => 'the library substitutes ${VAR} from the process environment when a call needs it',
        'Letts\Config\ExtendsMerger' => 'the library merges extends at load',
        'Letts\Config\HostSelector' => 'the library selects hosts in each call',
        'Letts\Config\NameValidator' => 'the library validates names at load',
        'Letts\Config\ProxyResolver' => 'the library resolves proxies per request',
        'Letts\Config\TokenResolver' => 'the library resolves tokens per request',
        'Letts\Internal\Client\DispatchExecutor' => 'internal to php-client',
        'Letts\Internal\Client\ParallelExecutor' => 'internal to php-client',
        'Letts\Internal\Client\RunExecutor' => 'internal to php-client',
        'Letts\Internal\Http\HttpError' => 'internal to php-client',
        'Letts\Internal\Http\RetryClient' => 'Symfony HttpClient decorator; libletts does the HTTP',
        'Letts\Internal\Http\StagingUploader' => 'internal to php-client',
        'Letts\Internal\Mission\ControlChannel' => 'internal to php-client',
        'Letts\Internal\Mission\FileResolver' => 'internal to php-client',
        'Letts\Internal\Mission\InputParser' => 'internal to php-client',
        'Letts\Internal\Mission\OutputRegistry' => 'internal to php-client',
        'Letts\Internal\Mission\ShutdownHandler' => 'internal to php-client',
        'Letts\Internal\Mission\SignalHandler' => 'internal to php-client',
        'Letts\Internal\Mission\StandaloneMode' => 'internal to php-client',
    ];

    /** Methods of provided classes the binding does not have (README, "Differences"). */
    private const METHODS_NOT_PROVIDED = [
        'Letts\Client::transportFor' => 'returns a Symfony-based RetryClient; rawTransportFor() is there',
        'Letts\Client::httpClient' => 'no Symfony HttpClient inside',
        'Letts\Client::reportLaunchFailure' => 'internal to php-client (its executors call it)',
        'Letts\Internal\Http\HttpTransport::__construct' => 'made by Client::rawTransportFor() only',
        'Letts\Internal\Http\HttpTransport::completeJson' => 'Symfony response plumbing',
        'Letts\Internal\Http\HttpTransport::mapError' => 'Symfony response plumbing',
        'Letts\Internal\Http\HttpTransport::rawRequest' => 'Symfony response plumbing',
        'Letts\Internal\Http\HttpTransport::requestLazyJson' => 'Symfony response plumbing',
        'Letts\Internal\Http\HttpTransport::streamChunks' => 'Symfony response plumbing',
        'Letts\Internal\Http\HttpTransport::streamRequest' => 'Symfony response plumbing',
    ];

    /** Deliberate differences: what the binding has instead of php-client's signature. */
    private const DIFFERENT = [
        // No Symfony dependency: any object is refused at run time instead.
        'Letts\Client::default' => 'static default(?object $http = NULL, ?Closure $onLaunchFailure = NULL, array $opts = []): self',
        'Letts\Client::fromConfig' => 'static fromConfig(string $path, array $opts = [], ?object $http = NULL, ?Closure $onLaunchFailure = NULL): self',
        // A trailing optional parameter php-client's callers cannot notice.
        'Letts\Mission::fail' => 'fail(string $message, int $exitCode = 1, ?array $details = NULL, ?string $reason = NULL): never',
        // The library reads the environment; no EnvSubstitutor is needed.
        'Letts\Config\HostResolver::__construct' => '__construct(Letts\Config\Config $config, ?Letts\Config\EnvSubstitutor $env = NULL)',
    ];

    public function testEveryPhpClientMethodHasTheSameSignature(): void
    {
        $expected = json_decode((string) file_get_contents(__DIR__ . '/php-client-signatures.json'), true, flags: JSON_THROW_ON_ERROR);
        $this->assertGreaterThan(50, count($expected), 'the committed php-client list looks truncated');
        $mismatches = [];
        foreach ($expected as $class => $api) {
            if (isset(self::NOT_PROVIDED[$class])) {
                continue;
            }
            if (!class_exists($class) && !enum_exists($class) && !interface_exists($class)) {
                $mismatches[] = "$class: missing";
                continue;
            }
            $ours = letts_signature_of($class);
            if ($ours['kind'] !== $api['kind']) {
                $mismatches[] = "$class: a $ours[kind], php-client's is a $api[kind]";
            }
            foreach ($api['methods'] as $name => $method) {
                $key = "$class::$name";
                if (isset(self::METHODS_NOT_PROVIDED[$key])) {
                    continue;
                }
                $want = self::DIFFERENT[$key] ?? self::render($name, $method);
                $got = isset($ours['methods'][$name]) ? self::render($name, $ours['methods'][$name]) : 'missing';
                if ($got !== $want) {
                    $mismatches[] = "$key:\n    php-client: $want\n    binding:    $got";
                }
            }
        }
        $this->assertSame([], $mismatches, implode("\n", $mismatches));
    }

    public function testTheExceptionListsNameOnlyWhatPhpClientHas(): void
    {
        $expected = json_decode((string) file_get_contents(__DIR__ . '/php-client-signatures.json'), true, flags: JSON_THROW_ON_ERROR);
        foreach (array_keys(self::NOT_PROVIDED) as $class) {
            $this->assertArrayHasKey($class, $expected, "$class is not php-client's: drop it from NOT_PROVIDED");
        }
        foreach (array_merge(array_keys(self::METHODS_NOT_PROVIDED), array_keys(self::DIFFERENT)) as $key) {
            [$class, $method] = explode('::', $key);
            $this->assertArrayHasKey($method, $expected[$class]['methods'] ?? [], "$key is not php-client's: drop it from the lists");
        }
    }

    /** @param array{static: bool, params: list<array<string, mixed>>, return: ?string} $m */
    private static function render(string $name, array $m): string
    {
        $params = [];
        foreach ($m['params'] as $p) {
            $params[] = trim(($p['type'] ?? '') . ' ' . ($p['byRef'] ? '&' : '') . ($p['variadic'] ? '...' : '') . '$' . $p['name']
                . ($p['default'] !== null ? ' = ' . $p['default'] : ($p['optional'] && !$p['variadic'] ? ' = ?' : '')));
        }
        return ($m['static'] ? 'static ' : '') . "$name(" . implode(', ', $params) . ')'
            . ($m['return'] !== null ? ': ' . $m['return'] : '');
    }
}
