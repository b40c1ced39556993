<?php
declare(strict_types=1);

namespace Letts\Internal\Client;

use FFI;
use Letts\Internal\Native;

/** NUL-terminated copies of PHP strings and the pointer array naming them. */
final class CStringArray
{
    /** @var list<FFI\CData> the buffers, owned here so that PHP frees them with this object */
    private array $buffers = [];
    private ?FFI\CData $pointers = null;

    /** @param list<string> $strings */
    public function __construct(private readonly array $strings)
    {
        $n = count($strings);
        if ($n === 0) {
            return;
        }
        $ffi = Native::ffi();
        $this->pointers = $ffi->new("const char *[$n]");
        foreach ($strings as $i => $s) {
            $buffer = $ffi->new('char[' . (strlen($s) + 1) . ']');
            FFI::memcpy($buffer, $s, strlen($s));
            $buffer[strlen($s)] = "\0";
            $this->buffers[] = $buffer;
            $this->pointers[$i] = FFI::cast('const char *', FFI::addr($buffer[0]));
        }
    }

    /** The array to pass (NULL when empty). */
    public function pointers(): ?FFI\CData
    {
        return $this->pointers;
    }

    public function count(): int
    {
        return count($this->strings);
    }
}
