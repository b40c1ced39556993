package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"runtime/cgo"
	"time"
	"unsafe"
)

// RunOption configures Run, Wait, RunParallel and RunOnAll.
type RunOption func(*runConfig)

type runConfig struct {
	waitTimeout   time.Duration
	progress      func(value *float64, message string)
	keepFailure   bool
	fetchLogs     bool
	outputsFolder string
	killOnCancel  bool
	retry         *RetryPolicy
}

// RetryPolicy re-runs a finished mission whose outcome it lists: each retry
// is a restart of the attempt before (admin token needed), so the daemon's
// restarted_from chains them; RunResult.AttemptIDs lists every attempt.
// Never retried: success, killed, a failure not listed. The wait timeout
// bounds all attempts and pauses; a cancelled context ends a pause at once.
type RetryPolicy struct {
	// Outcomes to retry: "lost", "crashed", "oom", "timeout".
	Outcomes []string
	// FailReasons of a "failed" outcome to retry.
	FailReasons []string
	// MaxAttempts counts the first attempt too (below 2: no retry).
	MaxAttempts int
	// The pause before attempt n is min(Cap, Base*Multiplier^(n-2)) less a
	// random share of at most Jitter (0..1). Multiplier 0 keeps the
	// defaults of all four (1s, 30s, 2, 0.5).
	Base, Cap          time.Duration
	Multiplier, Jitter float64
}

// WithRetry applies a retry policy to Run, Wait, ExecRun and the fan-outs.
func WithRetry(p RetryPolicy) RunOption {
	return func(c *runConfig) { c.retry = &p }
}

// setRetry copies the policy into the C options.
func setRetry(o *C.letts_run_options, p *RetryPolicy, cerr **C.letts_error) C.letts_status {
	st := C.letts_status(C.LETTS_OK)
	for _, outcome := range p.Outcomes {
		cs := C.CString(outcome)
		st = C.letts_run_options_add_retry_outcome(o, cs, cerr)
		freeC(cs)
		if st != C.LETTS_OK {
			return st
		}
	}
	for _, reason := range p.FailReasons {
		cs := C.CString(reason)
		st = C.letts_run_options_add_retry_fail_reason(o, cs, cerr)
		freeC(cs)
		if st != C.LETTS_OK {
			return st
		}
	}
	if p.MaxAttempts > 1 {
		st = C.letts_run_options_set_retry_attempts(o, C.int(p.MaxAttempts), cerr)
	}
	if st == C.LETTS_OK && p.Multiplier != 0 {
		st = C.letts_run_options_set_retry_backoff(o, durationMS(p.Base), durationMS(p.Cap),
			C.double(p.Multiplier), C.double(p.Jitter), cerr)
	}
	return st
}

// WithWaitTimeout bounds the wait for the mission's end; when it passes the
// call fails with ErrWaitTimeout naming the mission, which keeps running.
func WithWaitTimeout(d time.Duration) RunOption {
	return func(c *runConfig) { c.waitTimeout = d }
}

// WithProgress calls fn for every progress event, in order, on the
// goroutine that called Run or Wait. value is nil when the event carried
// none.
func WithProgress(fn func(value *float64, message string)) RunOption {
	return func(c *runConfig) { c.progress = fn }
}

// WithoutFailureAsError makes a mission that ended without success a
// result (check RunResult.Success) instead of an ErrMissionFailed error.
func WithoutFailureAsError() RunOption {
	return func(c *runConfig) { c.keepFailure = true }
}

// WithLogs fetches the mission's stdout and stderr after its end.
func WithLogs() RunOption {
	return func(c *runConfig) { c.fetchLogs = true }
}

// WithOutputsFolder downloads every output of a successful mission into
// dir as dir/<role>, verified against size and sha256; a failed or
// cancelled download leaves no file.
func WithOutputsFolder(dir string) RunOption {
	return func(c *runConfig) { c.outputsFolder = dir }
}

// WithKillOnCancel kills the mission (TERM) when the call ends before it —
// context cancelled, wait timeout — instead of leaving it running.
func WithKillOnCancel() RunOption {
	return func(c *runConfig) { c.killOnCancel = true }
}

// progressState is what the progress trampoline finds behind its handle.
type progressState struct {
	fn func(value *float64, message string)
}

// cRunOptions builds letts_run_options; release returns what it holds.
func cRunOptions(opts []RunOption) (*C.letts_run_options, func(), error) {
	var cfg runConfig
	for _, o := range opts {
		o(&cfg)
	}
	var o *C.letts_run_options
	var cerr *C.letts_error
	if st := C.letts_run_options_new(&o, &cerr); st != C.LETTS_OK {
		return nil, nil, errorFrom(nil, st, cerr)
	}
	var handle cgo.Handle
	release := func() {
		C.letts_run_options_free(o)
		if handle != 0 {
			handle.Delete()
		}
	}
	st := C.letts_run_options_set_wait_timeout_ms(o, durationMS(cfg.waitTimeout), &cerr)
	if st == C.LETTS_OK && cfg.keepFailure {
		st = C.letts_run_options_set_failure_as_error(o, 0, &cerr)
	}
	if st == C.LETTS_OK && cfg.fetchLogs {
		st = C.letts_run_options_set_fetch_logs(o, 1, &cerr)
	}
	if st == C.LETTS_OK && cfg.killOnCancel {
		st = C.letts_run_options_set_kill_on_cancel(o, 1, &cerr)
	}
	if st == C.LETTS_OK && cfg.outputsFolder != "" {
		dir := C.CString(cfg.outputsFolder)
		st = C.letts_run_options_set_outputs_folder(o, dir, &cerr)
		freeC(dir)
	}
	if st == C.LETTS_OK && cfg.retry != nil {
		st = setRetry(o, cfg.retry, &cerr)
	}
	if st == C.LETTS_OK && cfg.progress != nil {
		handle = cgo.NewHandle(&progressState{fn: cfg.progress})
		st = C.letts_go_set_progress(o, C.uintptr_t(handle), &cerr)
	}
	if st != C.LETTS_OK {
		release()
		return nil, nil, errorFrom(nil, st, cerr)
	}
	return o, release, nil
}

// Output is an output file of a finished mission, as announced by the
// daemon.
type Output struct {
	Role      string `json:"-"`          // the output's key
	StagingID string `json:"staging_id"` // where the dugdale keeps it
	SHA256    string `json:"sha256"`     // announced lowercase hex sha256
	Size      int64  `json:"size"`       // announced size in bytes
}

// RunResult is the outcome of a finished mission.
type RunResult struct {
	// Host is the dugdale that ran the mission.
	Host string
	// Lane is the lane the job was dispatched to ("" after a Wait).
	Lane string
	// AttemptIDs lists every attempt's mission id, the first one first,
	// each later one restarted from the one before (WithRetry); the last
	// is MissionID.
	AttemptIDs []string
	// MissionID is the mission's id.
	MissionID string
	// Outcome is "success", "failed", "oom", "killed", "timeout",
	// "crashed" or "lost".
	Outcome string
	// FailReason and FailMessage explain a failure.
	FailReason, FailMessage string
	// FailDetails is the failure's details document, if any.
	FailDetails json.RawMessage
	// Return is the mission's return value, if any (decode with Decode).
	Return json.RawMessage
	// ExitCode is the exit status, nil when unknown.
	ExitCode *int64
	// Signal is the terminating signal's short name ("KILL"), if any.
	Signal string
	// Duration is the run time.
	Duration time.Duration
	// TimeFinished is when the mission ended (zero when unknown).
	TimeFinished time.Time
	// ProgressDropped counts progress events the daemon dropped.
	ProgressDropped int64
	// Stdout and Stderr are the captured logs (with WithLogs).
	Stdout, Stderr []byte
	// StdoutTruncated and StderrTruncated say whether the daemon cut a log.
	StdoutTruncated, StderrTruncated bool
	// Outputs are the output files, in the daemon's order.
	Outputs []Output
	// Kind is "exec" for the result of ExecRun or ExecWait (its outputs
	// then download with the exec token), else "mission".
	Kind string
}

// Success reports whether the outcome is "success".
func (r *RunResult) Success() bool { return r.Outcome == "success" }

// Decode unmarshals the mission's return value into v.
func (r *RunResult) Decode(v any) error {
	if r.Return == nil {
		return json.Unmarshal([]byte("null"), v)
	}
	return json.Unmarshal(r.Return, v)
}

// Output returns the output with role, and whether there is one.
func (r *RunResult) Output(role string) (Output, bool) {
	for _, o := range r.Outputs {
		if o.Role == role {
			return o, true
		}
	}
	return Output{}, false
}

func runResultFrom(r *C.letts_run_result) *RunResult {
	res := &RunResult{
		Host:            goStringOpt(C.letts_run_result_host(r)),
		MissionID:       goStringOpt(C.letts_run_result_mission_id(r)),
		Kind:            goStringOpt(C.letts_run_result_kind(r)),
		Outcome:         goStringOpt(C.letts_run_result_outcome(r)),
		FailReason:      goStringOpt(C.letts_run_result_fail_reason(r)),
		FailMessage:     goStringOpt(C.letts_run_result_fail_message(r)),
		FailDetails:     rawJSON(C.letts_run_result_fail_details_json(r)),
		Return:          rawJSON(C.letts_run_result_return_json(r)),
		Signal:          goStringOpt(C.letts_run_result_signal(r)),
		Duration:        time.Duration(C.letts_run_result_duration_ms(r)) * time.Millisecond,
		TimeFinished:    unixMS(int64(C.letts_run_result_time_finished_ms(r))),
		ProgressDropped: int64(C.letts_run_result_progress_dropped(r)),
		StdoutTruncated: C.letts_run_result_stdout_truncated(r) != 0,
		StderrTruncated: C.letts_run_result_stderr_truncated(r) != 0,
		Lane:            goStringOpt(C.letts_run_result_lane(r)),
	}
	for i := C.size_t(0); i < C.letts_run_result_attempts(r); i++ {
		res.AttemptIDs = append(res.AttemptIDs, goStringOpt(C.letts_run_result_attempt_id(r, i)))
	}
	var code C.int64_t
	if C.letts_run_result_exit_code(r, &code) != 0 {
		v := int64(code)
		res.ExitCode = &v
	}
	var n C.size_t
	if p := C.letts_run_result_stdout(r, &n); p != nil && n > 0 {
		res.Stdout = C.GoBytes(unsafe.Pointer(p), C.int(n))
	}
	if p := C.letts_run_result_stderr(r, &n); p != nil && n > 0 {
		res.Stderr = C.GoBytes(unsafe.Pointer(p), C.int(n))
	}
	count := int(C.letts_run_result_output_count(r))
	for i := 0; i < count; i++ {
		ci := C.size_t(i)
		res.Outputs = append(res.Outputs, Output{
			Role:      goStringOpt(C.letts_run_result_output_role(r, ci)),
			StagingID: goStringOpt(C.letts_run_result_output_staging_id(r, ci)),
			SHA256:    goStringOpt(C.letts_run_result_output_sha256(r, ci)),
			Size:      int64(C.letts_run_result_output_size(r, ci)),
		})
	}
	return res
}

// takeRunResult converts and frees a result the caller owns.
func takeRunResult(r *C.letts_run_result) *RunResult {
	if r == nil {
		return nil
	}
	defer C.letts_run_result_free(r)
	return runResultFrom(r)
}

// Run launches job (as Dispatch) and follows it to its end. A mission
// that ends without success is an error of status StatusMissionFailed
// carrying the result (unless WithoutFailureAsError); the result is then
// returned too. When the call ends before the mission (context, wait
// timeout), the error's MissionID names the mission, which keeps running
// unless WithKillOnCancel.
func (c *Client) Run(ctx context.Context, job Job, opts ...RunOption) (*RunResult, error) {
	cj, err := job.cJob()
	if err != nil {
		return nil, err
	}
	defer C.letts_job_free(cj)
	return c.followCall(ctx, opts, func(h *C.letts_client, o *C.letts_run_options, r **C.letts_run_result, cerr **C.letts_error) C.letts_status {
		return C.letts_client_run(h, cj, o, r, cerr)
	})
}

// followCall is the part every call that follows a job to its result
// shares (Run, Wait, ExecRun, ExecWait): the run options from opts, the
// call, and the result taken over whatever the status.
func (c *Client) followCall(ctx context.Context, opts []RunOption,
	fn func(h *C.letts_client, o *C.letts_run_options, r **C.letts_run_result, cerr **C.letts_error) C.letts_status) (*RunResult, error) {
	o, release, err := cRunOptions(opts)
	if err != nil {
		return nil, err
	}
	defer release()
	var r *C.letts_run_result
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return fn(h, o, &r, cerr)
	})
	return takeRunResult(r), err
}

// Wait follows mission missionID of host — dispatched earlier by this
// process or another — to its result, exactly as Run does after its
// dispatch. This is how a caller resumes after a wait timeout or a cancel.
func (c *Client) Wait(ctx context.Context, host, missionID string, opts ...RunOption) (*RunResult, error) {
	a := newHostArgs(host, missionID)
	defer a.free()
	return c.followCall(ctx, opts, func(h *C.letts_client, o *C.letts_run_options, r **C.letts_run_result, cerr **C.letts_error) C.letts_status {
		return C.letts_client_wait(h, a.host, a.id, o, r, cerr)
	})
}

// resultJSON is the shape letts_run_result_from_json reads.
type resultJSON struct {
	MissionID string            `json:"mission_id"`
	Outcome   string            `json:"outcome"`
	Outputs   map[string]Output `json:"outputs"`
	Kind      string            `json:"kind,omitempty"`
}

// DownloadOutput downloads output role of result into memory, verified
// against the announced size and sha256 (ErrStaging when it does not
// verify; ErrBadRequest when result has no such output). Memory is bounded
// by the client's MaxResponseBytes.
func (c *Client) DownloadOutput(ctx context.Context, result *RunResult, role string) ([]byte, error) {
	doc := resultJSON{MissionID: result.MissionID, Outcome: result.Outcome, Outputs: map[string]Output{}, Kind: result.Kind}
	for _, o := range result.Outputs {
		doc.Outputs[o.Role] = o
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, &Error{Status: StatusInvalidArgument, Message: err.Error()}
	}
	chost, cjson, ckey := C.CString(result.Host), C.CString(string(data)), C.CString(role)
	defer freeC(chost)
	defer freeC(cjson)
	defer freeC(ckey)
	var r *C.letts_run_result
	var cerr *C.letts_error
	if st := C.letts_run_result_from_json(&r, chost, cjson, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	defer C.letts_run_result_free(r)
	var out *C.char
	var n C.size_t
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_download_output(h, r, ckey, &out, &n, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), C.int(n)), nil
}
