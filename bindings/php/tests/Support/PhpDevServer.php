<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

use Letts\DevServer;

/** The devserver of the integration suites: DevServer::startPhp() with a kill grace long enough to prove a mission stopped by itself. */
final class PhpDevServer
{
    public static function start(string $missionDir): DevServer
    {
        return DevServer::startPhp($missionDir, killGrace: '20s');
    }
}
