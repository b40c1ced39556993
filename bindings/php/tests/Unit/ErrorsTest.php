<?php
declare(strict_types=1);

namespace Letts\Tests\Unit;

use FFI;
use Letts\Exceptions;
use Letts\Exceptions\LettsException;
use Letts\Internal\Errors;
use Letts\Internal\Native;
use PHPUnit\Framework\TestCase;

/** letts_status + letts_error → exception: one class per status, every field carried. */
final class ErrorsTest extends TestCase
{
    /** @return iterable<string, array{int, class-string, bool}> status, class, is it HTTP-derived */
    public static function statuses(): iterable
    {
        yield 'bad_request' => [Errors::BAD_REQUEST, Exceptions\BadRequestException::class, true];
        yield 'auth' => [Errors::AUTH, Exceptions\AuthException::class, true];
        yield 'conflict' => [Errors::CONFLICT, Exceptions\ConflictException::class, true];
        yield 'backpressure' => [Errors::BACKPRESSURE, Exceptions\BackpressureException::class, true];
        yield 'dispatch' => [Errors::DISPATCH, Exceptions\DispatchException::class, true];
        yield 'staging' => [Errors::STAGING, Exceptions\StagingException::class, true];
        yield 'wait_timeout' => [Errors::WAIT_TIMEOUT, Exceptions\WaitTimeoutException::class, false];
        yield 'config' => [Errors::CONFIG, Exceptions\ConfigException::class, false];
        yield 'no_matching_dugdale' => [Errors::NO_MATCHING_DUGDALE, Exceptions\NoMatchingDugdaleException::class, false];
        yield 'interrupted' => [Errors::INTERRUPTED, Exceptions\InterruptedException::class, false];
        yield 'cancelled' => [Errors::CANCELLED, Exceptions\CancelledException::class, false];
    }

    /** @dataProvider statuses */
    public function testEachStatusHasItsClassMessageAndData(int $status, string $class, bool $http): void
    {
        $e = Errors::fromFields($status, 'it went wrong', $http ? 412 : 0, 'some_code', 's1', '{"lane":"high"}');
        $this->assertSame($class, $e::class);
        $this->assertSame('it went wrong', $e->getMessage());
        $this->assertSame($http ? 412 : 0, $e->getCode());
        $this->assertInstanceOf(LettsException::class, $e);
        $this->assertSame('some_code', $e->getErrorCode());
        $this->assertSame('s1', $e->getDugdale());
        $this->assertSame(['lane' => 'high'], $e->getDetails());
    }

    public function testStatusNumbersAreTheAbiValues(): void
    {
        $ffi = Native::ffi();
        foreach ((new \ReflectionClass(Errors::class))->getConstants() as $name => $value) {
            $this->assertSame(strtolower($name), Errors::str($ffi->letts_status_name($value)), "Errors::$name");
        }
    }

    public function testNetworkExceptionNamesTheDugdale(): void
    {
        $e = Errors::fromFields(Errors::NETWORK, 'connection refused', 0, null, 'eu-1', null);
        $this->assertInstanceOf(Exceptions\NetworkException::class, $e);
        $this->assertSame('eu-1', $e->getHost());
        $this->assertSame('[eu-1] connection refused', $e->getMessage());
        $this->assertSame(0, $e->getCode());
    }

    public function testMessagesReadAsPhpClientsWithoutTheDugdalePrefix(): void
    {
        $e = Errors::fromFields(Errors::BACKPRESSURE, '[s1] dispatch: queue_full: lane high is full', 503, 'queue_full', 's1', null);
        $this->assertSame('queue_full: lane high is full', $e->getMessage());
        $this->assertSame('s1', $e->getDugdale());
        $e = Errors::fromFields(Errors::DISPATCH, '[s1] get mission: HTTP 412: precondition', 412, null, 's1', null);
        $this->assertSame('HTTP 412: precondition', $e->getMessage());
        // A network message keeps "[<dugdale>]" and says what was being done.
        $e = Errors::fromFields(Errors::NETWORK, '[s1] staging upload: connection reset', 0, null, 's1', null);
        $this->assertSame('[s1] staging upload: connection reset', $e->getMessage());
        // Only the prefix of the dugdale concerned is removed.
        $e = Errors::fromFields(Errors::CONFLICT, '[s2] kill: mission is done', 409, null, 's1', null);
        $this->assertSame('[s2] kill: mission is done', $e->getMessage());
    }

    public function testMissingEnvExposesTheVariableName(): void
    {
        $e = Errors::fromFields(Errors::MISSING_ENV, 'letts.yaml: ${DUG_TOKEN} is not set', 0, null, null, '{"name":"DUG_TOKEN"}');
        $this->assertInstanceOf(Exceptions\MissingEnvException::class, $e);
        $this->assertInstanceOf(Exceptions\ConfigException::class, $e);
        $this->assertSame('DUG_TOKEN', $e->name);
        $this->assertSame('missing env var: DUG_TOKEN', $e->getMessage());
    }

    public function testMissionFailedCarriesOutcomeAndResult(): void
    {
        $details = json_encode(['mission_id' => 'm-1', 'outcome' => 'oom', 'fail_reason' => 'php_memory_limit',
            'fail_message' => 'Allowed memory size exhausted', 'fail_details' => ['line' => 3], 'exit_code' => 255]);
        $e = Errors::fromFields(Errors::MISSION_FAILED, 'mission failed', 0, null, 's2', $details);
        $this->assertInstanceOf(Exceptions\MissionFailedException::class, $e);
        $this->assertSame('oom', $e->getOutcome());
        $this->assertSame('php_memory_limit', $e->getReason());
        $this->assertSame('Allowed memory size exhausted', $e->getFailMessage());
        $this->assertSame(['line' => 3], $e->getFailDetails());
        $this->assertSame('mission failed: Allowed memory size exhausted', $e->getMessage());
        $result = $e->getResult();
        $this->assertNotNull($result);
        $this->assertSame('s2', $result->host);
        $this->assertSame('m-1', $result->missionId);
        $this->assertSame(255, $result->exitCode);
        $this->assertFalse($result->isSuccess());
    }

    public function testStatusesWithoutAClientClassBecomeSplExceptions(): void
    {
        $this->assertSame(\InvalidArgumentException::class, Errors::fromFields(Errors::INVALID_ARGUMENT, 'bad', 0, null, null, null)::class);
        $this->assertSame(\OutOfBoundsException::class, Errors::fromFields(Errors::NOT_FOUND, 'nope', 0, null, null, null)::class);
        foreach ([Errors::IO, Errors::NO_MEMORY, Errors::INTERNAL] as $status) {
            $e = Errors::fromFields($status, '', 0, null, null, null);
            $this->assertSame(\RuntimeException::class, $e::class);
            $this->assertStringContainsString(Errors::str(Native::ffi()->letts_status_name($status)), $e->getMessage());
        }
    }

    public function testTakeReadsARealErrorAndFreesIt(): void
    {
        $ffi = Native::ffi();
        $cfg = $ffi->new('letts_config *');
        $holder = Native::errorHolder();
        $yaml = "dugdales: [ {id: s1, host: \n";
        $status = $ffi->letts_config_load_string(FFI::addr($cfg), $yaml, strlen($yaml), 'broken.yaml', FFI::addr($holder));
        $this->assertSame(Errors::CONFIG, $status);
        $this->assertFalse(FFI::isNull($holder));
        $e = Errors::take($status, $holder);
        $this->assertInstanceOf(Exceptions\ConfigException::class, $e);
        $this->assertStringContainsString('broken.yaml', $e->getMessage());
        $this->assertTrue(FFI::isNull($holder), 'the holder is reset after the error is freed');
    }

    public function testTakeWithoutAnErrorObjectStillMaps(): void
    {
        $e = Errors::take(Errors::STAGING, Native::errorHolder());
        $this->assertInstanceOf(Exceptions\StagingException::class, $e);
        $this->assertSame('staging', $e->getMessage());
    }

    public function testHierarchyMatchesPhpClient(): void
    {
        $this->assertTrue((new \ReflectionClass(LettsException::class))->isAbstract());
        $this->assertSame(\RuntimeException::class, get_parent_class(LettsException::class));
        $extendable = [Exceptions\ConfigException::class, Exceptions\DispatchException::class, Exceptions\NoMatchingDugdaleException::class];
        $all = [...$extendable, Exceptions\AuthException::class, Exceptions\BackpressureException::class,
            Exceptions\BadRequestException::class, Exceptions\ConflictException::class, Exceptions\InterruptedException::class,
            Exceptions\MissionFailedException::class, Exceptions\NetworkException::class, Exceptions\StagingException::class,
            Exceptions\WaitTimeoutException::class, Exceptions\CancelledException::class];
        foreach ($all as $class) {
            $this->assertSame(LettsException::class, get_parent_class($class), $class);
            $this->assertSame(!in_array($class, $extendable, true), (new \ReflectionClass($class))->isFinal(), "$class final");
        }
        $this->assertSame(Exceptions\ConfigException::class, get_parent_class(Exceptions\MissingEnvException::class));
        $this->assertTrue((new \ReflectionClass(Exceptions\MissingEnvException::class))->isFinal());
        $this->assertFalse(is_subclass_of(Exceptions\NoMatchingDugdaleException::class, Exceptions\ConfigException::class));
    }
}
