package letts

/*
#include "shim.h"
*/
import "C"

import (
	"runtime/cgo"
	"time"
	"unsafe"
)

// The //export functions below are the only way C reaches Go. libletts
// calls them through the trampolines of shim.c, on the thread — hence the
// goroutine — that made the call, during that call.

//export lettsGoProgress
func lettsGoProgress(hasValue C.int, value C.double, message *C.char, handle C.uintptr_t) C.int {
	state := cgo.Handle(handle).Value().(*progressState)
	var v *float64
	if hasValue != 0 {
		f := float64(value)
		v = &f
	}
	state.fn(v, goStringOpt(message))
	return 0
}

//export lettsGoLaunchFailure
func lettsGoLaunchFailure(failure *C.letts_launch_failure, handle C.uintptr_t) {
	fn := cgo.Handle(handle).Value().(func(LaunchFailure))
	lf := LaunchFailure{
		Retryable: C.letts_launch_failure_retryable(failure) != 0,
		Method:    goStringOpt(C.letts_launch_failure_method(failure)),
		Phase:     goStringOpt(C.letts_launch_failure_phase(failure)),
		MissionID: goStringOpt(C.letts_launch_failure_mission_id(failure)),
		Mission:   goStringOpt(C.letts_launch_failure_mission(failure)),
		Launch:    rawJSON(C.letts_launch_failure_json(failure)),
	}
	if e := C.letts_launch_failure_error(failure); e != nil {
		lf.Err = &Error{
			Status:     Status(C.letts_error_status(e)),
			Message:    C.GoString(C.letts_error_message(e)),
			Code:       goStringOpt(C.letts_error_code(e)),
			HTTPStatus: int(C.letts_error_http_status(e)),
			Dugdale:    goStringOpt(C.letts_error_dugdale(e)),
			Details:    rawJSON(C.letts_error_details(e)),
			MissionID:  goStringOpt(C.letts_error_mission_id(e)),
		}
	}
	fn(lf)
}

//export lettsGoCompletion
func lettsGoCompletion(result *C.letts_run_result, handle C.uintptr_t) {
	fn := cgo.Handle(handle).Value().(func(*RunResult))
	fn(runResultFrom(result))
}

//export lettsGoBytes
func lettsGoBytes(data *C.char, n C.size_t, handle C.uintptr_t) C.int {
	state := cgo.Handle(handle).Value().(*bytesState)
	if state.err != nil {
		return 1
	}
	if err := state.fn(C.GoBytes(unsafe.Pointer(data), C.int(n))); err != nil {
		state.err = err
		return 1
	}
	return 0
}

//export lettsGoScheduleDispatch
func lettsGoScheduleDispatch(entry *C.char, tickUnixMS C.int64_t, missionID *C.char, handle C.uintptr_t) {
	fn := cgo.Handle(handle).Value().(func(entry string, tick time.Time, missionID string))
	fn(C.GoString(entry), time.UnixMilli(int64(tickUnixMS)), C.GoString(missionID))
}

//export lettsGoScheduleClock
func lettsGoScheduleClock(handle C.uintptr_t) C.int64_t {
	now := cgo.Handle(handle).Value().(func() time.Time)
	return C.int64_t(now().UnixMilli())
}
