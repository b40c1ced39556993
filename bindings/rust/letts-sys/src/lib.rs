//! Raw declarations of the libletts C API (`include/letts/*.h`), nothing
//! else: every exported function, the opaque handle types, the callback
//! types and the enum values. Safe wrappers are in the `letts` crate.
//!
//! The declarations (`decls.rs`) were written by `gen_decls.py` from the
//! headers; `tests/symbols.rs` holds them equal to the committed list of
//! exported symbols (`tests/abi/exported-symbols.txt`), so that a function
//! added to the library without a declaration here, or the reverse, fails
//! the test suite. `build.rs` says how the library is found.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int, c_uint, c_void};
use std::marker::{PhantomData, PhantomPinned};

/// `letts_status`: `LETTS_OK` (0) or one `LETTS_ERR_*` value. A plain
/// integer rather than a Rust enum, so an unknown value is never UB.
pub type letts_status = c_int;
/// Success.
pub const LETTS_OK: letts_status = 0;
/// 400 or a client-side addressing mistake.
pub const LETTS_ERR_BAD_REQUEST: letts_status = 1;
/// 401/403.
pub const LETTS_ERR_AUTH: letts_status = 2;
/// 409.
pub const LETTS_ERR_CONFLICT: letts_status = 3;
/// 503 queue full / disk quota.
pub const LETTS_ERR_BACKPRESSURE: letts_status = 4;
/// Any other HTTP error status.
pub const LETTS_ERR_DISPATCH: letts_status = 5;
/// Transport failure.
pub const LETTS_ERR_NETWORK: letts_status = 6;
/// A wait deadline passed.
pub const LETTS_ERR_WAIT_TIMEOUT: letts_status = 7;
/// Staging an input or verifying an output failed.
pub const LETTS_ERR_STAGING: letts_status = 8;
/// letts.yaml problem.
pub const LETTS_ERR_CONFIG: letts_status = 9;
/// `${VAR}` names an unset variable.
pub const LETTS_ERR_MISSING_ENV: letts_status = 10;
/// No dugdale carries the labels and lane.
pub const LETTS_ERR_NO_MATCHING_DUGDALE: letts_status = 11;
/// The mission ended with a non-success outcome.
pub const LETTS_ERR_MISSION_FAILED: letts_status = 12;
/// Stopped by a signal or a callback's non-zero return.
pub const LETTS_ERR_INTERRUPTED: letts_status = 13;
/// An invalid argument.
pub const LETTS_ERR_INVALID_ARGUMENT: letts_status = 14;
/// The thing asked for does not exist.
pub const LETTS_ERR_NOT_FOUND: letts_status = 15;
/// A local file or descriptor operation failed.
pub const LETTS_ERR_IO: letts_status = 16;
/// Out of memory.
pub const LETTS_ERR_NO_MEMORY: letts_status = 17;
/// A bug in libletts.
pub const LETTS_ERR_INTERNAL: letts_status = 18;
/// Cancelled through a `letts_cancel`.
pub const LETTS_ERR_CANCELLED: letts_status = 19;

/// `letts_run_state` of a run handle.
pub type letts_run_state = c_int;
/// Resolving, staging, dispatching.
pub const LETTS_RUN_STARTING: letts_run_state = 0;
/// Following the events.
pub const LETTS_RUN_FOLLOWING: letts_run_state = 1;
/// Fetching logs and outputs.
pub const LETTS_RUN_COLLECTING: letts_run_state = 2;
/// Finished.
pub const LETTS_RUN_DONE: letts_run_state = 3;

/// `letts_catch_up`: what a schedule's step does with missed ticks.
pub type letts_catch_up = c_int;
/// Fire the latest tick only if it is at most grace_ms late.
pub const LETTS_CATCH_UP_SKIP: letts_catch_up = 0;
/// Fire the latest tick, late or not.
pub const LETTS_CATCH_UP_ONCE: letts_catch_up = 1;
/// Fire every missed tick, the latest max_fires at most.
pub const LETTS_CATCH_UP_ALL: letts_catch_up = 2;

/// `letts_scope`: which token a raw request presents.
pub type letts_scope = c_int;
/// No Authorization header.
pub const LETTS_SCOPE_NONE: letts_scope = 0;
/// The dispatch token.
pub const LETTS_SCOPE_DISPATCH: letts_scope = 1;
/// The admin token.
pub const LETTS_SCOPE_ADMIN: letts_scope = 2;
/// The exec token.
pub const LETTS_SCOPE_EXEC: letts_scope = 3;

/// `letts_config_flags`: no flag.
pub const LETTS_CONFIG_DEFAULT: c_uint = 0;
/// `letts_config_flags`: skip the token file permission rule.
pub const LETTS_CONFIG_INSECURE_PERMISSIONS: c_uint = 1;
/// `letts_mission_flags`: no flag.
pub const LETTS_MISSION_DEFAULT: c_uint = 0;
/// `letts_mission_flags`: install no SIGTERM/SIGINT handlers.
pub const LETTS_MISSION_NO_SIGNAL_HANDLERS: c_uint = 1;
/// `letts_mission_flags`: start standalone whatever the environment says.
pub const LETTS_MISSION_STANDALONE: c_uint = 2;

include!("decls.rs");
