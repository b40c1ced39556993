// Package letts is the Go binding of libletts, the client of the letts task
// queue: it dispatches missions to dugdale daemons, follows them to their
// end, fans work out over many dugdales and inspects and controls the
// daemons. It links libletts through cgo; the mission side lives in the
// sub-package mission, an embedded test server in devserver.
//
// # Linking
//
// The package asks pkg-config for "letts". An installed libletts provides
// letts.pc. To use a build tree instead, point pkg-config at the
// uninstalled description meson writes there, and the dynamic loader at the
// library:
//
//	export PKG_CONFIG_PATH=/path/to/libletts/build/meson-uninstalled
//	export LD_LIBRARY_PATH=/path/to/libletts/build/src
//
// (pkg-config prefers letts-uninstalled.pc when it is on the path.) Flags
// in CGO_CFLAGS / CGO_LDFLAGS are added to those of pkg-config, e.g.
// CGO_LDFLAGS=-Wl,-rpath,/path/to/libletts/build/src instead of
// LD_LIBRARY_PATH.
//
// # Clients, contexts and errors
//
// A *Client is safe for concurrent use by many goroutines; the connections
// to each dugdale are shared. Every method that talks to a dugdale takes a
// context.Context first. When the context is cancelled or its deadline
// passes, the call returns promptly — during a connect, an upload, a
// download or a silent event stream — with an error for which
// errors.Is(err, context.Canceled) (or context.DeadlineExceeded) holds; it
// is also a *Error with status StatusCancelled, naming the mission when one
// was started. Nothing is left behind: no partial output file, no handle.
//
// Every failure is a *Error (use errors.As) carrying the status, the
// daemon's error code, the HTTP status, the dugdale and details. Each
// status has a sentinel (ErrConflict, ErrAuth, ErrNoMatchingDugdale,
// ErrWaitTimeout, ...) for errors.Is.
//
// # Callbacks
//
// Progress functions, the launch-failure observer, event and output
// handlers and a schedule's dispatch function are called by libletts during
// the call that was given them (for a schedule, during its Step or Run), on
// the same OS thread, so they run on the goroutine that made the call —
// never concurrently with themselves for one call, never after the call
// returned. C holds no Go pointer: it gets a runtime/cgo.Handle, released
// when the call ends (an observer: when its client copy is closed; a
// dispatch function: when it is replaced or its schedule closed). A
// callback must not panic (the panic would unwind through C frames) and
// should return quickly: the call it belongs to waits for it.
//
// # Schedules
//
// A *Schedule dispatches a job at every tick of its cron or interval
// entries, each tick with the mission id TickID(entry, tick), so any number
// of schedulers running the same entries dispatch each tick once. Unlike a
// Client, a Schedule is used by one goroutine at a time (one Schedule per
// scheduler); Run blocks until its context is done or Close is called.
//
// # Threads and signals
//
// The client needs no runtime.LockOSThread: each call runs entirely on the
// thread it entered C on, and libletts keeps no per-thread state. libletts
// installs no signal handler on the client side. For missions, see package
// mission: the Go runtime keeps ownership of SIGTERM and SIGINT.
package letts
