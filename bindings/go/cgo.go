package letts

/*
#cgo pkg-config: letts
#include "shim.h"
*/
import "C"

import (
	"encoding/json"
	"time"
	"unsafe"
)

// Version is the version of the libletts library actually loaded, as
// "MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.letts_version()) }

// cString returns a C copy of s, or NULL for "" (libletts reads NULL and ""
// alike wherever a string is optional). Free it with freeC.
func cString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

// cStringAlways returns a C copy of s, "" included.
func cStringAlways(s string) *C.char { return C.CString(s) }

func freeC(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// cStringArray is a C array of C strings (for label lists); free with free.
type cStringArray struct {
	ptr **C.char
	n   C.size_t
	all []*C.char
}

func newCStringArray(items []string) *cStringArray {
	a := &cStringArray{n: C.size_t(len(items))}
	if len(items) == 0 {
		return a
	}
	size := C.size_t(len(items)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))
	a.ptr = (**C.char)(C.malloc(size))
	slots := unsafe.Slice(a.ptr, len(items))
	for i, s := range items {
		slots[i] = C.CString(s)
		a.all = append(a.all, slots[i])
	}
	return a
}

func (a *cStringArray) free() {
	for _, p := range a.all {
		C.free(unsafe.Pointer(p))
	}
	if a.ptr != nil {
		C.free(unsafe.Pointer(a.ptr))
	}
}

// goStringOpt is C.GoString that maps NULL to "".
func goStringOpt(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// rawJSON copies JSON text owned by libletts; NULL gives nil.
func rawJSON(p *C.char) json.RawMessage {
	if p == nil {
		return nil
	}
	return json.RawMessage(C.GoString(p))
}

// takeJSON copies and releases JSON text the caller owns (letts_free).
func takeJSON(p *C.char) json.RawMessage {
	if p == nil {
		return nil
	}
	defer C.letts_free(unsafe.Pointer(p))
	return json.RawMessage(C.GoString(p))
}

// takeString copies and releases a string the caller owns (letts_free).
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	defer C.letts_free(unsafe.Pointer(p))
	return C.GoString(p)
}

// durationMS converts to the milliseconds libletts takes, rounding a
// fraction of a millisecond up so that a non-zero duration stays non-zero.
func durationMS(d time.Duration) C.int64_t {
	ms := d / time.Millisecond
	if d%time.Millisecond != 0 {
		if d > 0 {
			ms++
		} else {
			ms--
		}
	}
	return C.int64_t(ms)
}

func boolInt(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

func unixMS(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
