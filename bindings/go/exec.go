package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"io"
	"time"
	"unsafe"
)

// ExecFile is an `in` file of an exec: the local file at Path, staged
// before the dispatch, reaches the process as $LETTS_IN_<Key>.
type ExecFile struct {
	Key, Path string
}

// ExecSpec describes an exec (letts/exec.h): an argv run verbatim on a
// lane of a dugdale, with files the client stages first. Host, Lane and
// Command are required.
type ExecSpec struct {
	Host, Lane string
	// Command is the argv (no shell, no expansion).
	Command []string
	// ScriptFile is a local script, staged and materialised as script/script.
	ScriptFile string
	// In are the staged input files, in order.
	In []ExecFile
	// Out are the keys of the files the process leaves as out/<key>.
	Out []string
	// Stdin is the process's standard input (staged); StdinFile a local
	// file to use instead. Empty: none.
	Stdin     []byte
	StdinFile string
	// Timeout is the exec's time limit on the daemon; 0 is none.
	Timeout time.Duration
	// GroupID (a UUIDv7) and DisplayName are stored with the exec.
	GroupID, DisplayName string
	// ExecID is the idempotency key; "" gives a fresh UUIDv7 per dispatch.
	ExecID string
}

func (s *ExecSpec) cSpec() (*C.letts_exec_spec, error) {
	var spec *C.letts_exec_spec
	var cerr *C.letts_error
	if st := C.letts_exec_spec_new(&spec, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	st := C.letts_status(C.LETTS_OK)
	str := func(v string, set func(*C.char) C.letts_status) {
		if st != C.LETTS_OK || v == "" {
			return
		}
		cs := C.CString(v)
		defer freeC(cs)
		st = set(cs)
	}
	str(s.Host, func(v *C.char) C.letts_status { return C.letts_exec_spec_set_host(spec, v, &cerr) })
	str(s.Lane, func(v *C.char) C.letts_status { return C.letts_exec_spec_set_lane(spec, v, &cerr) })
	str(s.ScriptFile, func(v *C.char) C.letts_status { return C.letts_exec_spec_set_script_file(spec, v, &cerr) })
	str(s.StdinFile, func(v *C.char) C.letts_status { return C.letts_exec_spec_set_stdin_file(spec, v, &cerr) })
	str(s.GroupID, func(v *C.char) C.letts_status { return C.letts_exec_spec_set_group_id(spec, v, &cerr) })
	str(s.DisplayName, func(v *C.char) C.letts_status { return C.letts_exec_spec_set_display_name(spec, v, &cerr) })
	str(s.ExecID, func(v *C.char) C.letts_status { return C.letts_exec_spec_set_exec_id(spec, v, &cerr) })
	if st == C.LETTS_OK {
		argv := newCStringArray(s.Command)
		st = C.letts_exec_spec_set_command(spec, argv.ptr, argv.n, &cerr)
		argv.free()
	}
	for _, f := range s.In {
		if st != C.LETTS_OK {
			break
		}
		key, path := cStringAlways(f.Key), cStringAlways(f.Path)
		st = C.letts_exec_spec_add_input_file(spec, key, path, &cerr)
		freeC(key)
		freeC(path)
	}
	for _, key := range s.Out {
		str(key, func(v *C.char) C.letts_status { return C.letts_exec_spec_add_output(spec, v, &cerr) })
	}
	if st == C.LETTS_OK && len(s.Stdin) > 0 {
		data := C.CBytes(s.Stdin)
		st = C.letts_exec_spec_set_stdin(spec, (*C.char)(data), C.size_t(len(s.Stdin)), &cerr)
		C.free(unsafe.Pointer(data))
	}
	if st == C.LETTS_OK && s.Timeout != 0 {
		st = C.letts_exec_spec_set_timeout_ms(spec, durationMS(s.Timeout), &cerr)
	}
	if st != C.LETTS_OK {
		C.letts_exec_spec_free(spec)
		return nil, errorFrom(nil, st, cerr)
	}
	return spec, nil
}

// ExecDispatch stages the spec's files and dispatches the exec with the
// exec token (exec_token of the dugdale, else auth.exec_token in
// letts.yaml), retried like Dispatch; it returns the exec id.
func (c *Client) ExecDispatch(ctx context.Context, spec ExecSpec) (string, error) {
	cs, err := spec.cSpec()
	if err != nil {
		return "", err
	}
	defer C.letts_exec_spec_free(cs)
	var id *C.char
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_exec_dispatch(h, cs, &id, cerr)
	})
	if err != nil {
		return "", err
	}
	defer C.letts_free(unsafe.Pointer(id))
	return C.GoString(id), nil
}

// ExecRun dispatches the exec and follows it to its end as Run follows a
// mission (exec token): the result has the exit code, the outcome and the
// outputs (DownloadOutput works on it). A non-zero exit is outcome
// "failed", an error of status StatusMissionFailed carrying the result
// unless WithoutFailureAsError.
func (c *Client) ExecRun(ctx context.Context, spec ExecSpec, opts ...RunOption) (*RunResult, error) {
	cs, err := spec.cSpec()
	if err != nil {
		return nil, err
	}
	defer C.letts_exec_spec_free(cs)
	return c.followCall(ctx, opts, func(h *C.letts_client, o *C.letts_run_options, r **C.letts_run_result, cerr **C.letts_error) C.letts_status {
		return C.letts_client_exec_run(h, cs, o, r, cerr)
	})
}

// ExecWait follows exec execID of host, dispatched earlier, to its result
// (Wait with the exec token).
func (c *Client) ExecWait(ctx context.Context, host, execID string, opts ...RunOption) (*RunResult, error) {
	a := newHostArgs(host, execID)
	defer a.free()
	return c.followCall(ctx, opts, func(h *C.letts_client, o *C.letts_run_options, r **C.letts_run_result, cerr **C.letts_error) C.letts_status {
		return C.letts_client_exec_wait(h, a.host, a.id, o, r, cerr)
	})
}

// ExecGet looks exec id up on host (required) with the exec token; an id
// the daemon does not know is (nil, nil). List, kill, restart and delete
// of execs are the admin calls ListMissions (Kind "exec"), Kill,
// RestartMission and Delete.
func (c *Client) ExecGet(ctx context.Context, host, id string) (*MissionInfo, error) {
	a := newHostArgs(host, id)
	defer a.free()
	var info *C.letts_mission_info
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_exec_get(h, a.host, a.id, &info, cerr)
	})
	if err != nil || info == nil {
		return nil, err
	}
	defer C.letts_mission_info_free(info)
	return missionInfoFrom(info)
}

// ExecFollowEvents hands the events of exec id on host to fn, as
// FollowEvents does for a mission, with the exec token.
func (c *Client) ExecFollowEvents(ctx context.Context, host, id string, from int64, follow bool, fn func(Event) error) error {
	return c.followEvents(ctx, host, id, from, follow, fn, true)
}

// ExecStreamOutput writes the captured output of exec id on host to w, as
// StreamOutput does for a mission, with the exec token.
func (c *Client) ExecStreamOutput(ctx context.Context, host, id, stream string, follow bool, w io.Writer) error {
	return c.streamOutput(ctx, host, id, stream, follow, w, true)
}
