<?php
declare(strict_types=1);

namespace Letts\Config;

/**
 * letts.yaml as the library loaded it: validated, templates merged into
 * every dugdale, strings as written (`${VAR}` placeholders are resolved only
 * when a call uses them). Returned by Client::getConfig(), ConfigLoader and
 * ConfigParser; a value object, changing nothing in the client.
 */
final readonly class Config
{
    /**
     * @param array<string, Route>    $routes
     * @param array<string, string>   $aliases
     * @param array<string, Template> $templates
     * @param list<Dugdale>           $dugdales
     */
    public function __construct(
        public Auth $auth = new Auth(),
        public Defaults $defaults = new Defaults(),
        public Selector $selector = new Selector(),
        public array $routes = [],
        public array $aliases = [],
        public array $templates = [],
        public array $dugdales = [],
    ) {}

    /** The dugdale with id `$id` (exact; aliases are not followed), or null. */
    public function findDugdale(string $id): ?Dugdale
    {
        foreach ($this->dugdales as $d) {
            if ($d->id === $id) {
                return $d;
            }
        }
        return null;
    }
}
