package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
)

// Status is the outcome class of a failed call, one per libletts status
// (letts_status). The numeric values are those of the C ABI.
type Status int

// The statuses of libletts (letts/common.h says when each is used).
const (
	StatusOK                Status = 0
	StatusBadRequest        Status = 1
	StatusAuth              Status = 2
	StatusConflict          Status = 3
	StatusBackpressure      Status = 4
	StatusDispatch          Status = 5
	StatusNetwork           Status = 6
	StatusWaitTimeout       Status = 7
	StatusStaging           Status = 8
	StatusConfig            Status = 9
	StatusMissingEnv        Status = 10
	StatusNoMatchingDugdale Status = 11
	StatusMissionFailed     Status = 12
	StatusInterrupted       Status = 13
	StatusInvalidArgument   Status = 14
	StatusNotFound          Status = 15
	StatusIO                Status = 16
	StatusNoMemory          Status = 17
	StatusInternal          Status = 18
	StatusCancelled         Status = 19
)

// String is the stable lowercase name of the status ("conflict",
// "wait_timeout", ...; "unknown" for a value libletts does not know).
func (s Status) String() string { return C.GoString(C.letts_status_name(C.letts_status(s))) }

// Sentinel errors, one per status: errors.Is(err, ErrConflict) holds for
// every *Error whose Status is StatusConflict, and so on.
var (
	ErrBadRequest        = errors.New("letts: bad request")
	ErrAuth              = errors.New("letts: authentication refused")
	ErrConflict          = errors.New("letts: conflict")
	ErrBackpressure      = errors.New("letts: backpressure")
	ErrDispatch          = errors.New("letts: dispatch refused")
	ErrNetwork           = errors.New("letts: network failure")
	ErrWaitTimeout       = errors.New("letts: wait timeout")
	ErrStaging           = errors.New("letts: staging failed")
	ErrConfig            = errors.New("letts: configuration error")
	ErrMissingEnv        = errors.New("letts: missing environment variable")
	ErrNoMatchingDugdale = errors.New("letts: no matching dugdale")
	ErrMissionFailed     = errors.New("letts: mission failed")
	ErrInterrupted       = errors.New("letts: interrupted")
	ErrInvalidArgument   = errors.New("letts: invalid argument")
	ErrNotFound          = errors.New("letts: not found")
	ErrIO                = errors.New("letts: I/O error")
	ErrNoMemory          = errors.New("letts: out of memory")
	ErrInternal          = errors.New("letts: internal error")
	ErrCancelled         = errors.New("letts: cancelled")
)

// ErrClosed is returned by the methods of a Client after Close.
var ErrClosed = errors.New("letts: client is closed")

var sentinels = map[Status]error{
	StatusBadRequest:        ErrBadRequest,
	StatusAuth:              ErrAuth,
	StatusConflict:          ErrConflict,
	StatusBackpressure:      ErrBackpressure,
	StatusDispatch:          ErrDispatch,
	StatusNetwork:           ErrNetwork,
	StatusWaitTimeout:       ErrWaitTimeout,
	StatusStaging:           ErrStaging,
	StatusConfig:            ErrConfig,
	StatusMissingEnv:        ErrMissingEnv,
	StatusNoMatchingDugdale: ErrNoMatchingDugdale,
	StatusMissionFailed:     ErrMissionFailed,
	StatusInterrupted:       ErrInterrupted,
	StatusInvalidArgument:   ErrInvalidArgument,
	StatusNotFound:          ErrNotFound,
	StatusIO:                ErrIO,
	StatusNoMemory:          ErrNoMemory,
	StatusInternal:          ErrInternal,
	StatusCancelled:         ErrCancelled,
}

// Error is the one error type of the package: every failure reported by
// libletts, with the facts a program needs to react to it.
type Error struct {
	// Status is the class of the failure.
	Status Status
	// Message is the human-readable description (never contains a token).
	Message string
	// Code is the daemon's machine error code ("queue_full"), if any.
	Code string
	// HTTPStatus is the HTTP status behind the failure, 0 when none.
	HTTPStatus int
	// Dugdale is the id of the dugdale concerned, if any.
	Dugdale string
	// Details is the JSON details document, if any.
	Details json.RawMessage
	// MissionID names the mission a run or wait was following when it
	// ended before the mission's result (wait timeout, interrupted,
	// cancelled, mission failed): it may still be running, and
	// Client.Wait can follow it again.
	MissionID string
	// Result is the mission's result for StatusMissionFailed.
	Result *RunResult

	// ctx is the context error that caused a StatusCancelled.
	ctx error
}

// Error returns "letts: <message>".
func (e *Error) Error() string {
	if e.Message == "" {
		return "letts: " + e.Status.String()
	}
	return "letts: " + e.Message
}

// Is reports whether target is the sentinel of e's status
// (errors.Is(err, letts.ErrConflict)).
func (e *Error) Is(target error) bool {
	s, ok := sentinels[e.Status]
	return ok && s == target
}

// Unwrap returns the context error (context.Canceled or
// context.DeadlineExceeded) when the call was cancelled through its
// context, so that errors.Is(err, context.Canceled) holds; else nil.
func (e *Error) Unwrap() error { return e.ctx }

// errorFrom turns a failed status and its error object (which it frees)
// into a *Error. ctx is consulted for StatusCancelled.
func errorFrom(ctx context.Context, st C.letts_status, cerr *C.letts_error) error {
	if st == C.LETTS_OK {
		C.letts_error_free(cerr)
		return nil
	}
	e := &Error{Status: Status(st)}
	if cerr != nil {
		e.Message = C.GoString(C.letts_error_message(cerr))
		e.Code = goStringOpt(C.letts_error_code(cerr))
		e.HTTPStatus = int(C.letts_error_http_status(cerr))
		e.Dugdale = goStringOpt(C.letts_error_dugdale(cerr))
		e.Details = rawJSON(C.letts_error_details(cerr))
		e.MissionID = goStringOpt(C.letts_error_mission_id(cerr))
		if r := C.letts_error_run_result(cerr); r != nil {
			e.Result = runResultFrom(r)
			if e.MissionID == "" {
				// libletts 0.1.0 leaves letts_error_mission_id NULL on
				// LETTS_ERR_MISSION_FAILED although error.h promises it;
				// the result names the mission.
				e.MissionID = e.Result.MissionID
			}
		}
		C.letts_error_free(cerr)
	}
	if e.Status == StatusCancelled && ctx != nil {
		e.ctx = ctx.Err()
	}
	return e
}

// contextError is the error of a call whose context was done before it
// reached libletts.
func contextError(ctx context.Context) error {
	return &Error{Status: StatusCancelled, Message: "cancelled: " + ctx.Err().Error(), ctx: ctx.Err()}
}
