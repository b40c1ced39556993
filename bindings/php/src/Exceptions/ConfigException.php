<?php
declare(strict_types=1);

namespace Letts\Exceptions;

class ConfigException extends LettsException
{
}
