package letts

/*
#include <letts/letts.h>
*/
import "C"

import "unsafe"

// ListCursor is the position a mission listing's cursor names, as the
// upstream Go client's ListCursor: the last mission of a page and its
// creation time (order "created") or end time (order "finished") in
// milliseconds, the other time zero.
type ListCursor struct {
	TimeCreatedMs  int64
	TimeFinishedMs int64
	MissionID      string
}

// EncodeListCursor makes the cursor that resumes a listing after c, the
// string the upstream client's EncodeListCursor makes for it. Unlike that
// one it checks c first: an error (StatusInvalidArgument) for a negative
// time, both times zero, or an id that is empty, over 1024 bytes, not
// UTF-8 or holds a control character.
func EncodeListCursor(c ListCursor) (string, error) {
	id := cStringAlways(c.MissionID)
	defer freeC(id)
	var out *C.char
	var cerr *C.letts_error
	st := C.letts_list_cursor_encode(C.int64_t(c.TimeCreatedMs), C.int64_t(c.TimeFinishedMs), id, &out, &cerr)
	if st != C.LETTS_OK {
		return "", errorFrom(nil, st, cerr)
	}
	return takeString(out), nil
}

// DecodeListCursor reads a cursor; "" is the first page (a zero
// ListCursor), as in the upstream client. A malformed cursor is an error
// (StatusInvalidArgument) whose message says what is wrong.
func DecodeListCursor(s string) (ListCursor, error) {
	cursor := cStringAlways(s)
	defer freeC(cursor)
	var created, finished C.int64_t
	var id *C.char
	var cerr *C.letts_error
	st := C.letts_list_cursor_decode(cursor, &created, &finished, &id, &cerr)
	if st != C.LETTS_OK {
		return ListCursor{}, errorFrom(nil, st, cerr)
	}
	defer C.letts_free(unsafe.Pointer(id))
	return ListCursor{TimeCreatedMs: int64(created), TimeFinishedMs: int64(finished), MissionID: C.GoString(id)}, nil
}
