package letts

/*
#include "shim.h"
*/
import "C"

import (
	"strings"
	"time"
)

// Unique asks for unique dispatch (libletts letts/unique.h): the mission id
// is derived from Key and the window of length Window containing the launch
// time, so every process launching the same key in the same window gets one
// mission — the first creates it, the others get the same id back. The
// derivation is documented in docs/unique-ids.md and is the same in every
// language. A Job with Unique must not set MissionID.
type Unique struct {
	// Key is the business key (non-empty, no NUL byte).
	Key string
	// Window is the window length, whole milliseconds; 0 means one mission
	// per key for ever.
	Window time.Duration
	// At pins the time that picks the window (e.g. a schedule tick); the
	// zero time means the clock at each launch.
	At time.Time
	// ConflictReturnsID makes a launch whose derived id already names a
	// mission with another payload return that id instead of an Error with
	// StatusConflict (409).
	ConflictReturnsID bool
}

// UniqueID returns the unique mission id of key in the window of length
// window containing at (window 0: no window, at is ignored).
func UniqueID(key string, window time.Duration, at time.Time) (string, error) {
	if err := checkUniqueKey(key); err != nil {
		return "", err
	}
	ckey := C.CString(key)
	defer freeC(ckey)
	var out *C.char
	var cerr *C.letts_error
	if st := C.letts_unique_id(ckey, durationMS(window), C.int64_t(at.UnixMilli()), &out, &cerr); st != C.LETTS_OK {
		return "", errorFrom(nil, st, cerr)
	}
	return takeString(out), nil
}

// checkUniqueKey refuses what a C string cannot carry unchanged.
func checkUniqueKey(key string) error {
	if key == "" || strings.IndexByte(key, 0) >= 0 {
		return &Error{Status: StatusInvalidArgument, Message: "unique key must be non-empty and without NUL bytes"}
	}
	return nil
}

// setUnique applies u to job (nil: nothing to do).
func setUnique(job *C.letts_job, u *Unique, cerr **C.letts_error) (C.letts_status, error) {
	if u == nil {
		return C.LETTS_OK, nil
	}
	if err := checkUniqueKey(u.Key); err != nil {
		return C.LETTS_OK, err
	}
	ckey := C.CString(u.Key)
	defer freeC(ckey)
	if st := C.letts_job_set_unique(job, ckey, durationMS(u.Window), cerr); st != C.LETTS_OK {
		return st, nil
	}
	at := C.int64_t(-1)
	if !u.At.IsZero() {
		at = C.int64_t(u.At.UnixMilli())
	}
	if st := C.letts_job_set_unique_at_ms(job, at, cerr); st != C.LETTS_OK {
		return st, nil
	}
	return C.letts_job_set_unique_conflict_is_error(job, boolInt(!u.ConflictReturnsID), cerr), nil
}
