<?php
declare(strict_types=1);

namespace Letts\Exceptions;

/**
 * libletts.so or its FFI declarations could not be loaded; the message lists
 * every place that was tried. Not a LettsException: nothing was attempted
 * against a dugdale.
 */
final class LibraryLoadException extends \RuntimeException
{
}
