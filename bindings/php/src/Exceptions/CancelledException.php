<?php
declare(strict_types=1);

namespace Letts\Exceptions;

/**
 * A call was cancelled through a libletts cancel object (LETTS_ERR_CANCELLED)
 * before it finished. Beyond php-client, which has no cancellation. The
 * mission, if one was started, keeps running unless the call was asked to
 * kill it.
 */
final class CancelledException extends LettsException
{
}
