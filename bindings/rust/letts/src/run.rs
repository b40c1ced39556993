//! Run options (with the progress closure), run results and fan-out results.
use crate::cancel::CancelToken;
use crate::error::Result;
use crate::util::{self, PanicSlot};
use letts_sys as sys;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

type ProgressFn<'a> = dyn FnMut(Option<f64>, Option<&str>) + 'a;

/// How a run (or a wait) behaves: wait timeout, cancellation, progress,
/// logs, outputs. Chained setters; the C options object is made per call.
///
/// The progress closure gets the value (0..=1, None for a message-only
/// event) and the message. It runs on the calling thread, during the call.
/// If it panics, the panic is caught (it never unwinds into C), the run
/// stops and the call returns [`crate::ErrorKind::Panicked`].
#[derive(Default)]
pub struct RunOptions<'a> {
    wait_timeout: Option<Duration>,
    cancel: Option<CancelToken>,
    kill_on_cancel: Option<bool>,
    failure_as_error: Option<bool>,
    fetch_logs: Option<bool>,
    outputs_folder: Option<std::path::PathBuf>,
    progress: Option<Box<ProgressFn<'a>>>,
    retry: Option<RetryPolicy>,
}

/// Re-running a finished mission whose outcome the policy lists: each retry
/// restarts the attempt before (admin token needed), so the daemon's
/// `restarted_from` chains them ([`RunResult::attempt_ids`]). Never
/// retried: success, killed, a failure not listed. The wait timeout bounds
/// all attempts and pauses; a cancel ends a pause at once. The pause before
/// attempt n is min(cap, base * multiplier^(n-2)) less a random share of at
/// most `jitter`.
#[derive(Debug, Clone, Default)]
pub struct RetryPolicy {
    outcomes: Vec<String>,
    fail_reasons: Vec<String>,
    max_attempts: Option<i32>,
    backoff: Option<(Duration, Duration, f64, f64)>,
}

impl RetryPolicy {
    /// No retry until told what to retry.
    pub fn new() -> RetryPolicy {
        RetryPolicy::default()
    }
    /// Retry this outcome: "lost", "crashed", "oom" or "timeout".
    pub fn outcome(mut self, outcome: &str) -> Self {
        self.outcomes.push(outcome.to_owned());
        self
    }
    /// Retry a "failed" outcome with this fail reason.
    pub fn fail_reason(mut self, reason: &str) -> Self {
        self.fail_reasons.push(reason.to_owned());
        self
    }
    /// The most attempts, the first included (1..=1000; default 1).
    pub fn max_attempts(mut self, n: i32) -> Self {
        self.max_attempts = Some(n);
        self
    }
    /// The pauses (defaults 1 s, 30 s, 2.0, 0.5).
    pub fn backoff(mut self, base: Duration, cap: Duration, multiplier: f64, jitter: f64) -> Self {
        self.backoff = Some((base, cap, multiplier, jitter));
        self
    }

    fn apply(&self, raw: *mut sys::letts_run_options) -> Result<()> {
        for o in &self.outcomes {
            let c = util::cstring(o)?;
            util::call(|err| unsafe { sys::letts_run_options_add_retry_outcome(raw, c.as_ptr(), err) })?;
        }
        for r in &self.fail_reasons {
            let c = util::cstring(r)?;
            util::call(|err| unsafe { sys::letts_run_options_add_retry_fail_reason(raw, c.as_ptr(), err) })?;
        }
        if let Some(n) = self.max_attempts {
            util::call(|err| unsafe { sys::letts_run_options_set_retry_attempts(raw, n as c_int, err) })?;
        }
        if let Some((base, cap, multiplier, jitter)) = self.backoff {
            let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
            util::call(|err| unsafe { sys::letts_run_options_set_retry_backoff(raw, ms(base), ms(cap), multiplier, jitter, err) })?;
        }
        Ok(())
    }
}

impl<'a> RunOptions<'a> {
    /// The defaults of the C API.
    pub fn new() -> RunOptions<'a> {
        RunOptions::default()
    }
    /// Give up waiting after `d` ([`crate::ErrorKind::WaitTimeout`]).
    pub fn wait_timeout(mut self, d: Duration) -> Self {
        self.wait_timeout = Some(d);
        self
    }
    /// Cancel the run (or wait) when `token` is triggered.
    pub fn cancel(mut self, token: &CancelToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }
    /// Kill the mission when the wait stops early (cancel, wait timeout,
    /// progress stop) instead of leaving it running.
    pub fn kill_on_cancel(mut self, on: bool) -> Self {
        self.kill_on_cancel = Some(on);
        self
    }
    /// Whether a non-success outcome is an error ([`crate::ErrorKind::MissionFailed`],
    /// default true) or an `Ok` result with `is_success() == false`.
    pub fn failure_as_error(mut self, on: bool) -> Self {
        self.failure_as_error = Some(on);
        self
    }
    /// Fetch stdout and stderr after the end (default false).
    pub fn fetch_logs(mut self, on: bool) -> Self {
        self.fetch_logs = Some(on);
        self
    }
    /// Download every output file into `dir` after a success.
    pub fn outputs_folder(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.outputs_folder = Some(dir.into());
        self
    }
    /// Retry finished missions as `policy` says.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
    /// Called with each progress event.
    pub fn progress<F: FnMut(Option<f64>, Option<&str>) + 'a>(mut self, f: F) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// Builds the C options; `ctx` (NULL: no progress) must outlive every
    /// call using them.
    pub(crate) fn to_c(&self, ctx: *mut ProgressCtx<'a>) -> Result<CRunOptions> {
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_run_options_new(&mut raw, err) })?;
        let o = CRunOptions(raw);
        if let Some(d) = self.wait_timeout {
            let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
            util::call(|err| unsafe { sys::letts_run_options_set_wait_timeout_ms(raw, ms, err) })?;
        }
        if let Some(c) = &self.cancel {
            util::call(|err| unsafe { sys::letts_run_options_set_cancel(raw, c.raw(), err) })?;
        }
        if let Some(b) = self.kill_on_cancel {
            util::call(|err| unsafe { sys::letts_run_options_set_kill_on_cancel(raw, b as c_int, err) })?;
        }
        if let Some(b) = self.failure_as_error {
            util::call(|err| unsafe { sys::letts_run_options_set_failure_as_error(raw, b as c_int, err) })?;
        }
        if let Some(b) = self.fetch_logs {
            util::call(|err| unsafe { sys::letts_run_options_set_fetch_logs(raw, b as c_int, err) })?;
        }
        if let Some(dir) = &self.outputs_folder {
            let c = util::cstring(&dir.to_string_lossy())?;
            util::call(|err| unsafe { sys::letts_run_options_set_outputs_folder(raw, c.as_ptr(), err) })?;
        }
        if let Some(p) = &self.retry {
            p.apply(raw)?;
        }
        if !ctx.is_null() {
            util::call(|err| unsafe { sys::letts_run_options_set_progress(raw, Some(progress_trampoline), ctx.cast(), err) })?;
        }
        Ok(o)
    }

    fn is_default(&self) -> bool {
        self.wait_timeout.is_none()
            && self.cancel.is_none()
            && self.kill_on_cancel.is_none()
            && self.failure_as_error.is_none()
            && self.fetch_logs.is_none()
            && self.outputs_folder.is_none()
            && self.progress.is_none()
            && self.retry.is_none()
    }

    pub(crate) fn take_progress(&mut self) -> Option<Box<ProgressFn<'a>>> {
        self.progress.take()
    }
}

/// Owns a C run options object.
pub(crate) struct CRunOptions(*mut sys::letts_run_options);
impl CRunOptions {
    pub(crate) fn raw(&self) -> *const sys::letts_run_options {
        self.0
    }
}
impl Drop for CRunOptions {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_run_options_free(self.0) }
    }
}

/// What the progress trampoline reaches through user_data.
pub(crate) struct ProgressCtx<'a> {
    pub(crate) f: Option<Box<ProgressFn<'a>>>,
    pub(crate) panic: PanicSlot,
}

unsafe extern "C" fn progress_trampoline(has_value: c_int, value: f64, message: *const c_char, user_data: *mut c_void) -> c_int {
    // SAFETY: user_data is the ProgressCtx of the call (or run handle) in
    // progress, used on this thread only.
    let ctx = &mut *(user_data as *mut ProgressCtx<'_>);
    if ctx.panic.0.is_some() {
        return 1;
    }
    let f = match ctx.f.as_mut() {
        Some(f) => f,
        None => return 0,
    };
    let msg = util::opt_str(message);
    let v = if has_value != 0 { Some(value) } else { None };
    match catch_unwind(AssertUnwindSafe(|| f(v, msg))) {
        Ok(()) => 0,
        Err(payload) => {
            ctx.panic.0 = Some(util::panic_message(&*payload));
            1
        }
    }
}

/// Runs `call` with C options built from `opts` and its progress closure
/// wired in; a caught panic becomes the error.
pub(crate) fn with_c_options<T>(opts: RunOptions<'_>, call: impl FnOnce(*const sys::letts_run_options) -> Result<T>) -> Result<T> {
    let mut opts = opts;
    let mut ctx = ProgressCtx { f: opts.take_progress(), panic: PanicSlot::default() };
    let ctx_ptr: *mut ProgressCtx<'_> = if ctx.f.is_some() { &mut ctx } else { std::ptr::null_mut() };
    if ctx_ptr.is_null() && opts.is_default() {
        // NULL options are the C defaults: no object to build per call.
        return call(std::ptr::null());
    }
    let c = opts.to_c(ctx_ptr)?;
    let r = call(c.raw());
    drop(c);
    match std::mem::take(&mut ctx.panic).into_error("progress") {
        Some(e) => Err(e.with_cause(r.err())),
        None => r,
    }
}

/// Where a run handle is: [`RunHandle::state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Resolving the target, staging input files, dispatching.
    Starting,
    /// Following the mission's events (progress closures run here).
    Following,
    /// The mission ended: fetching logs and downloading outputs.
    Collecting,
    /// Finished: [`RunHandle::result`] has the outcome.
    Done,
}

/// A run (or wait) driven by the caller: register [`RunHandle`]'s
/// descriptor (`AsRawFd`) with a poll loop or async reactor and call
/// [`RunHandle::step`] whenever it is readable; once
/// [`RunHandle::state`] is [`RunState::Done`], [`RunHandle::result`] is
/// exactly what [`crate::Client::run`] would have returned. Made by
/// [`crate::Client::run_start`] and [`crate::Client::wait_start`].
///
/// Not `Send`: its progress closure runs inside `step` and need not be
/// `Send`. Dropping it stops the run (the mission keeps running unless the
/// options said to kill it).
pub struct RunHandle<'c, 'a> {
    raw: *mut sys::letts_run_handle,
    ctx: Box<ProgressCtx<'a>>,
    // The cancel token the C options refer to.
    _opts: RunOptions<'a>,
    _client: std::marker::PhantomData<&'c crate::Client>,
}

impl<'c, 'a> RunHandle<'c, 'a> {
    pub(crate) fn start(opts: RunOptions<'a>, begin: impl FnOnce(*const sys::letts_run_options, *mut *mut sys::letts_run_handle, *mut *mut sys::letts_error) -> sys::letts_status) -> Result<RunHandle<'c, 'a>> {
        let mut opts = opts;
        let mut ctx = Box::new(ProgressCtx { f: opts.take_progress(), panic: PanicSlot::default() });
        let ctx_ptr: *mut ProgressCtx<'a> = if ctx.f.is_some() { &mut *ctx } else { std::ptr::null_mut() };
        let c = opts.to_c(ctx_ptr)?;
        let mut raw = std::ptr::null_mut();
        // The C side copies the options: they may go right after.
        util::call(|err| begin(c.raw(), &mut raw, err))?;
        Ok(RunHandle { raw, ctx, _opts: opts, _client: std::marker::PhantomData })
    }

    /// Does the work that is due, without blocking; progress closures run
    /// here. An error here is about the step itself; how the run ended
    /// comes from [`RunHandle::result`].
    pub fn step(&mut self) -> Result<()> {
        util::call(|err| unsafe { sys::letts_run_handle_step(self.raw, err) })
    }

    /// Where the run is.
    pub fn state(&self) -> RunState {
        // SAFETY: live handle.
        match unsafe { sys::letts_run_handle_state(self.raw) } {
            sys::LETTS_RUN_STARTING => RunState::Starting,
            sys::LETTS_RUN_FOLLOWING => RunState::Following,
            sys::LETTS_RUN_COLLECTING => RunState::Collecting,
            _ => RunState::Done,
        }
    }

    /// The mission id once it is known.
    pub fn mission_id(&self) -> Option<&str> {
        // SAFETY: owned by the live handle.
        unsafe { util::opt_str(sys::letts_run_handle_mission_id(self.raw)) }
    }

    /// Once [`RunState::Done`]: the result or error the blocking run would
    /// have returned ([`crate::ErrorKind::Panicked`] if the progress
    /// closure panicked).
    pub fn result(&self) -> Result<RunResult> {
        let mut res = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        // SAFETY: live handle.
        let st = unsafe { sys::letts_run_handle_result(self.raw, &mut res, &mut err) };
        let r = if st == sys::LETTS_OK {
            // SAFETY: NULL or ours.
            unsafe { sys::letts_error_free(err) };
            RunResult::from_owned(res).ok_or_else(|| crate::Error::new(crate::ErrorKind::Internal, "libletts returned no result"))
        } else {
            Err(crate::Error::from_raw(st, err).with_result(RunResult::from_owned(res)))
        };
        match PanicSlot(self.ctx.panic.0.clone()).into_error("progress") {
            Some(e) => Err(e.with_cause(r.err())),
            None => r,
        }
    }
}

impl std::os::unix::io::AsRawFd for RunHandle<'_, '_> {
    /// Readable when [`RunHandle::step`] has work to do. Owned by the handle.
    fn as_raw_fd(&self) -> std::os::unix::io::RawFd {
        // SAFETY: live handle.
        unsafe { sys::letts_run_handle_fd(self.raw) }
    }
}

impl Drop for RunHandle<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: owned; freed before the progress context it points at.
        unsafe { sys::letts_run_handle_free(self.raw) }
    }
}

impl std::fmt::Debug for RunHandle<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunHandle").field("state", &self.state()).field("mission_id", &self.mission_id()).finish()
    }
}

pub(crate) enum Owner {
    Own(*mut sys::letts_run_result),
    Shared(#[allow(dead_code)] Arc<HostResultsRaw>),
    // Lent by libletts for the length of a completion observer call.
    Borrowed,
}

/// The outcome of a run: owned, immutable, readable from any thread.
pub struct RunResult {
    raw: *const sys::letts_run_result,
    owner: Owner,
}

// SAFETY: results are immutable once returned and may be read from any
// thread (c-guide.md); the owner frees it once.
unsafe impl Send for RunResult {}
unsafe impl Sync for RunResult {}

impl Drop for RunResult {
    fn drop(&mut self) {
        if let Owner::Own(p) = self.owner {
            // SAFETY: owned.
            unsafe { sys::letts_run_result_free(p) }
        }
    }
}

/// An output file a mission declared (role, staging id, sha256, size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// The key the mission registered it under.
    pub role: String,
    /// Its staging id on the dugdale.
    pub staging_id: String,
    /// Hex sha256.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
}

macro_rules! str_getter {
    ($(#[$m:meta])* $name:ident, $f:ident) => {
        $(#[$m])*
        pub fn $name(&self) -> Option<&str> {
            // SAFETY: owned by the live result.
            unsafe { util::opt_str(sys::$f(self.raw)) }
        }
    };
}

impl RunResult {
    /// Takes ownership of a C result; None for NULL.
    pub(crate) fn from_owned(p: *mut sys::letts_run_result) -> Option<RunResult> {
        if p.is_null() {
            None
        } else {
            Some(RunResult { raw: p, owner: Owner::Own(p) })
        }
    }

    pub(crate) fn raw(&self) -> *const sys::letts_run_result {
        self.raw
    }

    /// A view of a result libletts lends for one callback.
    ///
    /// # Safety
    /// `p` must stay valid as long as the returned value lives.
    pub(crate) unsafe fn borrowed(p: *const sys::letts_run_result) -> RunResult {
        RunResult { raw: p, owner: Owner::Borrowed }
    }

    /// The lane the job was dispatched to ("" after a wait).
    pub fn lane(&self) -> &str {
        // SAFETY: owned by the live result.
        unsafe { util::str_or_empty(sys::letts_run_result_lane(self.raw)) }
    }
    /// How many attempts the run made ([`RetryPolicy`]); 0 for a result
    /// built from JSON.
    pub fn attempts(&self) -> usize {
        // SAFETY: as above.
        unsafe { sys::letts_run_result_attempts(self.raw) }
    }
    /// Every attempt's mission id, the first one first, each later one
    /// restarted from the one before; the last is [`RunResult::mission_id`].
    pub fn attempt_ids(&self) -> Vec<String> {
        // SAFETY: as above; indexes below attempts().
        (0..self.attempts()).map(|i| unsafe { util::str_or_empty(sys::letts_run_result_attempt_id(self.raw, i)) }.to_owned()).collect()
    }

    /// Builds a result from a JSON object shaped like a `done` event or a
    /// mission resource; `host` is the dugdale that ran it.
    pub fn from_json(host: &str, json: &str) -> Result<RunResult> {
        let h = util::cstring(host)?;
        let j = util::cstring(json)?;
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_run_result_from_json(&mut raw, h.as_ptr(), j.as_ptr(), err) })?;
        Ok(RunResult { raw, owner: Owner::Own(raw) })
    }

    /// The dugdale that ran the mission.
    pub fn host(&self) -> &str {
        // SAFETY: owned by the live result.
        unsafe { util::str_or_empty(sys::letts_run_result_host(self.raw)) }
    }
    /// "exec" for the result of an exec run or wait, else "mission".
    pub fn kind(&self) -> &str {
        // SAFETY: static storage in libletts.
        unsafe { util::str_or_empty(sys::letts_run_result_kind(self.raw)) }
    }
    /// The mission id.
    pub fn mission_id(&self) -> &str {
        // SAFETY: as above.
        unsafe { util::str_or_empty(sys::letts_run_result_mission_id(self.raw)) }
    }
    /// "success", "failed", "killed", "timeout", ...
    pub fn outcome(&self) -> &str {
        // SAFETY: as above.
        unsafe { util::str_or_empty(sys::letts_run_result_outcome(self.raw)) }
    }
    /// Whether the outcome is success.
    pub fn is_success(&self) -> bool {
        // SAFETY: as above.
        unsafe { sys::letts_run_result_is_success(self.raw) != 0 }
    }
    str_getter!(
        /// The machine reason of a failure.
        fail_reason, letts_run_result_fail_reason);
    str_getter!(
        /// The human message of a failure.
        fail_message, letts_run_result_fail_message);
    str_getter!(
        /// The failure details, JSON text.
        fail_details_json, letts_run_result_fail_details_json);
    str_getter!(
        /// The mission's return value, JSON text.
        return_json, letts_run_result_return_json);
    str_getter!(
        /// The signal that ended the process, e.g. "SIGKILL".
        signal, letts_run_result_signal);
    /// The exit code, when the process exited.
    pub fn exit_code(&self) -> Option<i64> {
        let mut c = 0i64;
        // SAFETY: as above.
        (unsafe { sys::letts_run_result_exit_code(self.raw, &mut c) } != 0).then_some(c)
    }
    /// How long the mission ran.
    pub fn duration(&self) -> Duration {
        // SAFETY: as above.
        Duration::from_millis(u64::try_from(unsafe { sys::letts_run_result_duration_ms(self.raw) }).unwrap_or(0))
    }
    /// When it finished, in Unix milliseconds.
    pub fn time_finished_ms(&self) -> i64 {
        // SAFETY: as above.
        unsafe { sys::letts_run_result_time_finished_ms(self.raw) }
    }
    /// Progress events the dugdale dropped.
    pub fn progress_dropped(&self) -> i64 {
        // SAFETY: as above.
        unsafe { sys::letts_run_result_progress_dropped(self.raw) }
    }
    /// Captured stdout (with [`RunOptions::fetch_logs`]).
    pub fn stdout(&self) -> &[u8] {
        let mut len = 0usize;
        // SAFETY: as above; `len` bytes at the pointer.
        unsafe { bytes(sys::letts_run_result_stdout(self.raw, &mut len), len) }
    }
    /// Captured stderr (with [`RunOptions::fetch_logs`]).
    pub fn stderr(&self) -> &[u8] {
        let mut len = 0usize;
        // SAFETY: as above.
        unsafe { bytes(sys::letts_run_result_stderr(self.raw, &mut len), len) }
    }
    /// Whether stdout was cut at the dugdale's cap.
    pub fn stdout_truncated(&self) -> bool {
        // SAFETY: as above.
        unsafe { sys::letts_run_result_stdout_truncated(self.raw) != 0 }
    }
    /// Whether stderr was cut at the dugdale's cap.
    pub fn stderr_truncated(&self) -> bool {
        // SAFETY: as above.
        unsafe { sys::letts_run_result_stderr_truncated(self.raw) != 0 }
    }
    /// The output files the mission declared.
    pub fn outputs(&self) -> Vec<OutputFile> {
        // SAFETY: as above; indices below the count.
        unsafe {
            (0..sys::letts_run_result_output_count(self.raw))
                .map(|i| OutputFile {
                    role: util::str_or_empty(sys::letts_run_result_output_role(self.raw, i)).to_owned(),
                    staging_id: util::str_or_empty(sys::letts_run_result_output_staging_id(self.raw, i)).to_owned(),
                    sha256: util::str_or_empty(sys::letts_run_result_output_sha256(self.raw, i)).to_owned(),
                    size: sys::letts_run_result_output_size(self.raw, i),
                })
                .collect()
        }
    }
}

unsafe fn bytes<'a>(p: *const c_char, len: usize) -> &'a [u8] {
    if p.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(p.cast(), len)
    }
}

impl std::fmt::Debug for RunResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunResult")
            .field("host", &self.host())
            .field("mission_id", &self.mission_id())
            .field("outcome", &self.outcome())
            .field("return_json", &self.return_json())
            .finish()
    }
}

/// Owns a C host results object, shared by the results taken from it.
pub(crate) struct HostResultsRaw(*mut sys::letts_host_results);
// SAFETY: immutable once returned.
unsafe impl Send for HostResultsRaw {}
unsafe impl Sync for HostResultsRaw {}
impl Drop for HostResultsRaw {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_host_results_free(self.0) }
    }
}

/// One job's (or one dugdale's) outcome in a fan-out.
#[derive(Debug)]
pub struct HostResult {
    /// The dugdale id.
    pub host: String,
    /// Whether the dugdale could be reached.
    pub reachable: bool,
    /// Whether the mission succeeded.
    pub success: bool,
    /// The result, when the mission ran to an end.
    pub result: Option<RunResult>,
    /// Why there is no result: "auth", "bad_request", "conflict",
    /// "backpressure", "staging", "network" or "timeout".
    pub error_kind: Option<String>,
    /// The error message, when there is no result.
    pub error_message: Option<String>,
    /// The HTTP status of that error, if any.
    pub error_http_status: Option<u16>,
    /// The server's error code, if any.
    pub error_code: Option<String>,
}

/// The outcomes of a fan-out, in job (or dugdale) order.
pub type HostResults = Vec<HostResult>;

pub(crate) fn host_results(raw: *mut sys::letts_host_results) -> HostResults {
    let owner = Arc::new(HostResultsRaw(raw));
    // SAFETY: live object, indices below the count; strings copied.
    unsafe {
        (0..sys::letts_host_results_count(raw))
            .map(|i| {
                let r = sys::letts_host_results_result(raw, i);
                let http = sys::letts_host_results_error_http_status(raw, i);
                HostResult {
                    host: util::str_or_empty(sys::letts_host_results_host(raw, i)).to_owned(),
                    reachable: sys::letts_host_results_is_reachable(raw, i) != 0,
                    success: sys::letts_host_results_is_success(raw, i) != 0,
                    result: (!r.is_null()).then(|| RunResult { raw: r, owner: Owner::Shared(owner.clone()) }),
                    error_kind: util::opt_str(sys::letts_host_results_error_kind(raw, i)).map(str::to_owned),
                    error_message: util::opt_str(sys::letts_host_results_error_message(raw, i)).map(str::to_owned),
                    error_http_status: if http > 0 { u16::try_from(http).ok() } else { None },
                    error_code: util::opt_str(sys::letts_host_results_error_code(raw, i)).map(str::to_owned),
                }
            })
            .collect()
    }
}
