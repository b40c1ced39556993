// Package mission is the Go way to write a letts mission: the program
// dugdale starts with its input on stdin, LETTS_* variables in its
// environment and fd 3 open for events. It binds the mission runtime of
// libletts (letts/mission.h):
//
//	func main() {
//		m, err := mission.Start()
//		if err != nil {
//			fmt.Fprintln(os.Stderr, err)
//			os.Exit(1)
//		}
//		n, _ := m.Int("count", 10)
//		for i := 0; i < int(n); i++ {
//			if m.Context().Err() != nil { // SIGTERM or SIGINT: dugdale's kill or timeout
//				m.Fail("stopped", "interrupted", nil, 130)
//				m.Exit()
//			}
//			m.Progress(float64(i+1)/float64(n), "working")
//		}
//		m.Success(map[string]any{"count": n})
//		m.Exit()
//	}
//
// Under dugdale (LETTS_MISSION_ID set) the input comes from stdin; anywhere
// else the mission runs standalone, exactly as a C mission: input from
// --input=JSON / --input-file=PATH, progress on stderr, the return value
// printed on stdout, outputs in ./out/<key>.
//
// # Signals and threads
//
// The Go runtime owns signal handling, so the C runtime is started with
// LETTS_MISSION_NO_SIGNAL_HANDLERS: Start subscribes to SIGTERM and SIGINT
// with os/signal and forwards each delivery to libletts
// (letts_mission_interrupt), which makes the runtime's interrupt descriptor
// readable; a goroutine polling that descriptor cancels Context. So the
// signals no longer end the process by default: the mission decides, by
// watching Context. Reporting calls (Progress, Success, Fail,
// RegisterOutput) may be made from any goroutine; no runtime.LockOSThread
// is needed. Only one Mission may be live per process.
package mission

/*
#cgo pkg-config: letts
#include <stdio.h>
#include <stdlib.h>
#include <letts/letts.h>
int letts_go_wait_interrupt(int interrupt_fd, int stop_fd);
*/
import "C"

import (
	"context"
	"encoding/json"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"unsafe"

	letts "github.com/letts-project/libletts/bindings/go"
)

// Mission is the running mission of this process.
type Mission struct {
	mu      sync.Mutex
	h       *C.letts_mission
	ctx     context.Context
	cancel  context.CancelFunc
	signals chan os.Signal
	stopR   *os.File
	stopW   *os.File
	watcher sync.WaitGroup
}

func toError(st C.letts_status, cerr *C.letts_error) error {
	if st == C.LETTS_OK {
		C.letts_error_free(cerr)
		return nil
	}
	e := &letts.Error{Status: letts.Status(st)}
	if cerr != nil {
		e.Message = C.GoString(C.letts_error_message(cerr))
		if d := C.letts_error_details(cerr); d != nil {
			e.Details = json.RawMessage(C.GoString(d))
		}
		C.letts_error_free(cerr)
	}
	return e
}

// Start starts the mission runtime with the process's arguments
// (os.Args; used only standalone). Under dugdale it reads the whole input
// from stdin. On failure the program should print the error and exit 1.
func Start() (*Mission, error) { return start(os.Args, 0) }

// StartStandalone starts in standalone mode whatever the environment says,
// with args as the command line (args[0] is the program name).
func StartStandalone(args []string) (*Mission, error) {
	return start(args, C.LETTS_MISSION_STANDALONE)
}

func start(args []string, flags C.unsigned) (*Mission, error) {
	argv := make([]*C.char, len(args)+1)
	for i, a := range args {
		argv[i] = C.CString(a)
	}
	// argv is a Go slice of C pointers: allowed to pass, C does not keep it.
	defer func() {
		for _, p := range argv[:len(args)] {
			C.free(unsafe.Pointer(p))
		}
	}()
	m := &Mission{}
	var cerr *C.letts_error
	st := C.letts_mission_start(&m.h, C.int(len(args)), &argv[0], flags|C.LETTS_MISSION_NO_SIGNAL_HANDLERS, &cerr)
	if st != C.LETTS_OK {
		return nil, toError(st, cerr)
	}
	r, w, err := os.Pipe()
	if err != nil {
		C.letts_mission_free(m.h)
		return nil, &letts.Error{Status: letts.StatusIO, Message: "mission: " + err.Error()}
	}
	m.stopR, m.stopW = r, w
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.signals = make(chan os.Signal, 2)
	signal.Notify(m.signals, syscall.SIGTERM, syscall.SIGINT)
	fd := C.letts_mission_interrupt_fd(m.h)
	m.watcher.Add(2)
	go func() { // signal deliveries -> the runtime's interrupt flag and fd
		defer m.watcher.Done()
		for sig := range m.signals {
			C.letts_mission_interrupt(m.h, C.int(sig.(syscall.Signal)), nil)
		}
	}()
	go func() { // the runtime's interrupt fd -> Context
		defer m.watcher.Done()
		if C.letts_go_wait_interrupt(fd, C.int(r.Fd())) == 1 {
			m.cancel()
		}
	}()
	return m, nil
}

// Context is cancelled once the mission is asked to stop: SIGTERM or
// SIGINT (dugdale's kill and timeout), or Interrupt.
func (m *Mission) Context() context.Context { return m.ctx }

// Interrupt requests an interrupt as if signal sig had been delivered (for
// tests): Context is cancelled shortly after.
func (m *Mission) Interrupt(sig syscall.Signal) error {
	var cerr *C.letts_error
	return toError(C.letts_mission_interrupt(m.h, C.int(sig), &cerr), cerr)
}

// Interrupted is the signal number of the first interrupt, 0 when none.
func (m *Mission) Interrupted() int { return int(C.letts_mission_interrupted(m.h)) }

// Standalone reports whether the mission runs outside dugdale.
func (m *Mission) Standalone() bool { return C.letts_mission_is_standalone(m.h) != 0 }

// ID is the mission id ("" standalone).
func (m *Mission) ID() string { return goString(C.letts_mission_id(m.h)) }

// Lane is the lane ("" standalone or unset).
func (m *Mission) Lane() string { return goString(C.letts_mission_lane(m.h)) }

// Workdir is the work directory (outputs live in its out/ folder).
func (m *Mission) Workdir() string { return goString(C.letts_mission_workdir(m.h)) }

// Tmpdir is a directory for scratch files.
func (m *Mission) Tmpdir() string { return goString(C.letts_mission_tmpdir(m.h)) }

func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// InputJSON is the whole input as JSON text.
func (m *Mission) InputJSON() json.RawMessage {
	return json.RawMessage(goString(C.letts_mission_input_json(m.h)))
}

// Input unmarshals the whole input into v.
func (m *Mission) Input(v any) error { return json.Unmarshal(m.InputJSON(), v) }

// Has reports whether path (dot path, e.g. "options.size") exists in the
// input, also when its value is null.
func (m *Mission) Has(path string) bool {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	return C.letts_mission_input_has(m.h, cp) != 0
}

// Lookup unmarshals the value at path into v; an absent path is an error
// satisfying errors.Is(err, letts.ErrNotFound).
func (m *Mission) Lookup(path string, v any) error {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var out *C.char
	var cerr *C.letts_error
	if err := toError(C.letts_mission_input_lookup(m.h, cp, &out, &cerr), cerr); err != nil {
		return err
	}
	defer C.letts_free(unsafe.Pointer(out))
	return json.Unmarshal([]byte(C.GoString(out)), v)
}

// String is the string at path, def when absent or null; an error when
// the value is not a string.
func (m *Mission) String(path, def string) (string, error) {
	cp, cdef := C.CString(path), C.CString(def)
	defer C.free(unsafe.Pointer(cp))
	defer C.free(unsafe.Pointer(cdef))
	var out *C.char
	var n C.size_t
	var cerr *C.letts_error
	if err := toError(C.letts_mission_input_string(m.h, cp, cdef, &out, &n, &cerr), cerr); err != nil {
		return def, err
	}
	return C.GoStringN(out, C.int(n)), nil
}

// Int is the integer at path, def when absent or null.
func (m *Mission) Int(path string, def int64) (int64, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var out C.int64_t
	var cerr *C.letts_error
	if err := toError(C.letts_mission_input_int(m.h, cp, C.int64_t(def), &out, &cerr), cerr); err != nil {
		return def, err
	}
	return int64(out), nil
}

// Float is the number at path, def when absent or null.
func (m *Mission) Float(path string, def float64) (float64, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var out C.double
	var cerr *C.letts_error
	if err := toError(C.letts_mission_input_double(m.h, cp, C.double(def), &out, &cerr), cerr); err != nil {
		return def, err
	}
	return float64(out), nil
}

// Bool is the boolean at path, def when absent or null.
func (m *Mission) Bool(path string, def bool) (bool, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	cdef := C.int(0)
	if def {
		cdef = 1
	}
	var out C.int
	var cerr *C.letts_error
	if err := toError(C.letts_mission_input_bool(m.h, cp, cdef, &out, &cerr), cerr); err != nil {
		return def, err
	}
	return out != 0, nil
}

// FileRoles are the roles of the input files.
func (m *Mission) FileRoles() ([]string, error) {
	var list *C.letts_string_list
	var cerr *C.letts_error
	if err := toError(C.letts_mission_file_roles(m.h, &list, &cerr), cerr); err != nil {
		return nil, err
	}
	defer C.letts_string_list_free(list)
	roles := make([]string, int(C.letts_string_list_count(list)))
	for i := range roles {
		roles[i] = C.GoString(C.letts_string_list_get(list, C.size_t(i)))
	}
	return roles, nil
}

// FilePath is the path of the input file with role.
func (m *Mission) FilePath(role string) (string, error) {
	cr := C.CString(role)
	defer C.free(unsafe.Pointer(cr))
	var out *C.char
	var cerr *C.letts_error
	if err := toError(C.letts_mission_file_path(m.h, cr, &out, &cerr), cerr); err != nil {
		return "", err
	}
	return C.GoString(out), nil
}

// FileSize is the announced size of the input file with role.
func (m *Mission) FileSize(role string) (uint64, error) {
	cr := C.CString(role)
	defer C.free(unsafe.Pointer(cr))
	var out C.uint64_t
	var cerr *C.letts_error
	if err := toError(C.letts_mission_file_size(m.h, cr, &out, &cerr), cerr); err != nil {
		return 0, err
	}
	return uint64(out), nil
}

// FileSHA256 is the announced lowercase hex sha256 of the input file with role.
func (m *Mission) FileSHA256(role string) (string, error) {
	cr := C.CString(role)
	defer C.free(unsafe.Pointer(cr))
	var out *C.char
	var cerr *C.letts_error
	if err := toError(C.letts_mission_file_sha256(m.h, cr, &out, &cerr), cerr); err != nil {
		return "", err
	}
	return C.GoString(out), nil
}

// OpenFile opens the input file with role for reading.
func (m *Mission) OpenFile(role string) (*os.File, error) {
	path, err := m.FilePath(role)
	if err != nil {
		return nil, err
	}
	return os.Open(path)
}

// Progress reports progress: a value (normally 0 to 1) and a message
// ("" for none). dugdale keeps about 50 events per second.
func (m *Mission) Progress(value float64, message string) error {
	var cm *C.char
	if message != "" {
		cm = C.CString(message)
		defer C.free(unsafe.Pointer(cm))
	}
	var cerr *C.letts_error
	return toError(C.letts_mission_progress(m.h, C.double(value), cm, &cerr), cerr)
}

// ProgressMessage reports progress with a message and no value.
func (m *Mission) ProgressMessage(message string) error {
	cm := C.CString(message)
	defer C.free(unsafe.Pointer(cm))
	var cerr *C.letts_error
	return toError(C.letts_mission_progress_message(m.h, cm, &cerr), cerr)
}

// OutputPath is where output key must be written (<workdir>/out/<key>);
// the out/ folder is created. Register the output with RegisterOutput.
func (m *Mission) OutputPath(key string) (string, error) {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	var out *C.char
	var cerr *C.letts_error
	if err := toError(C.letts_mission_output_path(m.h, ck, &out, &cerr), cerr); err != nil {
		return "", err
	}
	return C.GoString(out), nil
}

// RegisterOutput declares <workdir>/out/<key> an output of the mission;
// dugdale collects it when the mission succeeds.
func (m *Mission) RegisterOutput(key string) error {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	var cerr *C.letts_error
	return toError(C.letts_mission_output_register(m.h, ck, &cerr), cerr)
}

// Success reports success with ret (marshalled with encoding/json; must be
// an object or nil) as the return value. At most one of Success and Fail
// is ever written.
func (m *Mission) Success(ret any) error {
	var cret *C.char
	if ret != nil {
		data, err := json.Marshal(ret)
		if err != nil {
			return &letts.Error{Status: letts.StatusInvalidArgument, Message: "mission return: " + err.Error()}
		}
		cret = C.CString(string(data))
		defer C.free(unsafe.Pointer(cret))
	}
	var cerr *C.letts_error
	return toError(C.letts_mission_success(m.h, cret, &cerr), cerr)
}

// Fail reports failure: message for people, reason for machines
// (fail_reason), details (marshalled; may be nil) and the exit code the
// process will end with (0 becomes 1).
func (m *Mission) Fail(message, reason string, details any, exitCode int) error {
	cm, cr := C.CString(message), C.CString(reason)
	defer C.free(unsafe.Pointer(cm))
	defer C.free(unsafe.Pointer(cr))
	var cd *C.char
	if details != nil {
		data, err := json.Marshal(details)
		if err != nil {
			return &letts.Error{Status: letts.StatusInvalidArgument, Message: "fail details: " + err.Error()}
		}
		cd = C.CString(string(data))
		defer C.free(unsafe.Pointer(cd))
	}
	var cerr *C.letts_error
	return toError(C.letts_mission_fail(m.h, cm, cr, cd, C.int(exitCode), &cerr), cerr)
}

// Ended reports whether Success or Fail was written.
func (m *Mission) Ended() bool { return C.letts_mission_ended(m.h) != 0 }

// ExitCode is the status the process should end with: 0 after success or
// when nothing was reported, the fail exit code after Fail.
func (m *Mission) ExitCode() int { return int(C.letts_mission_exit_code(m.h)) }

// Close stops the signal forwarding and releases the runtime (closing
// fd 3). It writes nothing. Idempotent.
func (m *Mission) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h == nil {
		return
	}
	signal.Stop(m.signals)
	close(m.signals)
	m.stopW.Close()
	m.watcher.Wait()
	m.stopR.Close()
	m.cancel()
	C.letts_mission_free(m.h)
	m.h = nil
}

// Exit closes the mission, flushes C's stdio and ends the process with
// ExitCode.
func (m *Mission) Exit() {
	code := m.ExitCode()
	m.Close()
	C.fflush(nil)
	os.Exit(code)
}
