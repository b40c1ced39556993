<?php
declare(strict_types=1);

namespace Letts\Exceptions;

final class ConflictException extends LettsException
{
}
