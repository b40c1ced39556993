<?php
declare(strict_types=1);

namespace Letts;

use FFI;
use Letts\Internal\Client\CStrings;
use Letts\Internal\Errors;
use Letts\Internal\Native;

/**
 * The position a mission listing's cursor names (listMissions' next
 * cursor): the last mission of a page and its time_created (order
 * "created") or time_finished (order "finished") in milliseconds, the other
 * time 0. An addition of this binding, the upstream Go client's ListCursor:
 * encode() gives the very string its EncodeListCursor gives, so a caller
 * merging the pages of several dugdales can resume each one after the last
 * mission it kept (letts/list_cursor.h).
 */
final readonly class ListCursor
{
    public function __construct(
        public string $missionId,
        public int $timeCreatedMs = 0,
        public int $timeFinishedMs = 0,
    ) {
    }

    /**
     * The cursor string.
     *
     * @throws \InvalidArgumentException a negative time, both times 0, or an
     *         id that is empty, over 1024 bytes, not UTF-8 or holds a control character
     */
    public function encode(): string
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $out = $ffi->new('char *');
        Errors::check($ffi->letts_list_cursor_encode($this->timeCreatedMs, $this->timeFinishedMs, $this->missionId,
            FFI::addr($out), FFI::addr($err)), $err);
        return (string) CStrings::take($out);
    }

    /**
     * The position `$cursor` names; '' is the first page (an empty id, both
     * times 0), as in the Go client.
     *
     * @throws \InvalidArgumentException a malformed cursor, the message saying what is wrong
     */
    public static function decode(string $cursor): self
    {
        $ffi = Native::ffi();
        $err = Native::errorHolder();
        $created = $ffi->new('int64_t');
        $finished = $ffi->new('int64_t');
        $id = $ffi->new('char *');
        Errors::check($ffi->letts_list_cursor_decode($cursor, FFI::addr($created), FFI::addr($finished),
            FFI::addr($id), FFI::addr($err)), $err);
        return new self((string) CStrings::take($id), $created->cdata, $finished->cdata);
    }
}
