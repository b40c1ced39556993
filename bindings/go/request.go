package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"net/http"
	"unsafe"
)

// Scope chooses the token a raw request presents (letts.yaml's token,
// admin_token or exec_token for the dugdale).
type Scope int

// The scopes of Client.Request.
const (
	ScopeNone     Scope = C.LETTS_SCOPE_NONE     // no Authorization header (healthz, readyz)
	ScopeDispatch Scope = C.LETTS_SCOPE_DISPATCH // the dispatch token
	ScopeAdmin    Scope = C.LETTS_SCOPE_ADMIN    // the admin token
	ScopeExec     Scope = C.LETTS_SCOPE_EXEC     // the exec token
)

// Response is a dugdale's answer to Client.Request.
type Response struct {
	Status int         // HTTP status
	Header http.Header // the answer's headers (one value each: the last one sent)
	Body   []byte      // the body; a non-2xx body is cut after 64 KiB
	err    error
}

// Check returns nil for a 2xx answer, otherwise the *Error every other
// method returns for that answer (ErrAuth for 401/403, ErrConflict for
// 409, ...), with the HTTP status, the daemon's code and the dugdale.
func (r *Response) Check() error { return r.err }

// Request sends method and path (escaped, with its query) to host (a
// dugdale id or alias) with the token of scope, jsonBody as a JSON body
// (nil: none; must be nil for GET and HEAD) and headers as extra
// "Name: value" lines: the escape hatch for routes without a method here.
// The client's base URL, proxy, TLS checks, timeouts and caps apply; GET and
// HEAD follow the retry policy, other methods are sent once. Any HTTP status
// is a Response (see Response.Check); the error is for no answer
// (ErrNetwork, ErrCancelled, a cap: ErrDispatch) and for arguments refused
// before sending (ErrInvalidArgument: a method not in upper case, a path or
// header with CR, LF or a space, an Authorization or Content-Type header,
// a body that is not JSON).
func (c *Client) Request(ctx context.Context, host string, scope Scope, method, path string,
	jsonBody []byte, headers ...string) (*Response, error) {
	chost, cmethod, cpath := cString(host), cStringAlways(method), cStringAlways(path)
	defer freeC(chost)
	defer freeC(cmethod)
	defer freeC(cpath)
	var cbody *C.char
	if jsonBody != nil {
		cbody = cStringAlways(string(jsonBody))
		defer freeC(cbody)
	}
	lines := newCStringArray(headers)
	defer lines.free()
	var out *C.letts_response
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_request(h, chost, C.letts_scope(scope), cmethod, cpath, cbody,
			lines.ptr, lines.n, &out, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_response_free(out)
	return responseFrom(out), nil
}

// responseFrom copies what out holds (it is freed by the caller).
func responseFrom(out *C.letts_response) *Response {
	r := &Response{Status: int(C.letts_response_status(out)), Header: http.Header{}}
	n := int(C.letts_response_header_count(out))
	for i := 0; i < n; i++ {
		r.Header.Set(C.GoString(C.letts_response_header_name(out, C.size_t(i))),
			C.GoString(C.letts_response_header_value(out, C.size_t(i))))
	}
	var length C.size_t
	body := C.letts_response_body(out, &length)
	r.Body = C.GoBytes(unsafe.Pointer(body), C.int(length))
	var cerr *C.letts_error
	if st := C.letts_response_check(out, &cerr); st != C.LETTS_OK {
		r.err = errorFrom(nil, st, cerr)
	}
	return r
}
