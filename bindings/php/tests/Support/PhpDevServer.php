<?php
declare(strict_types=1);

namespace Letts\Tests\Support;

use Letts\DevServer;

/**
 * An embedded devserver set up to run PHP missions from one directory the
 * way an operator would: dugdale.yaml with tokens, a kill grace and
 * mission_env.inherit of the variables that let php load libletts; then an
 * apply with lane "default" and the runtime ["php", "<dir>/<mission>.php"].
 */
final class PhpDevServer
{
    public static function start(string $missionDir): DevServer
    {
        $data = Temp::dir('letts-php-it');
        $inherit = implode(', ', MissionRunner::PASS_THROUGH);
        $server = DevServer::start(config: <<<YAML
            listen: 127.0.0.1:0
            data_dir: $data
            auth:
              tokens: [php-dispatch-token]
            admin:
              tokens: [php-admin-token]
            limits:
              default_kill_grace: 20s
            mission_env:
              inherit: [$inherit]
            YAML);
        $server->apply([
            'mission_dir' => realpath($missionDir),
            'lanes' => ['default' => ['concurrency' => 4]],
            'runtime' => [
                'mission_path_template' => '{mission}.php',
                'command_template' => [PHP_BINARY, '{mission_path}'],
                'validate_mission_file' => true,
            ],
        ]);
        return $server;
    }
}
