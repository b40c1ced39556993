package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"time"
)

// Options are the transport and retry options of a client. The zero value
// of each field keeps libletts' default (30 s request and connect timeouts,
// 4 connections per dugdale, 3 attempts with back-off 100/500/2000 ms,
// proxies from letts.yaml, 64 MiB response and 16 MiB event-line caps).
type Options struct {
	// RequestTimeout is the inactivity limit of a request (at least 1 s).
	RequestTimeout time.Duration
	// ConnectTimeout bounds the connection phase.
	ConnectTimeout time.Duration
	// MaxConnectionsPerHost is the number of connections per dugdale.
	MaxConnectionsPerHost int
	// RetryAttempts is the total number of attempts of retried operations.
	RetryAttempts int
	// RetryBackoff is the pause before each further attempt.
	RetryBackoff []time.Duration
	// TotalTimeout bounds a whole request (connection, sending, the whole
	// answer); zero means none. Event and output streams, downloads and log
	// fetches are exempt. Unlike the upstream Go client's Options.Timeout
	// (http.Client.Timeout), it does not cut followed streams.
	TotalTimeout time.Duration
	// ReconnectBackoff is the pause before each consecutive reconnect of an
	// event stream, the last entry repeating (default 100/500/2000 ms).
	ReconnectBackoff []time.Duration
	// IgnoreProxy ignores every proxy of letts.yaml.
	IgnoreProxy bool
	// StreamFreshConnection gives every long-lived stream its own connection.
	StreamFreshConnection bool
	// UserAgent replaces "libletts/<version>".
	UserAgent string
	// InsecureConfigPermissions accepts plain-text tokens in a letts.yaml
	// readable by others.
	InsecureConfigPermissions bool
	// MaxResponseBytes caps a response body held in memory (at least 1024).
	MaxResponseBytes int
	// MaxEventLineBytes caps one line of an event stream (at least 1024).
	MaxEventLineBytes int
}

// Client talks to the dugdales of one letts.yaml. It is safe for
// concurrent use by many goroutines. Close releases it; a client made by
// WithMatch or WithFailureObserver is closed on its own, in any order.
type Client struct {
	mu       sync.RWMutex
	h        *C.letts_client
	observer *observerRef // shared by the copies that carry the observer
	// The completion observer's handle, shared likewise.
	completion *observerRef
}

// observerRef keeps the handle of a failure observer alive while any
// client copy that carries it is open.
type observerRef struct {
	handle cgo.Handle
	refs   int32
}

func (o *observerRef) acquire() *observerRef {
	if o != nil {
		atomic.AddInt32(&o.refs, 1)
	}
	return o
}

func (o *observerRef) release() {
	if o != nil && atomic.AddInt32(&o.refs, -1) == 0 {
		o.handle.Delete()
	}
}

// Open loads the letts.yaml at path and creates a client. opts may be nil.
// Fails with a *Error of StatusConfig or StatusMissingEnv for a bad file.
func Open(path string, opts *Options) (*Client, error) {
	cpath := C.CString(path)
	defer freeC(cpath)
	var flags C.unsigned
	if opts != nil && opts.InsecureConfigPermissions {
		flags = C.LETTS_CONFIG_INSECURE_PERMISSIONS
	}
	var cfg *C.letts_config
	var cerr *C.letts_error
	if st := C.letts_config_load_file(&cfg, cpath, flags, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	defer C.letts_config_free(cfg)
	return newClient(cfg, opts)
}

// OpenYAML creates a client from the text of a letts.yaml (name is used in
// error messages, e.g. "letts.yaml"). opts may be nil.
func OpenYAML(yaml, name string, opts *Options) (*Client, error) {
	cyaml := C.CString(yaml)
	defer freeC(cyaml)
	cname := C.CString(name)
	defer freeC(cname)
	var cfg *C.letts_config
	var cerr *C.letts_error
	if st := C.letts_config_load_string(&cfg, cyaml, C.size_t(len(yaml)), cname, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	defer C.letts_config_free(cfg)
	return newClient(cfg, opts)
}

// Discover finds letts.yaml by the discovery cascade of libletts
// (LETTS_CONFIG, the working directory and its parents, the user's and the
// system's configuration directories) and creates a client. opts may be nil.
func Discover(opts *Options) (*Client, error) {
	copts, err := clientOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.letts_client_options_free(copts)
	var h *C.letts_client
	var cerr *C.letts_error
	if st := C.letts_client_discover(&h, copts, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	return &Client{h: h}, nil
}

func newClient(cfg *C.letts_config, opts *Options) (*Client, error) {
	copts, err := clientOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.letts_client_options_free(copts)
	var h *C.letts_client
	var cerr *C.letts_error
	if st := C.letts_client_new(&h, cfg, copts, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	return &Client{h: h}, nil
}

// millisecondList converts a back-off schedule for libletts.
func millisecondList(pauses []time.Duration) []C.int64_t {
	ms := make([]C.int64_t, len(pauses))
	for i, d := range pauses {
		ms[i] = durationMS(d)
	}
	return ms
}

// clientOptions builds letts_client_options from opts (nil: defaults).
func clientOptions(opts *Options) (*C.letts_client_options, error) {
	var o *C.letts_client_options
	var cerr *C.letts_error
	if st := C.letts_client_options_new(&o, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	if opts == nil {
		return o, nil
	}
	set := func(st C.letts_status) bool { return st == C.LETTS_OK }
	ok := true
	if opts.RequestTimeout != 0 {
		ok = ok && set(C.letts_client_options_set_request_timeout_ms(o, durationMS(opts.RequestTimeout), &cerr))
	}
	if ok && opts.ConnectTimeout != 0 {
		ok = set(C.letts_client_options_set_connect_timeout_ms(o, durationMS(opts.ConnectTimeout), &cerr))
	}
	if ok && opts.MaxConnectionsPerHost != 0 {
		ok = set(C.letts_client_options_set_max_connections_per_host(o, C.int(opts.MaxConnectionsPerHost), &cerr))
	}
	if ok && opts.RetryAttempts != 0 {
		ok = set(C.letts_client_options_set_retry_attempts(o, C.int(opts.RetryAttempts), &cerr))
	}
	if ok && len(opts.RetryBackoff) > 0 {
		ms := millisecondList(opts.RetryBackoff)
		ok = set(C.letts_client_options_set_retry_backoff(o, &ms[0], C.size_t(len(ms)), &cerr))
	}
	if ok && opts.TotalTimeout != 0 {
		ok = set(C.letts_client_options_set_total_timeout_ms(o, durationMS(opts.TotalTimeout), &cerr))
	}
	if ok && len(opts.ReconnectBackoff) > 0 {
		ms := millisecondList(opts.ReconnectBackoff)
		ok = set(C.letts_client_options_set_reconnect_backoff(o, &ms[0], C.size_t(len(ms)), &cerr))
	}
	if ok && opts.IgnoreProxy {
		ok = set(C.letts_client_options_set_ignore_proxy(o, 1, &cerr))
	}
	if ok && opts.StreamFreshConnection {
		ok = set(C.letts_client_options_set_stream_fresh_connection(o, 1, &cerr))
	}
	if ok && opts.UserAgent != "" {
		ua := C.CString(opts.UserAgent)
		ok = set(C.letts_client_options_set_user_agent(o, ua, &cerr))
		freeC(ua)
	}
	if ok && opts.InsecureConfigPermissions {
		ok = set(C.letts_client_options_set_insecure_config_permissions(o, 1, &cerr))
	}
	if ok && opts.MaxResponseBytes != 0 {
		ok = set(C.letts_client_options_set_max_response_bytes(o, C.size_t(opts.MaxResponseBytes), &cerr))
	}
	if ok && opts.MaxEventLineBytes != 0 {
		ok = set(C.letts_client_options_set_max_event_line_bytes(o, C.size_t(opts.MaxEventLineBytes), &cerr))
	}
	if !ok {
		C.letts_client_options_free(o)
		return nil, errorFrom(nil, C.letts_error_status(cerr), cerr)
	}
	return o, nil
}

// Close releases the client. It waits for calls in progress on this client
// to return; later calls fail with ErrClosed. Copies made from it stay
// usable. Close is idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.h != nil {
		C.letts_client_free(c.h)
		c.h = nil
		c.observer.release()
		c.completion.release()
	}
	return nil
}

// ConfigJSON is the merged configuration the client uses, as JSON.
func (c *Client) ConfigJSON() json.RawMessage {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.h == nil {
		return nil
	}
	return rawJSON(C.letts_client_config_json(c.h))
}

// WithMatch returns a copy of the client whose default label filter is
// labels (none removes the override); the copy shares configuration,
// options and connections, and is closed on its own.
func (c *Client) WithMatch(labels ...string) (*Client, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.h == nil {
		return nil, ErrClosed
	}
	arr := newCStringArray(labels)
	defer arr.free()
	var h *C.letts_client
	var cerr *C.letts_error
	if st := C.letts_client_with_match(c.h, arr.ptr, arr.n, &h, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	return &Client{h: h, observer: c.observer.acquire(), completion: c.completion.acquire()}, nil
}

// LaunchFailure is what a failure observer is told about a task that did
// not produce a result because launching it failed.
type LaunchFailure struct {
	// Err is the error that stopped the launch.
	Err *Error
	// Retryable says whether launching again may succeed.
	Retryable bool
	// Method is "dispatch", "tryDispatch", "run" or "runParallel".
	Method string
	// Phase is "dispatch" (never started: safe to dispatch again with the
	// same mission id) or "stream" (running: do not dispatch again).
	Phase string
	// MissionID is the idempotency key sent, or the running mission's id.
	MissionID string
	// Mission is the mission name.
	Mission string
	// Launch is the launch descriptor as JSON (route, host, match, lane,
	// input, files, timeout).
	Launch json.RawMessage
}

// WithFailureObserver returns a copy of the client that calls fn before a
// failing Dispatch, TryDispatch, Run or fan-out job returns, on the
// goroutine that made the call (nil removes the observer). The copy is
// closed on its own.
func (c *Client) WithFailureObserver(fn func(LaunchFailure)) (*Client, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, ref, err := c.withObserver(fn == nil, fn,
		func(h **C.letts_client, cerr **C.letts_error) C.letts_status {
			return C.letts_client_with_failure_observer(c.h, nil, nil, h, cerr)
		},
		func(handle cgo.Handle, h **C.letts_client, cerr **C.letts_error) C.letts_status {
			return C.letts_go_with_failure_observer(c.h, C.uintptr_t(handle), h, cerr)
		})
	if err != nil {
		return nil, err
	}
	return &Client{h: h, observer: ref, completion: c.completion.acquire()}, nil
}

// WithCompletionObserver returns a copy of the client that calls fn with
// every finished run's result — Run, Wait, ExecRun, each RunParallel and
// RunOnAll job — exactly once, after its last attempt (RunResult.Attempts),
// whatever the outcome, on the goroutine that made the call (nil removes
// the observer). A call that ends without a result (error, cancel, wait
// timeout) is not reported. The failure observer and label override are
// kept; the copy is closed on its own.
func (c *Client) WithCompletionObserver(fn func(*RunResult)) (*Client, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, ref, err := c.withObserver(fn == nil, fn,
		func(h **C.letts_client, cerr **C.letts_error) C.letts_status {
			return C.letts_client_with_completion_observer(c.h, nil, nil, h, cerr)
		},
		func(handle cgo.Handle, h **C.letts_client, cerr **C.letts_error) C.letts_status {
			return C.letts_go_with_completion_observer(c.h, C.uintptr_t(handle), h, cerr)
		})
	if err != nil {
		return nil, err
	}
	return &Client{h: h, observer: c.observer.acquire(), completion: ref}, nil
}

// withObserver is the part the two observer setters share (c.mu held for
// reading): a client copy without an observer (remove), or with fn behind a
// cgo handle whose reference the copy then owns (ref; nil when removed).
func (c *Client) withObserver(remove bool, fn any,
	clear func(h **C.letts_client, cerr **C.letts_error) C.letts_status,
	set func(handle cgo.Handle, h **C.letts_client, cerr **C.letts_error) C.letts_status) (*C.letts_client, *observerRef, error) {
	if c.h == nil {
		return nil, nil, ErrClosed
	}
	var h *C.letts_client
	var cerr *C.letts_error
	if remove {
		if st := clear(&h, &cerr); st != C.LETTS_OK {
			return nil, nil, errorFrom(nil, st, cerr)
		}
		return h, nil, nil
	}
	handle := cgo.NewHandle(fn)
	if st := set(handle, &h, &cerr); st != C.LETTS_OK {
		handle.Delete()
		return nil, nil, errorFrom(nil, st, cerr)
	}
	return h, &observerRef{handle: handle, refs: 1}, nil
}

// Dugdales returns the ids of the configured dugdales carrying every one
// of labels, in file order (no network).
func (c *Client) Dugdales(labels ...string) ([]string, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.h == nil {
		return nil, ErrClosed
	}
	arr := newCStringArray(labels)
	defer arr.free()
	var list *C.letts_string_list
	var cerr *C.letts_error
	if st := C.letts_client_dugdales(c.h, arr.ptr, arr.n, &list, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	defer C.letts_string_list_free(list)
	n := int(C.letts_string_list_count(list))
	ids := make([]string, n)
	for i := range ids {
		ids[i] = C.GoString(C.letts_string_list_get(list, C.size_t(i)))
	}
	return ids, nil
}

// call runs op with the client handle to use for one blocking call: the
// client itself when ctx can never be cancelled, else a per-call copy made
// with letts_client_with_cancel whose cancel object a goroutine triggers
// when ctx is done. It returns op's status as an error.
func (c *Client) call(ctx context.Context, op func(h *C.letts_client, cerr **C.letts_error) C.letts_status) error {
	return c.callCancellable(ctx, func(h *C.letts_client, _ *C.letts_cancel, cerr **C.letts_error) C.letts_status {
		return op(h, cerr)
	})
}

// callCancellable is call for operations that also take the cancel object
// itself (a schedule's run loop waits on it): op gets NULL when ctx can
// never be cancelled.
func (c *Client) callCancellable(ctx context.Context, op func(h *C.letts_client, cancel *C.letts_cancel, cerr **C.letts_error) C.letts_status) error {
	if ctx.Err() != nil {
		return contextError(ctx)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.h == nil {
		return ErrClosed
	}
	var cerr *C.letts_error
	if ctx.Done() == nil {
		return errorFrom(ctx, op(c.h, nil, &cerr), cerr)
	}
	var cancel *C.letts_cancel
	if st := C.letts_cancel_new(&cancel, &cerr); st != C.LETTS_OK {
		return errorFrom(ctx, st, cerr)
	}
	var scoped *C.letts_client
	if st := C.letts_client_with_cancel(c.h, cancel, &scoped, &cerr); st != C.LETTS_OK {
		C.letts_cancel_free(cancel)
		return errorFrom(ctx, st, cerr)
	}
	stop := make(chan struct{})
	watcher := make(chan struct{})
	go func() {
		defer close(watcher)
		select {
		case <-ctx.Done():
			C.letts_cancel_trigger(cancel)
		case <-stop:
		}
	}()
	st := op(scoped, cancel, &cerr)
	close(stop)
	<-watcher // the cancel object outlives every trigger
	C.letts_client_free(scoped)
	C.letts_cancel_free(cancel)
	return errorFrom(ctx, st, cerr)
}

// hostArgs holds the C copies of a host and a mission id.
type hostArgs struct{ host, id *C.char }

func newHostArgs(host, id string) hostArgs {
	return hostArgs{host: cString(host), id: cString(id)}
}

func (a hostArgs) free() {
	freeC(a.host)
	freeC(a.id)
}
