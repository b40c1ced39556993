package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"unsafe"
)

// HostResult is the outcome of one job of a fan-out.
type HostResult struct {
	// Host is the dugdale of the job (the host text as given for a job
	// that failed before it was resolved).
	Host string
	// Result is the run result when the job's mission ended (also when it
	// failed), else nil.
	Result *RunResult
	// ErrorKind is "auth", "bad_request", "conflict", "backpressure",
	// "staging", "network" or "timeout" when the job produced no result.
	ErrorKind string
	// ErrorMessage describes that error.
	ErrorMessage string
	// ErrorHTTPStatus is the HTTP status behind it, 0 when none.
	ErrorHTTPStatus int
	// ErrorCode is the daemon's error code behind it, if any.
	ErrorCode string
}

// Reachable reports whether the job produced a result.
func (h HostResult) Reachable() bool { return h.Result != nil }

// Success reports whether the job produced a successful result.
func (h HostResult) Success() bool { return h.Result != nil && h.Result.Success() }

func takeHostResults(r *C.letts_host_results) []HostResult {
	if r == nil {
		return nil
	}
	defer C.letts_host_results_free(r)
	n := int(C.letts_host_results_count(r))
	out := make([]HostResult, n)
	for i := range out {
		ci := C.size_t(i)
		out[i] = HostResult{
			Host:            goStringOpt(C.letts_host_results_host(r, ci)),
			ErrorKind:       goStringOpt(C.letts_host_results_error_kind(r, ci)),
			ErrorMessage:    goStringOpt(C.letts_host_results_error_message(r, ci)),
			ErrorHTTPStatus: int(C.letts_host_results_error_http_status(r, ci)),
			ErrorCode:       goStringOpt(C.letts_host_results_error_code(r, ci)),
		}
		if res := C.letts_host_results_result(r, ci); res != nil {
			out[i].Result = runResultFrom(res)
		}
	}
	return out
}

// RunParallel runs jobs concurrently (one connection pool, on the calling
// goroutine's thread) and waits for all of them; one HostResult per job,
// in order. Of opts, the wait timeout (shared) and WithKillOnCancel apply.
// A job's failure is reported in its HostResult; the call fails only for a
// configuration problem of a job, an invalid argument or cancellation.
func (c *Client) RunParallel(ctx context.Context, jobs []Job, opts ...RunOption) ([]HostResult, error) {
	cjobs := make([]*C.letts_job, 0, len(jobs))
	defer func() {
		for _, j := range cjobs {
			C.letts_job_free(j)
		}
	}()
	for i := range jobs {
		cj, err := jobs[i].cJob()
		if err != nil {
			return nil, err
		}
		cjobs = append(cjobs, cj)
	}
	o, release, err := cRunOptions(opts)
	if err != nil {
		return nil, err
	}
	defer release()
	// The array of job pointers lives in C memory: C must not hold a Go
	// pointer to Go memory that contains pointers.
	var arr **C.letts_job
	if len(cjobs) > 0 {
		arr = (**C.letts_job)(C.malloc(C.size_t(len(cjobs)) * C.size_t(unsafe.Sizeof(cjobs[0]))))
		defer C.free(unsafe.Pointer(arr))
		copy(unsafe.Slice(arr, len(cjobs)), cjobs)
	}
	var r *C.letts_host_results
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_run_parallel(h, arr, C.size_t(len(cjobs)), o, &r, cerr)
	})
	return takeHostResults(r), err
}

// RunOnAll runs job once on every dugdale carrying its labels (job.Match,
// else the client's WithMatch, else selector.match) and declaring its lane
// (required), with opts as RunParallel.
func (c *Client) RunOnAll(ctx context.Context, job Job, opts ...RunOption) ([]HostResult, error) {
	cj, err := job.cJob()
	if err != nil {
		return nil, err
	}
	defer C.letts_job_free(cj)
	o, release, err := cRunOptions(opts)
	if err != nil {
		return nil, err
	}
	defer release()
	var r *C.letts_host_results
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_run_on_all(h, cj, o, &r, cerr)
	})
	return takeHostResults(r), err
}
