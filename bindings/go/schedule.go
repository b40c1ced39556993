package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime/cgo"
	"strings"
	"sync"
	"time"
)

// CatchUpPolicy says what a step does with the ticks of an entry it finds
// missed (after a pause, a suspended machine or a slow dispatch). The
// values are those of the C ABI (letts_catch_up).
type CatchUpPolicy int

const (
	// CatchUpSkip fires the latest missed tick only when it is at most the
	// grace period late; the others are dropped.
	CatchUpSkip CatchUpPolicy = 0
	// CatchUpOnce fires the latest missed tick, late or not (the default).
	CatchUpOnce CatchUpPolicy = 1
	// CatchUpAll fires every missed tick, oldest first, at most the latest
	// maxFires of them.
	CatchUpAll CatchUpPolicy = 2
)

// ErrScheduleClosed is returned by the methods of a Schedule after Close,
// and by a Step or Run that Close ended.
var ErrScheduleClosed = errors.New("letts: schedule is closed")

// errScheduleBusy answers a call made while a Step or Run of the same
// schedule is in progress: libletts runs a schedule on one thread at a time.
func errScheduleBusy() error {
	return &Error{Status: StatusInvalidArgument,
		Message: "schedule is in use by a Step or Run (use it from one goroutine at a time, and not from its OnDispatch function)"}
}

// Schedule is a set of named entries, each firing on a cron expression or a
// fixed interval and dispatching a job per tick (libletts letts/schedule.h).
// Every tick is dispatched with the mission id TickID(entry, tick), so the
// same schedule run by any number of schedulers — goroutines, processes,
// machines — dispatches each tick exactly once: the daemon answers the
// others with a replay of the same mission. Entry names are therefore
// global identities; schedules that must not share ticks need different
// names.
//
// A Schedule carries its run state (the last tick handled per entry): use it
// from one goroutine at a time, one Schedule per scheduler; the *Client it
// dispatches through may be shared. A call made while a Step or Run is in
// progress fails with StatusInvalidArgument, except Close and FD. The
// Schedule owns its C object, its timer descriptor and the function given to
// OnDispatch; Close releases them.
type Schedule struct {
	mu       sync.Mutex
	h        *C.letts_schedule
	dispatch cgo.Handle // the OnDispatch function; 0 when none
	clock    cgo.Handle // the test-only clock; 0 when none
	busy     bool       // a Step or Run is in progress
	stopBusy func()     // ends the Step or Run in progress
	// The cancel object of the Step or Run in progress, triggered by Close
	// at once: on the goroutine of the Run (from the dispatch function) no
	// watcher would trigger it before the next tick's dispatch.
	cancel *C.letts_cancel
	closed bool
}

// NewSchedule creates an empty schedule. Close it when done.
func NewSchedule() (*Schedule, error) {
	var h *C.letts_schedule
	var cerr *C.letts_error
	if st := C.letts_schedule_new(&h, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	return &Schedule{h: h}, nil
}

// Close releases the schedule and the OnDispatch function. A Step or Run in
// progress (on another goroutine, or the one whose OnDispatch function calls
// Close) is cancelled and returns ErrScheduleClosed; the schedule is
// released when it has returned. Close is idempotent.
func (s *Schedule) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.busy {
		s.stopBusy()
		if s.cancel != nil {
			C.letts_cancel_trigger(s.cancel)
		}
		return nil
	}
	s.release()
	return nil
}

// release frees what the schedule owns (s.mu held; nothing in progress).
func (s *Schedule) release() {
	C.letts_schedule_free(s.h)
	s.h = nil
	deleteHandle(&s.dispatch)
	deleteHandle(&s.clock)
}

func deleteHandle(h *cgo.Handle) {
	if *h != 0 {
		h.Delete()
		*h = 0
	}
}

// configure runs op with the C schedule unless it is closed or busy.
func (s *Schedule) configure(op func(h *C.letts_schedule, cerr **C.letts_error) C.letts_status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrScheduleClosed
	}
	if s.busy {
		return errScheduleBusy()
	}
	var cerr *C.letts_error
	return errorFrom(nil, op(s.h, &cerr), cerr)
}

// checkCText refuses what a C string cannot carry unchanged.
func checkCText(what, s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return &Error{Status: StatusInvalidArgument, Message: what + " must not contain a NUL byte"}
	}
	return nil
}

// scheduledJob builds the C job of an entry: the mission id is the tick's,
// so a job that names one (MissionID or Unique) is refused rather than
// silently overridden.
func scheduledJob(job *Job) (*C.letts_job, error) {
	if job.MissionID != "" || job.Unique != nil {
		return nil, &Error{Status: StatusInvalidArgument,
			Message: "a scheduled job must not set MissionID or Unique: each tick's mission id is TickID(entry, tick)"}
	}
	return job.cJob()
}

// Add adds entry name firing on spec in timeZone, dispatching job at each
// tick. spec is a 5-field cron expression ("minute hour day-of-month month
// day-of-week", e.g. "0 9 * * MON-FRI"), a macro ("@daily", "@hourly", ...)
// or "@every <Go duration>" (whole milliseconds). timeZone is an IANA name
// ("Europe/Berlin"); "" is UTC. The schedule keeps a copy of job, whose
// MissionID and Unique must be unset. A bad expression is an error of
// StatusInvalidArgument whose message names the field and its text; so are
// an unknown zone and a name already in the schedule.
func (s *Schedule) Add(name, spec, timeZone string, job Job) error {
	for _, t := range []struct{ what, text string }{{"entry name", name}, {"schedule spec", spec}, {"time zone", timeZone}} {
		if err := checkCText(t.what, t.text); err != nil {
			return err
		}
	}
	cj, err := scheduledJob(&job)
	if err != nil {
		return err
	}
	defer C.letts_job_free(cj)
	cname, cspec, czone := C.CString(name), C.CString(spec), cString(timeZone)
	defer freeC(cname)
	defer freeC(cspec)
	defer freeC(czone)
	return s.configure(func(h *C.letts_schedule, cerr **C.letts_error) C.letts_status {
		return C.letts_schedule_add(h, cname, cspec, czone, cj, cerr)
	})
}

// AddInterval adds entry name firing every interval (positive, whole
// milliseconds), dispatching job. Interval ticks are the multiples of
// interval since the Unix epoch, so all schedulers agree on them without
// talking. Otherwise as Add.
func (s *Schedule) AddInterval(name string, interval time.Duration, job Job) error {
	if err := checkCText("entry name", name); err != nil {
		return err
	}
	if interval <= 0 || interval%time.Millisecond != 0 {
		// Rounding would change the ticks, hence the mission ids, that
		// schedulers of other languages derive from the same interval.
		return &Error{Status: StatusInvalidArgument,
			Message: "schedule interval must be a positive whole number of milliseconds, got " + interval.String()}
	}
	cj, err := scheduledJob(&job)
	if err != nil {
		return err
	}
	defer C.letts_job_free(cj)
	cname := C.CString(name)
	defer freeC(cname)
	return s.configure(func(h *C.letts_schedule, cerr **C.letts_error) C.letts_status {
		return C.letts_schedule_add_interval(h, cname, C.int64_t(interval/time.Millisecond), cj, cerr)
	})
}

// SetCatchUp sets the catch-up policy of every entry: what a step does with
// the ticks in (last step, now]. grace (at least 0) bounds the lateness
// CatchUpSkip accepts; maxFires (at least 1) bounds CatchUpAll. The default
// is CatchUpOnce, grace 1 s, maxFires 100. A scheduler never fires ticks from
// before its first step.
func (s *Schedule) SetCatchUp(policy CatchUpPolicy, grace time.Duration, maxFires int) error {
	return s.configure(func(h *C.letts_schedule, cerr **C.letts_error) C.letts_status {
		return C.letts_schedule_set_catch_up(h, C.letts_catch_up(policy), durationMS(grace), C.int64_t(maxFires), cerr)
	})
}

// OnDispatch calls fn after each dispatched tick — also when the daemon
// answered with a replay because another scheduler dispatched the tick
// first — with the entry name, the tick time and the mission id. fn runs
// during Step or Run, on the goroutine that called it, never concurrently
// with itself; it must not panic and must not call the schedule's methods
// other than Close. nil stops the calls. The schedule holds fn until it is
// replaced or the schedule is closed.
func (s *Schedule) OnDispatch(fn func(entry string, tick time.Time, missionID string)) error {
	return s.swapCallback(&s.dispatch, fn != nil, fn, func(h *C.letts_schedule, handle C.uintptr_t, cerr **C.letts_error) C.letts_status {
		if handle == 0 {
			return C.letts_schedule_set_on_dispatch(h, nil, nil, cerr)
		}
		return C.letts_go_schedule_set_on_dispatch(h, handle, cerr)
	})
}

// setClock replaces the wall clock steps read with now (nil restores it);
// libletts offers it for tests only, so the package exports it to its own
// tests only (export_test.go). The timer descriptor keeps the real clock.
func (s *Schedule) setClock(now func() time.Time) error {
	return s.swapCallback(&s.clock, now != nil, now, func(h *C.letts_schedule, handle C.uintptr_t, cerr **C.letts_error) C.letts_status {
		if handle == 0 {
			return C.letts_schedule_set_clock(h, nil, nil, cerr)
		}
		return C.letts_go_schedule_set_clock(h, handle, cerr)
	})
}

// swapCallback installs fn (when set; install gets handle 0 to clear the
// C callback) and, once libletts has accepted the change and so no longer
// calls the previous function, releases the previous handle kept in slot.
// A refused change releases the new handle instead.
func (s *Schedule) swapCallback(slot *cgo.Handle, set bool, fn any,
	install func(h *C.letts_schedule, handle C.uintptr_t, cerr **C.letts_error) C.letts_status) error {
	var handle cgo.Handle
	if set {
		handle = cgo.NewHandle(fn)
	}
	err := s.configure(func(h *C.letts_schedule, cerr **C.letts_error) C.letts_status {
		st := install(h, C.uintptr_t(handle), cerr)
		if st == C.LETTS_OK {
			deleteHandle(slot)
			*slot = handle
		}
		return st
	})
	if err != nil && handle != 0 {
		handle.Delete()
	}
	return err
}

// Next returns the next n fire times of entry name strictly after after (to
// the millisecond), oldest first. A missing entry is an error of
// StatusNotFound. Cron times are wall-clock times in the entry's zone: a
// time skipped by a DST gap fires once at the end of the gap, a time
// repeated by a DST overlap fires once, at its first occurrence.
func (s *Schedule) Next(name string, after time.Time, n int) ([]time.Time, error) {
	if err := checkCText("entry name", name); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, &Error{Status: StatusInvalidArgument, Message: "schedule Next: n must not be negative"}
	}
	cname := C.CString(name)
	defer freeC(cname)
	ms := make([]C.int64_t, n)
	err := s.configure(func(h *C.letts_schedule, cerr **C.letts_error) C.letts_status {
		var first *C.int64_t
		if n > 0 {
			first = &ms[0]
		}
		return C.letts_schedule_next(h, cname, C.int64_t(after.UnixMilli()), first, C.size_t(n), cerr)
	})
	if err != nil {
		return nil, err
	}
	times := make([]time.Time, n)
	for i, t := range ms {
		times[i] = time.UnixMilli(int64(t))
	}
	return times, nil
}

// TickID is the mission id of entry name's tick at tick (to the
// millisecond): UniqueID(name, time.Millisecond, tick), as every scheduler
// in every language derives it (docs/unique-ids.md). The entry need not
// exist anywhere.
func TickID(name string, tick time.Time) (string, error) {
	if err := checkCText("entry name", name); err != nil {
		return "", err
	}
	cname := C.CString(name)
	defer freeC(cname)
	var out *C.char
	var cerr *C.letts_error
	if st := C.letts_schedule_tick_id(cname, C.int64_t(tick.UnixMilli()), &out, &cerr); st != C.LETTS_OK {
		return "", errorFrom(nil, st, cerr)
	}
	return takeString(out), nil
}

// FD is a descriptor that becomes readable when a tick is due, for callers
// that drive the schedule from their own poll loop with Step instead of
// Run. The schedule owns it (do not close or read it); -1 after Close.
func (s *Schedule) FD() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return -1
	}
	return int(C.letts_schedule_fd(s.h))
}

// begin marks a Step or Run in progress, which stop ends, and returns the
// C schedule: it stays valid until end, as Close only cancels meanwhile.
func (s *Schedule) begin(stop func()) (*C.letts_schedule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrScheduleClosed
	}
	if s.busy {
		return nil, errScheduleBusy()
	}
	s.busy, s.stopBusy = true, stop
	return s.h, nil
}

// end ends what begin started, releasing the schedule when Close came
// meanwhile; err becomes ErrScheduleClosed then.
func (s *Schedule) end(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.busy, s.stopBusy = false, nil
	if s.closed {
		if s.h != nil {
			s.release()
		}
		return ErrScheduleClosed
	}
	return err
}

// setCancel publishes the cancel object of the call in progress for Close.
func (s *Schedule) setCancel(cancel *C.letts_cancel) {
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
}

// drive runs op as a Step or Run of s through client, cancelled by ctx or
// by Close.
func (s *Schedule) drive(ctx context.Context, client *Client,
	op func(sh *C.letts_schedule, ch *C.letts_client, cancel *C.letts_cancel, cerr **C.letts_error) C.letts_status) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	sh, err := s.begin(stop)
	if err != nil {
		return err
	}
	err = client.callCancellable(ctx, func(ch *C.letts_client, cancel *C.letts_cancel, cerr **C.letts_error) C.letts_status {
		s.setCancel(cancel)
		defer s.setCancel(nil) // the cancel object is freed after op
		return op(sh, ch, cancel, cerr)
	})
	return s.end(err)
}

// Step dispatches through client what is due now, per the catch-up policy,
// and re-arms FD; call it whenever FD is readable (the first call starts
// the schedule: ticks before it are never fired). A failed dispatch returns
// its error; the ticks of that entry are retried by the next Step, with the
// same mission ids. Cancelling ctx cancels a dispatch in progress, as for
// the other blocking calls of the package.
func (s *Schedule) Step(ctx context.Context, client *Client) error {
	return s.drive(ctx, client, func(sh *C.letts_schedule, ch *C.letts_client, _ *C.letts_cancel, cerr **C.letts_error) C.letts_status {
		return C.letts_schedule_step(sh, ch, cerr)
	})
}

// Run runs the schedule on the calling goroutine, dispatching through
// client, until ctx is done or the schedule is closed. It returns the first
// dispatch error; when ctx ends it, a *Error of StatusCancelled for which
// errors.Is(err, context.Canceled) (or context.DeadlineExceeded) holds, as
// every blocking call of the package; ErrScheduleClosed when Close ends it.
// A dispatch in progress is cancelled too. Run never returns nil.
func (s *Schedule) Run(ctx context.Context, client *Client) error {
	return s.drive(ctx, client, func(sh *C.letts_schedule, ch *C.letts_client, cancel *C.letts_cancel, cerr **C.letts_error) C.letts_status {
		return C.letts_schedule_run(sh, ch, cancel, cerr)
	})
}
