<?php
// One class's public API as plain data, the same way for php-client (by
// signatures.php) and for the binding (by SignaturesTest), so that the two
// compare with ==.
declare(strict_types=1);

/** @return array{kind: string, methods: array<string, array<string, mixed>>} */
function letts_signature_of(string $class): array
{
    $r = new ReflectionClass($class);
    $kind = $r->isEnum() ? 'enum' : ($r->isInterface() ? 'interface' : ($r->isTrait() ? 'trait' : 'class'));
    $methods = [];
    foreach ($r->getMethods(ReflectionMethod::IS_PUBLIC) as $m) {
        // Enum helpers (cases/from/tryFrom) are PHP's, not the library's.
        if ($r->isEnum() && $m->isInternal()) {
            continue;
        }
        $params = [];
        foreach ($m->getParameters() as $p) {
            $default = null;
            if ($p->isDefaultValueAvailable()) {
                $value = $p->getDefaultValue();
                $default = match (true) {
                    $p->isDefaultValueConstant() => $p->getDefaultValueConstantName(),
                    is_object($value) => 'new ' . get_class($value),
                    is_array($value) => json_encode($value, JSON_THROW_ON_ERROR),
                    default => var_export($value, true),
                };
            }
            $params[] = [
                'name' => $p->getName(),
                'type' => $p->hasType() ? (string) $p->getType() : null,
                'optional' => $p->isOptional(),
                'default' => $default,
                'byRef' => $p->isPassedByReference(),
                'variadic' => $p->isVariadic(),
            ];
        }
        $methods[$m->getName()] = [
            'static' => $m->isStatic(),
            'params' => $params,
            'return' => $m->hasReturnType() ? (string) $m->getReturnType() : null,
        ];
    }
    ksort($methods);
    return ['kind' => $kind, 'methods' => $methods];
}
