package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"sort"
	"time"
)

// Job is one piece of work to launch: the mission, where it goes (exactly
// one of Route, Host or Match; Host and Match need a Lane; none of them
// uses the client's WithMatch filter or selector.match of letts.yaml), its
// input, its input files and limits.
type Job struct {
	// Mission is the mission name (required).
	Mission string
	// Route is a route of letts.yaml (gives dugdale and lane).
	Route string
	// Host is a dugdale id or alias.
	Host string
	// Lane is the lane (ignored with a Route).
	Lane string
	// Match addresses by labels: one of the dugdales carrying all of them
	// and declaring Lane is picked at random.
	Match []string
	// Input is the mission input, marshalled with encoding/json; it must
	// encode to a JSON object. nil sends {}. A json.RawMessage is sent as is.
	Input any
	// Files maps roles to local paths staged before the dispatch (hashed,
	// uploaded resumably, streamed from disk).
	Files map[string]string
	// Timeout is the mission's time limit on the daemon; 0 is none.
	Timeout time.Duration
	// MissionID is the idempotency key; "" gives a fresh UUIDv7 per launch.
	MissionID string
	// Unique derives the mission id from a key and a time window (see
	// Unique); nil is none. Not together with MissionID.
	Unique *Unique
}

// cJob builds the letts_job of j; free it with C.letts_job_free.
func (j *Job) cJob() (*C.letts_job, error) {
	mission := C.CString(j.Mission)
	defer freeC(mission)
	var job *C.letts_job
	var cerr *C.letts_error
	if st := C.letts_job_new(&job, mission, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	fail := func(st C.letts_status) error {
		C.letts_job_free(job)
		return errorFrom(nil, st, cerr)
	}
	setString := func(setter func(*C.letts_job, *C.char, **C.letts_error) C.letts_status, v string) C.letts_status {
		if v == "" {
			return C.LETTS_OK
		}
		cs := C.CString(v)
		defer freeC(cs)
		return setter(job, cs, &cerr)
	}
	for _, s := range []struct {
		set func(*C.letts_job, *C.char, **C.letts_error) C.letts_status
		v   string
	}{
		{func(j *C.letts_job, v *C.char, e **C.letts_error) C.letts_status {
			return C.letts_job_set_route(j, v, e)
		}, j.Route},
		{func(j *C.letts_job, v *C.char, e **C.letts_error) C.letts_status {
			return C.letts_job_set_host(j, v, e)
		}, j.Host},
		{func(j *C.letts_job, v *C.char, e **C.letts_error) C.letts_status {
			return C.letts_job_set_lane(j, v, e)
		}, j.Lane},
		{func(j *C.letts_job, v *C.char, e **C.letts_error) C.letts_status {
			return C.letts_job_set_mission_id(j, v, e)
		}, j.MissionID},
	} {
		if st := setString(s.set, s.v); st != C.LETTS_OK {
			return nil, fail(st)
		}
	}
	if len(j.Match) > 0 {
		arr := newCStringArray(j.Match)
		st := C.letts_job_set_match(job, arr.ptr, arr.n, &cerr)
		arr.free()
		if st != C.LETTS_OK {
			return nil, fail(st)
		}
	}
	if j.Input != nil {
		data, err := json.Marshal(j.Input)
		if err != nil {
			C.letts_job_free(job)
			return nil, &Error{Status: StatusInvalidArgument, Message: "job input: " + err.Error()}
		}
		cs := C.CString(string(data))
		st := C.letts_job_set_input_json(job, cs, &cerr)
		freeC(cs)
		if st != C.LETTS_OK {
			return nil, fail(st)
		}
	}
	roles := make([]string, 0, len(j.Files))
	for role := range j.Files {
		roles = append(roles, role)
	}
	sort.Strings(roles) // staged in a stable order
	for _, role := range roles {
		crole, cpath := C.CString(role), C.CString(j.Files[role])
		st := C.letts_job_add_file(job, crole, cpath, &cerr)
		freeC(crole)
		freeC(cpath)
		if st != C.LETTS_OK {
			return nil, fail(st)
		}
	}
	if st, err := setUnique(job, j.Unique, &cerr); err != nil {
		C.letts_job_free(job)
		return nil, err
	} else if st != C.LETTS_OK {
		return nil, fail(st)
	}
	if j.Timeout != 0 {
		if st := C.letts_job_set_timeout_ms(job, durationMS(j.Timeout), &cerr); st != C.LETTS_OK {
			return nil, fail(st)
		}
	}
	return job, nil
}

// Dispatch launches job and returns its mission id without waiting:
// addressing, staging of the input files, then the dispatch request
// (retried on network errors and 5xx).
func (c *Client) Dispatch(ctx context.Context, job Job) (string, error) {
	cj, err := job.cJob()
	if err != nil {
		return "", err
	}
	defer C.letts_job_free(cj)
	var id *C.char
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_dispatch(h, cj, &id, cerr)
	})
	return takeString(id), err
}

// TryDispatch is Dispatch for callers that only log failures: a failed
// launch returns ok false and a nil error after the failure observer (see
// WithFailureObserver) was told. An error is returned only for invalid
// arguments and cancellation.
func (c *Client) TryDispatch(ctx context.Context, job Job) (missionID string, ok bool, err error) {
	cj, err := job.cJob()
	if err != nil {
		return "", false, err
	}
	defer C.letts_job_free(cj)
	var id *C.char
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_try_dispatch(h, cj, &id, cerr)
	})
	if err == nil && id == nil && ctx.Err() != nil {
		// A cancel is swallowed as a launch failure by libletts; report it.
		return "", false, contextError(ctx)
	}
	missionID = takeString(id)
	return missionID, missionID != "", err
}
