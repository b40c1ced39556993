<?php
declare(strict_types=1);

namespace Letts\Exceptions;

/** An HTTP error status without a class of its own; getCode() is the HTTP status. */
class DispatchException extends LettsException
{
}
