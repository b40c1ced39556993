<?php
declare(strict_types=1);

namespace Letts\Config;

/** The tokens of letts.yaml's top-level `auth` section, as written (placeholders unresolved). Part of Client::getConfig(). */
final readonly class Auth
{
    public function __construct(
        public string $token = '',
        public string $adminToken = '',
        public string $execToken = '',
    ) {}
}
