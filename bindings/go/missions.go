package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"io"
	"runtime/cgo"
	"time"
)

// InputFile is an input file of a mission as the daemon records it.
type InputFile struct {
	Role      string `json:"role"`       // the role it was staged under
	StagingID string `json:"staging_id"` // its staging id on the dugdale
	SHA256    string `json:"sha256"`     // lowercase hex sha256
	Size      int64  `json:"size"`       // size in bytes
}

// MissionInfo is a mission resource (GET /v1/missions/{id}). Times are
// Unix milliseconds (0 when unknown); Raw is the whole document.
type MissionInfo struct {
	MissionID        string            `json:"mission_id"`                  // the mission id
	Kind             string            `json:"kind"`                        // "mission" or "exec"
	Lane             string            `json:"lane"`                        // the lane
	MissionName      string            `json:"mission_name"`                // the mission name
	DisplayName      string            `json:"display_name,omitempty"`      // display name, if any
	GroupID          string            `json:"group_id,omitempty"`          // exec group id, if any
	Status           string            `json:"status"`                      // "queued", "running", "done", "deleting"
	Outcome          string            `json:"outcome,omitempty"`           // outcome once done
	ExitCode         *int64            `json:"exit_code,omitempty"`         // exit status, nil when unknown
	Signal           string            `json:"signal,omitempty"`            // terminating signal, if any
	FailReason       string            `json:"fail_reason,omitempty"`       // machine reason of a failure
	FailMessage      string            `json:"fail_message,omitempty"`      // human text of a failure
	FailDetails      json.RawMessage   `json:"fail_details,omitempty"`      // details of a failure
	Return           json.RawMessage   `json:"return,omitempty"`            // return value, if any
	Input            json.RawMessage   `json:"input,omitempty"`             // the input as dispatched
	InputFingerprint string            `json:"input_fingerprint,omitempty"` // hash of the dispatch payload
	PID              int64             `json:"pid,omitempty"`               // process id while it ran
	TimeCreated      int64             `json:"time_created"`                // Unix ms
	TimeStarted      int64             `json:"time_started,omitempty"`      // Unix ms
	TimeFinished     int64             `json:"time_finished,omitempty"`     // Unix ms
	DurationMS       int64             `json:"duration_ms,omitempty"`       // run time in ms
	TimeoutMS        int64             `json:"timeout_ms,omitempty"`        // time limit in ms, 0 none
	TruncatedStdout  bool              `json:"truncated_stdout"`            // stdout capture was cut
	TruncatedStderr  bool              `json:"truncated_stderr"`            // stderr capture was cut
	RestartedFrom    string            `json:"restarted_from,omitempty"`    // id it was restarted from
	Inputs           []InputFile       `json:"inputs,omitempty"`            // input files
	Outputs          map[string]Output `json:"outputs,omitempty"`           // output files by role
	Raw              json.RawMessage   `json:"-"`                           // the whole document
}

func missionInfoFrom(info *C.letts_mission_info) (*MissionInfo, error) {
	raw := rawJSON(C.letts_mission_info_json(info))
	m := &MissionInfo{Raw: raw}
	if err := json.Unmarshal(raw, m); err != nil {
		return nil, &Error{Status: StatusDispatch, Message: "mission resource: " + err.Error()}
	}
	for role, o := range m.Outputs {
		o.Role = role
		m.Outputs[role] = o
	}
	return m, nil
}

// GetMission looks mission id up on host; with host "" every configured
// dugdale is asked and the first (in file order) that knows it wins. A
// mission no dugdale knows is (nil, nil).
func (c *Client) GetMission(ctx context.Context, host, id string) (*MissionInfo, error) {
	a := newHostArgs(host, id)
	defer a.free()
	var info *C.letts_mission_info
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_get_mission(h, a.host, a.id, &info, cerr)
	})
	if err != nil || info == nil {
		return nil, err
	}
	defer C.letts_mission_info_free(info)
	return missionInfoFrom(info)
}

// ListFilter selects missions for ListMissions; zero fields are not sent.
type ListFilter struct {
	Status        string    // "queued", "running", "done", "deleting"
	Outcome       string    // "success", "failed", ...
	Lane          string    // exact lane
	Mission       string    // substring of the mission name
	MissionPrefix string    // prefix of the mission name
	Kind          string    // "mission" or "exec"
	GroupID       string    // exec group id
	Order         string    // "created" (default) or "finished"
	Since         time.Time // created at or after
	Until         time.Time // created before
	Limit         int       // rows per page
	Cursor        string    // NextCursor of the previous page
}

func (f *ListFilter) cFilter() (*C.letts_list_filter, error) {
	var o *C.letts_list_filter
	var cerr *C.letts_error
	if st := C.letts_list_filter_new(&o, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	st := C.letts_status(C.LETTS_OK)
	str := func(v string, set func(*C.char) C.letts_status) {
		if st != C.LETTS_OK || v == "" {
			return
		}
		cs := C.CString(v)
		st = set(cs)
		freeC(cs)
	}
	str(f.Status, func(v *C.char) C.letts_status { return C.letts_list_filter_set_status(o, v, &cerr) })
	str(f.Outcome, func(v *C.char) C.letts_status { return C.letts_list_filter_set_outcome(o, v, &cerr) })
	str(f.Lane, func(v *C.char) C.letts_status { return C.letts_list_filter_set_lane(o, v, &cerr) })
	str(f.Mission, func(v *C.char) C.letts_status { return C.letts_list_filter_set_mission(o, v, &cerr) })
	str(f.MissionPrefix, func(v *C.char) C.letts_status { return C.letts_list_filter_set_mission_prefix(o, v, &cerr) })
	str(f.Kind, func(v *C.char) C.letts_status { return C.letts_list_filter_set_kind(o, v, &cerr) })
	str(f.GroupID, func(v *C.char) C.letts_status { return C.letts_list_filter_set_group_id(o, v, &cerr) })
	str(f.Order, func(v *C.char) C.letts_status { return C.letts_list_filter_set_order(o, v, &cerr) })
	str(f.Cursor, func(v *C.char) C.letts_status { return C.letts_list_filter_set_cursor(o, v, &cerr) })
	if st == C.LETTS_OK && !f.Since.IsZero() {
		st = C.letts_list_filter_set_since_ms(o, C.int64_t(f.Since.UnixMilli()), &cerr)
	}
	if st == C.LETTS_OK && !f.Until.IsZero() {
		st = C.letts_list_filter_set_until_ms(o, C.int64_t(f.Until.UnixMilli()), &cerr)
	}
	if st == C.LETTS_OK && f.Limit != 0 {
		st = C.letts_list_filter_set_limit(o, C.int(f.Limit), &cerr)
	}
	if st != C.LETTS_OK {
		C.letts_list_filter_free(o)
		return nil, errorFrom(nil, st, cerr)
	}
	return o, nil
}

// MissionPage is one page of ListMissionsPage.
type MissionPage struct {
	// Missions are the missions of the page.
	Missions []*MissionInfo
	// NextCursor continues with the next page ("" on the last one).
	NextCursor string
}

// ListMissionsPage returns one page of the missions of host matching
// filter (admin token). Put NextCursor into filter.Cursor for the next.
func (c *Client) ListMissionsPage(ctx context.Context, host string, filter ListFilter) (*MissionPage, error) {
	cf, err := filter.cFilter()
	if err != nil {
		return nil, err
	}
	defer C.letts_list_filter_free(cf)
	chost := cString(host)
	defer freeC(chost)
	var list *C.letts_mission_list
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_list_missions(h, chost, cf, &list, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_mission_list_free(list)
	page := &MissionPage{NextCursor: goStringOpt(C.letts_mission_list_next_cursor(list))}
	n := int(C.letts_mission_list_count(list))
	for i := 0; i < n; i++ {
		m, err := missionInfoFrom(C.letts_mission_list_get(list, C.size_t(i)))
		if err != nil {
			return nil, err
		}
		page.Missions = append(page.Missions, m)
	}
	return page, nil
}

// MissionIterator walks the missions of ListMissions page by page:
//
//	it := client.ListMissions(host, letts.ListFilter{Lane: "default"})
//	for it.Next(ctx) {
//		m := it.Mission()
//	}
//	if err := it.Err(); err != nil { ... }
type MissionIterator struct {
	c      *Client
	host   string
	filter ListFilter
	page   []*MissionInfo
	cur    *MissionInfo
	done   bool
	err    error
}

// ListMissions returns an iterator over every mission of host matching
// filter, fetching pages (filter.Limit rows each) as it goes.
func (c *Client) ListMissions(host string, filter ListFilter) *MissionIterator {
	return &MissionIterator{c: c, host: host, filter: filter}
}

// Next advances to the next mission, fetching the next page when needed;
// false at the end or on an error (see Err).
func (it *MissionIterator) Next(ctx context.Context) bool {
	for len(it.page) == 0 {
		if it.done || it.err != nil {
			it.cur = nil
			return false
		}
		page, err := it.c.ListMissionsPage(ctx, it.host, it.filter)
		if err != nil {
			it.err = err
			continue
		}
		it.page = page.Missions
		it.filter.Cursor = page.NextCursor
		it.done = page.NextCursor == ""
	}
	it.cur, it.page = it.page[0], it.page[1:]
	return true
}

// Mission is the current mission (after a Next that returned true).
func (it *MissionIterator) Mission() *MissionInfo { return it.cur }

// Err is the error that ended the iteration, if any.
func (it *MissionIterator) Err() error { return it.err }

// Kill asks host to kill mission id with signal ("" is "TERM"). Never
// retried. ErrConflict when the mission already ended.
func (c *Client) Kill(ctx context.Context, host, id, signal string) error {
	a := newHostArgs(host, id)
	defer a.free()
	csig := cString(signal)
	defer freeC(csig)
	return c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_kill(h, a.host, a.id, csig, cerr)
	})
}

// Restart starts finished mission id of host again as a new mission and
// returns the new id. Never retried.
func (c *Client) Restart(ctx context.Context, host, id string) (string, error) {
	a := newHostArgs(host, id)
	defer a.free()
	var out *C.char
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_restart(h, a.host, a.id, &out, cerr)
	})
	return takeString(out), err
}

// Delete deletes mission id of host; force also deletes a running mission
// (after killing it), else that is ErrConflict.
func (c *Client) Delete(ctx context.Context, host, id string, force bool) error {
	a := newHostArgs(host, id)
	defer a.free()
	return c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_delete(h, a.host, a.id, boolInt(force), cerr)
	})
}

// Event is one event of a mission's event stream.
type Event struct {
	// Seq is the event's sequence number.
	Seq int64 `json:"seq"`
	// Event is its type: "progress", "output_file", "done", ...
	Event string `json:"event"`
	// Raw is the whole event line.
	Raw json.RawMessage `json:"-"`
}

// bytesState is what the event and output trampolines find behind their
// handle: the Go function to call and the first error it returned.
type bytesState struct {
	fn  func([]byte) error
	err error
}

func (c *Client) streamCall(ctx context.Context, fn func([]byte) error,
	op func(h *C.letts_client, handle C.uintptr_t, cerr **C.letts_error) C.letts_status) error {
	state := &bytesState{fn: fn}
	handle := cgo.NewHandle(state)
	defer handle.Delete()
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return op(h, C.uintptr_t(handle), cerr)
	})
	if state.err != nil {
		return state.err // the handler's own error stopped the stream
	}
	return err
}

// FollowEvents hands the events of mission id on host with seq > from to
// fn, in order, on the calling goroutine. With follow it tails the stream
// to the done event (reconnecting), else it reads the events so far once.
// An error returned by fn stops the stream and is returned.
func (c *Client) FollowEvents(ctx context.Context, host, id string, from int64, follow bool, fn func(Event) error) error {
	return c.followEvents(ctx, host, id, from, follow, fn, false)
}

// followEvents is FollowEvents, or ExecFollowEvents (exec token) with exec.
func (c *Client) followEvents(ctx context.Context, host, id string, from int64, follow bool, fn func(Event) error, exec bool) error {
	a := newHostArgs(host, id)
	defer a.free()
	handler := func(line []byte) error {
		ev := Event{Raw: json.RawMessage(line)}
		if err := json.Unmarshal(line, &ev); err != nil {
			return &Error{Status: StatusDispatch, Message: "event of " + id + ": " + err.Error()}
		}
		return fn(ev)
	}
	return c.streamCall(ctx, handler, func(h *C.letts_client, handle C.uintptr_t, cerr **C.letts_error) C.letts_status {
		if exec {
			return C.letts_go_exec_follow_events(h, a.host, a.id, C.int64_t(from), boolInt(follow), handle, cerr)
		}
		return C.letts_go_follow_events(h, a.host, a.id, C.int64_t(from), boolInt(follow), handle, cerr)
	})
}

// StreamOutput writes the captured output of mission id on host to w as it
// arrives: stream is "stdout", "stderr" or "combined" (NDJSON records);
// follow tails it until the mission ends. A write error stops the stream
// and is returned.
func (c *Client) StreamOutput(ctx context.Context, host, id, stream string, follow bool, w io.Writer) error {
	return c.streamOutput(ctx, host, id, stream, follow, w, false)
}

// streamOutput is StreamOutput, or ExecStreamOutput (exec token) with exec.
func (c *Client) streamOutput(ctx context.Context, host, id, stream string, follow bool, w io.Writer, exec bool) error {
	a := newHostArgs(host, id)
	defer a.free()
	cstream := cString(stream)
	defer freeC(cstream)
	handler := func(data []byte) error {
		_, err := w.Write(data)
		return err
	}
	return c.streamCall(ctx, handler, func(h *C.letts_client, handle C.uintptr_t, cerr **C.letts_error) C.letts_status {
		if exec {
			return C.letts_go_exec_stream_output(h, a.host, a.id, cstream, boolInt(follow), handle, cerr)
		}
		return C.letts_go_stream_output(h, a.host, a.id, cstream, boolInt(follow), handle, cerr)
	})
}
