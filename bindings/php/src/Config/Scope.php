<?php
declare(strict_types=1);

namespace Letts\Config;

/**
 * Which token of letts.yaml a request presents (the token lists of the
 * daemon): `token`, `admin_token` or `exec_token` of the dugdale or of
 * `auth`. The cases and values are php-client's.
 */
enum Scope: string
{
    case Dispatch = 'dispatch';
    case Admin = 'admin';
    case Exec = 'exec';
}
