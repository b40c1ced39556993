<?php
declare(strict_types=1);

namespace Letts\Exceptions;

/**
 * The client stopped waiting (run(waitTimeout:)) before the mission ended;
 * the mission keeps running on its dugdale.
 */
final class WaitTimeoutException extends LettsException
{
}
