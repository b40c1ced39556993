//! Safe Rust API of libletts, the client and mission runtime of the letts
//! task queue.
//!
//! - [`Client`] dispatches jobs to dugdale daemons and follows them
//!   ([`Client::run`], [`Client::wait`], fan-outs, queries, control, admin).
//!   It is `Send + Sync`: share one client between threads.
//! - [`CancelToken`] cancels blocked calls from any thread
//!   ([`Client::with_cancel`], [`RunOptions::cancel`]).
//! - [`Error`] is the one error type, with an [`ErrorKind`] per C status.
//! - [`Schedule`] dispatches cron and interval ticks exactly once however
//!   many schedulers run it ([`tick_id`] is each tick's mission id).
//! - [`Mission`] is the worker side: a mission program started by dugdale.
//! - [`DevServer`] runs an embedded `letts-devserver` for tests.
//!
//! JSON documents (inputs, returns, server answers) are `String`s of JSON
//! text, exactly as the C API carries them: parse them with the JSON crate
//! of your choice; this crate depends on `std` only.
//!
//! No `unsafe` leaks out: every C handle is owned by a type with `Drop`,
//! closures given to the library never unwind into C (a panic inside one is
//! caught and returned as [`ErrorKind::Panicked`]).
#![deny(missing_docs)]

mod bulk;
mod cancel;
mod client;
mod cursor;
mod devserver;
mod error;
mod exec;
mod info;
mod job;
mod mission;
mod request;
mod run;
mod schedule;
mod staging;
mod util;

pub use bulk::{BulkItem, BulkOptions, BulkResult, RestartResult};
pub use cancel::CancelToken;
pub use client::{Client, ClientOptions, LaunchFailure};
pub use cursor::ListCursor;
pub use devserver::{DevServer, DevServerOptions};
pub use error::{Error, ErrorKind, Result};
pub use exec::ExecSpec;
pub use info::{ListFilter, MissionInfo, MissionPage, MissionPages, StagedFile};
pub use job::Job;
pub use mission::{Mission, MissionFlags};
pub use request::{Response, Scope};
pub use staging::{StagingEntry, StagingFile, StagingHead, StagingListOptions, StagingPage, StagingRange};
pub use schedule::{tick_id, CatchUp, Schedule};
pub use run::{HostResult, HostResults, OutputFile, RetryPolicy, RunHandle, RunOptions, RunResult, RunState};

/// The version of the loaded libletts, e.g. "0.1.0".
pub fn version() -> &'static str {
    // SAFETY: letts_version returns a static NUL-terminated string.
    unsafe { util::static_str(letts_sys::letts_version()) }
}

/// The unique mission id of `key` in the window of length `window`
/// containing `at_unix_ms` (zero window: no window, the time is ignored),
/// derived as docs/unique-ids.md documents — the id [`Job::unique`] sends.
pub fn unique_id(key: &str, window: std::time::Duration, at_unix_ms: i64) -> Result<String> {
    let k = util::cstring(key)?;
    let ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
    let mut out = std::ptr::null_mut();
    util::call(|err| unsafe { letts_sys::letts_unique_id(k.as_ptr(), ms, at_unix_ms, &mut out, err) })?;
    // SAFETY: on success `out` is a string the caller owns (letts_free).
    Ok(unsafe { util::take_string(out) })
}

/// Parses a duration such as "1m30s" or "250ms" into milliseconds, as
/// letts.yaml does.
pub fn parse_duration_ms(text: &str) -> Result<i64> {
    let c = util::cstring(text)?;
    let mut ms = 0i64;
    util::call(|err| unsafe { letts_sys::letts_duration_parse_ms(c.as_ptr(), &mut ms, err) })?;
    Ok(ms)
}
