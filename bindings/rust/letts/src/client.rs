//! Client: every operation of the C client, owned values out.
use crate::cancel::CancelToken;
use crate::error::{Error, Result};
use crate::info::{self, ListFilter, MissionInfo, MissionPage, MissionPages};
use crate::job::Job;
use crate::run::{self, HostResults, RunHandle, RunOptions, RunResult};
use crate::util::{self, CStrings, PanicSlot};
use letts_sys as sys;
use std::any::Any;
use std::os::raw::{c_char, c_int, c_void};
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

/// Client options (timeouts, retries, caps), chained setters. Applied when
/// the client is made.
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    request_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_connections_per_host: Option<i32>,
    retry_attempts: Option<i32>,
    retry_backoff: Option<Vec<Duration>>,
    total_timeout: Option<Duration>,
    reconnect_backoff: Option<Vec<Duration>>,
    ignore_proxy: Option<bool>,
    stream_fresh_connection: Option<bool>,
    user_agent: Option<String>,
    insecure_config_permissions: Option<bool>,
    max_response_bytes: Option<usize>,
    max_event_line_bytes: Option<usize>,
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl ClientOptions {
    /// The defaults of the C API.
    pub fn new() -> ClientOptions {
        ClientOptions::default()
    }
    /// Deadline of one request.
    pub fn request_timeout(mut self, d: Duration) -> Self {
        self.request_timeout = Some(d);
        self
    }
    /// Deadline of a connect.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }
    /// Connection cache size per dugdale.
    pub fn max_connections_per_host(mut self, n: i32) -> Self {
        self.max_connections_per_host = Some(n);
        self
    }
    /// Attempts of a retryable request.
    pub fn retry_attempts(mut self, n: i32) -> Self {
        self.retry_attempts = Some(n);
        self
    }
    /// Waits between attempts.
    pub fn retry_backoff(mut self, waits: &[Duration]) -> Self {
        self.retry_backoff = Some(waits.to_vec());
        self
    }
    /// Upper bound of a whole request (connection, sending, the whole
    /// answer); zero means none, the default. Event and output streams,
    /// downloads and log fetches are exempt. A request that passes it fails
    /// with [`ErrorKind::Network`](crate::ErrorKind::Network), the message
    /// naming `total_timeout`.
    pub fn total_timeout(mut self, d: Duration) -> Self {
        self.total_timeout = Some(d);
        self
    }
    /// Waits before the consecutive reconnects of an event stream, the last
    /// one repeating (default 100/500/2000 ms; empty restores it).
    pub fn reconnect_backoff(mut self, waits: &[Duration]) -> Self {
        self.reconnect_backoff = Some(waits.to_vec());
        self
    }
    /// Ignore proxy settings.
    pub fn ignore_proxy(mut self, on: bool) -> Self {
        self.ignore_proxy = Some(on);
        self
    }
    /// Open a fresh connection for each event stream.
    pub fn stream_fresh_connection(mut self, on: bool) -> Self {
        self.stream_fresh_connection = Some(on);
        self
    }
    /// The User-Agent header.
    pub fn user_agent(mut self, ua: &str) -> Self {
        self.user_agent = Some(ua.to_owned());
        self
    }
    /// Skip the 0600/0400 rule for letts.yaml files holding tokens.
    pub fn insecure_config_permissions(mut self, on: bool) -> Self {
        self.insecure_config_permissions = Some(on);
        self
    }
    /// Cap of a response held in memory.
    pub fn max_response_bytes(mut self, n: usize) -> Self {
        self.max_response_bytes = Some(n);
        self
    }
    /// Cap of one event line.
    pub fn max_event_line_bytes(mut self, n: usize) -> Self {
        self.max_event_line_bytes = Some(n);
        self
    }

    fn to_c(&self) -> Result<COptions> {
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_options_new(&mut raw, err) })?;
        let o = COptions(raw);
        unsafe {
            if let Some(d) = self.request_timeout {
                util::call(|err| sys::letts_client_options_set_request_timeout_ms(raw, ms(d), err))?;
            }
            if let Some(d) = self.connect_timeout {
                util::call(|err| sys::letts_client_options_set_connect_timeout_ms(raw, ms(d), err))?;
            }
            if let Some(n) = self.max_connections_per_host {
                util::call(|err| sys::letts_client_options_set_max_connections_per_host(raw, n, err))?;
            }
            if let Some(n) = self.retry_attempts {
                util::call(|err| sys::letts_client_options_set_retry_attempts(raw, n, err))?;
            }
            if let Some(b) = &self.retry_backoff {
                let v: Vec<i64> = b.iter().map(|d| ms(*d)).collect();
                util::call(|err| sys::letts_client_options_set_retry_backoff(raw, v.as_ptr(), v.len(), err))?;
            }
            if let Some(d) = self.total_timeout {
                util::call(|err| sys::letts_client_options_set_total_timeout_ms(raw, ms(d), err))?;
            }
            if let Some(b) = &self.reconnect_backoff {
                let v: Vec<i64> = b.iter().map(|d| ms(*d)).collect();
                util::call(|err| sys::letts_client_options_set_reconnect_backoff(raw, v.as_ptr(), v.len(), err))?;
            }
            if let Some(b) = self.ignore_proxy {
                util::call(|err| sys::letts_client_options_set_ignore_proxy(raw, b as c_int, err))?;
            }
            if let Some(b) = self.stream_fresh_connection {
                util::call(|err| sys::letts_client_options_set_stream_fresh_connection(raw, b as c_int, err))?;
            }
            if let Some(ua) = &self.user_agent {
                let c = util::cstring(ua)?;
                util::call(|err| sys::letts_client_options_set_user_agent(raw, c.as_ptr(), err))?;
            }
            if let Some(b) = self.insecure_config_permissions {
                util::call(|err| sys::letts_client_options_set_insecure_config_permissions(raw, b as c_int, err))?;
            }
            if let Some(n) = self.max_response_bytes {
                util::call(|err| sys::letts_client_options_set_max_response_bytes(raw, n, err))?;
            }
            if let Some(n) = self.max_event_line_bytes {
                util::call(|err| sys::letts_client_options_set_max_event_line_bytes(raw, n, err))?;
            }
        }
        Ok(o)
    }
}

struct COptions(*mut sys::letts_client_options);
impl Drop for COptions {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_client_options_free(self.0) }
    }
}

struct ConfigRaw(*mut sys::letts_config);
impl Drop for ConfigRaw {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_config_free(self.0) }
    }
}

/// A launch that failed, as the failure observer sees it.
#[derive(Debug)]
pub struct LaunchFailure {
    /// The error that stopped the launch.
    pub error: Error,
    /// Whether launching again may succeed (network errors, 5xx).
    pub retryable: bool,
    /// The client method: "dispatch", "tryDispatch", "run", ...
    pub method: String,
    /// The phase that failed.
    pub phase: String,
    /// The mission id the launch used, if any.
    pub mission_id: Option<String>,
    /// The mission name.
    pub mission: Option<String>,
    /// All of it as JSON text.
    pub json: String,
}

type Observer = Box<dyn Fn(&LaunchFailure) + Send + Sync>;
struct ObserverBox(Observer);

unsafe extern "C" fn observer_trampoline(failure: *const sys::letts_launch_failure, user_data: *mut c_void) {
    // SAFETY: user_data is the ObserverBox the client keeps alive; failure
    // is live during the call.
    let obs = &*(user_data as *const ObserverBox);
    let e = sys::letts_launch_failure_error(failure);
    let lf = LaunchFailure {
        error: if e.is_null() { Error::new(crate::ErrorKind::Internal, "launch failure without an error") } else { Error::from_borrowed(e) },
        retryable: sys::letts_launch_failure_retryable(failure) != 0,
        method: util::str_or_empty(sys::letts_launch_failure_method(failure)).to_owned(),
        phase: util::str_or_empty(sys::letts_launch_failure_phase(failure)).to_owned(),
        mission_id: util::opt_str(sys::letts_launch_failure_mission_id(failure)).map(str::to_owned),
        mission: util::opt_str(sys::letts_launch_failure_mission(failure)).map(str::to_owned),
        json: util::str_or_empty(sys::letts_launch_failure_json(failure)).to_owned(),
    };
    // The observer cannot fail the operation (the C callback returns
    // nothing), so a panic is caught, reported on stderr and dropped:
    // unwinding into C would be undefined behaviour.
    if let Err(p) = catch_unwind(AssertUnwindSafe(|| (obs.0)(&lf))) {
        eprintln!("letts: the failure observer panicked: {}", util::panic_message(&*p));
    }
}

type Completion = Box<dyn Fn(&RunResult) + Send + Sync>;
struct CompletionBox(Completion);

unsafe extern "C" fn completion_trampoline(result: *const sys::letts_run_result, user_data: *mut c_void) {
    // SAFETY: user_data is the CompletionBox the client keeps alive; result
    // is live during the call, and the view does not outlive it.
    let obs = &*(user_data as *const CompletionBox);
    let view = RunResult::borrowed(result);
    if let Err(p) = catch_unwind(AssertUnwindSafe(|| (obs.0)(&view))) {
        eprintln!("letts: the completion observer panicked: {}", util::panic_message(&*p));
    }
}

/// A letts client: dispatches jobs to dugdale daemons and follows them.
///
/// `Send + Sync`: one client may serve calls on many threads at once (the
/// C client locks its shared connection cache). Scoped copies
/// ([`Client::with_match`], [`Client::with_failure_observer`],
/// [`Client::with_cancel`]) share that cache and are dropped independently.
///
/// Where an operation takes `host`, it is the id of a dugdale of the
/// configuration. JSON answers are returned as `String`s of JSON text.
pub struct Client {
    pub(crate) raw: *mut sys::letts_client,
    // What the C copy points at (observer closures, cancel objects) and
    // must outlive it.
    keep: Vec<Arc<dyn Any + Send + Sync>>,
}

// SAFETY: the C client is documented as safe to share between threads
// (DESIGN.md rule 6, c-guide.md "Threads"); callbacks run on the calling
// thread only, and the kept objects are Send + Sync.
unsafe impl Send for Client {}
unsafe impl Sync for Client {}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: owned; `keep` is dropped after this.
        unsafe { sys::letts_client_free(self.raw) }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Client { .. }")
    }
}

/// Runs a C call with a string out-parameter freed with letts_free.
fn out_string(f: impl FnOnce(*mut *mut c_char, *mut *mut sys::letts_error) -> sys::letts_status) -> Result<Option<String>> {
    let mut out: *mut c_char = std::ptr::null_mut();
    util::call(|err| f(&mut out, err))?;
    // SAFETY: allocated by libletts, or NULL.
    Ok((!out.is_null()).then(|| unsafe { util::take_string(out) }))
}

/// The C signature of letts_client_follow_events and its exec variant.
pub(crate) type FollowFn = unsafe extern "C" fn(*const sys::letts_client, *const c_char, *const c_char, i64, c_int, sys::letts_event_fn, *mut std::os::raw::c_void, *mut *mut sys::letts_error) -> sys::letts_status;
/// The C signature of letts_client_stream_output and its exec variant.
pub(crate) type OutputFn = unsafe extern "C" fn(*const sys::letts_client, *const c_char, *const c_char, *const c_char, c_int, sys::letts_bytes_fn, *mut std::os::raw::c_void, *mut *mut sys::letts_error) -> sys::letts_status;

pub(crate) fn finish_run(status: sys::letts_status, res: *mut sys::letts_run_result, err: *mut sys::letts_error) -> Result<RunResult> {
    if status == sys::LETTS_OK {
        // SAFETY: NULL or an error we own.
        unsafe { sys::letts_error_free(err) };
        return RunResult::from_owned(res).ok_or_else(|| Error::new(crate::ErrorKind::Internal, "libletts returned no result"));
    }
    Err(Error::from_raw(status, err).with_result(RunResult::from_owned(res)))
}

impl Client {
    fn from_config(cfg: &ConfigRaw, opts: &ClientOptions) -> Result<Client> {
        let o = opts.to_c()?;
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_new(&mut raw, cfg.0, o.0, err) })?;
        Ok(Client { raw, keep: Vec::new() })
    }

    /// A client for the letts.yaml at `path`.
    pub fn from_file(path: &std::path::Path, opts: &ClientOptions) -> Result<Client> {
        let p = util::cstring(&path.to_string_lossy())?;
        let flags = if opts.insecure_config_permissions == Some(true) { sys::LETTS_CONFIG_INSECURE_PERMISSIONS } else { sys::LETTS_CONFIG_DEFAULT };
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_config_load_file(&mut raw, p.as_ptr(), flags, err) })?;
        Client::from_config(&ConfigRaw(raw), opts)
    }

    /// A client for a letts.yaml given as text; `name` is used in messages.
    pub fn from_yaml(yaml: &str, name: &str, opts: &ClientOptions) -> Result<Client> {
        let n = util::cstring(name)?;
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_config_load_string(&mut raw, yaml.as_ptr().cast(), yaml.len(), n.as_ptr(), err) })?;
        Client::from_config(&ConfigRaw(raw), opts)
    }

    /// A client for the letts.yaml found by the discovery cascade
    /// (`$LETTS_CONFIG`, `./letts.yaml`, ...).
    pub fn discover(opts: &ClientOptions) -> Result<Client> {
        let o = opts.to_c()?;
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_discover(&mut raw, o.0, err) })?;
        Ok(Client { raw, keep: Vec::new() })
    }

    fn scoped(&self, raw: *mut sys::letts_client, extra: Option<Arc<dyn Any + Send + Sync>>) -> Client {
        let mut keep = self.keep.clone();
        keep.extend(extra);
        Client { raw, keep }
    }

    /// A copy that addresses jobs without labels of their own to dugdales
    /// carrying `labels`.
    pub fn with_match<S: AsRef<str>>(&self, labels: &[S]) -> Result<Client> {
        let l = CStrings::new(labels)?;
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_with_match(self.raw, l.ptr(), l.len(), &mut raw, err) })?;
        Ok(self.scoped(raw, None))
    }

    /// A copy that tells `observer` about every failed launch (dispatch,
    /// try-dispatch, run, fan-out jobs), on the calling thread, before the
    /// call returns. A panic in `observer` is caught and printed on stderr.
    pub fn with_failure_observer<F: Fn(&LaunchFailure) + Send + Sync + 'static>(&self, observer: F) -> Result<Client> {
        let boxed: Arc<ObserverBox> = Arc::new(ObserverBox(Box::new(observer)));
        let ud = Arc::as_ptr(&boxed) as *mut c_void;
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_with_failure_observer(self.raw, Some(observer_trampoline), ud, &mut raw, err) })?;
        Ok(self.scoped(raw, Some(boxed)))
    }

    /// A copy that calls `observer` with every finished run's result — run,
    /// wait, exec run, each fan-out job — exactly once, after its last
    /// attempt, whatever the outcome, on the calling thread during the
    /// call. A call that ends without a result is not reported. A panic in
    /// the observer is caught and reported on stderr.
    pub fn with_completion_observer<F: Fn(&RunResult) + Send + Sync + 'static>(&self, observer: F) -> Result<Client> {
        let boxed: Arc<CompletionBox> = Arc::new(CompletionBox(Box::new(observer)));
        let ud = Arc::as_ptr(&boxed) as *mut c_void;
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_with_completion_observer(self.raw, Some(completion_trampoline), ud, &mut raw, err) })?;
        Ok(self.scoped(raw, Some(boxed)))
    }

    /// A copy whose every blocking call returns
    /// [`crate::ErrorKind::Cancelled`] promptly once `token` is triggered.
    pub fn with_cancel(&self, token: &CancelToken) -> Result<Client> {
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_with_cancel(self.raw, token.raw(), &mut raw, err) })?;
        Ok(self.scoped(raw, Some(Arc::new(token.clone()))))
    }

    /// The merged configuration, JSON text.
    pub fn config_json(&self) -> String {
        // SAFETY: owned by the live client.
        unsafe { util::str_or_empty(sys::letts_client_config_json(self.raw)).to_owned() }
    }

    /// The ids of the configured dugdales carrying every label (all with none).
    pub fn dugdales<S: AsRef<str>>(&self, labels: &[S]) -> Result<Vec<String>> {
        let l = CStrings::new(labels)?;
        let mut list = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_dugdales(self.raw, l.ptr(), l.len(), &mut list, err) })?;
        // SAFETY: list owned here, freed after copying.
        unsafe {
            let v = (0..sys::letts_string_list_count(list)).map(|i| util::str_or_empty(sys::letts_string_list_get(list, i)).to_owned()).collect();
            sys::letts_string_list_free(list);
            Ok(v)
        }
    }

    /// Dispatches `job` (staging its files first); returns the mission id.
    pub fn dispatch(&self, job: &Job) -> Result<String> {
        out_string(|out, err| unsafe { sys::letts_client_dispatch(self.raw, job.raw(), out, err) }).map(Option::unwrap_or_default)
    }

    /// As [`Client::dispatch`], but a failed launch is `Ok(None)` (after the
    /// failure observer was told) instead of an error.
    pub fn try_dispatch(&self, job: &Job) -> Result<Option<String>> {
        out_string(|out, err| unsafe { sys::letts_client_try_dispatch(self.raw, job.raw(), out, err) })
    }

    /// Dispatches `job`, follows it to the end and returns its result. With
    /// the default options a non-success outcome is
    /// [`crate::ErrorKind::MissionFailed`] carrying the result.
    pub fn run(&self, job: &Job, opts: RunOptions<'_>) -> Result<RunResult> {
        run::with_c_options(opts, |o| {
            let mut res = std::ptr::null_mut();
            let mut err = std::ptr::null_mut();
            // SAFETY: live handles; options and their callback context outlive the call.
            let st = unsafe { sys::letts_client_run(self.raw, job.raw(), o, &mut res, &mut err) };
            finish_run(st, res, err)
        })
    }

    /// Follows mission `mission_id` on `host`, which already exists, to the
    /// end, exactly as [`Client::run`] does after its dispatch.
    pub fn wait(&self, host: &str, mission_id: &str, opts: RunOptions<'_>) -> Result<RunResult> {
        let h = util::cstring(host)?;
        let id = util::cstring(mission_id)?;
        run::with_c_options(opts, |o| {
            let mut res = std::ptr::null_mut();
            let mut err = std::ptr::null_mut();
            // SAFETY: as in run.
            let st = unsafe { sys::letts_client_wait(self.raw, h.as_ptr(), id.as_ptr(), o, &mut res, &mut err) };
            finish_run(st, res, err)
        })
    }

    /// Starts running `job` without waiting: drive the returned handle from
    /// an event loop (see [`RunHandle`]).
    pub fn run_start<'a>(&self, job: &Job, opts: RunOptions<'a>) -> Result<RunHandle<'_, 'a>> {
        RunHandle::start(opts, |o, out, err| unsafe { sys::letts_client_run_start(self.raw, job.raw(), o, out, err) })
    }

    /// As [`Client::wait`], without waiting: drive the returned handle.
    pub fn wait_start<'a>(&self, host: &str, mission_id: &str, opts: RunOptions<'a>) -> Result<RunHandle<'_, 'a>> {
        let h = util::cstring(host)?;
        let id = util::cstring(mission_id)?;
        RunHandle::start(opts, |o, out, err| unsafe { sys::letts_client_wait_start(self.raw, h.as_ptr(), id.as_ptr(), o, out, err) })
    }

    /// Runs every job at once; one [`crate::HostResult`] per job, in order.
    pub fn run_parallel(&self, jobs: &[&Job], opts: RunOptions<'_>) -> Result<HostResults> {
        let ptrs: Vec<*const sys::letts_job> = jobs.iter().map(|j| j.raw()).collect();
        run::with_c_options(opts, |o| {
            let mut out = std::ptr::null_mut();
            util::call(|err| unsafe { sys::letts_client_run_parallel(self.raw, ptrs.as_ptr(), ptrs.len(), o, &mut out, err) })?;
            Ok(run::host_results(out))
        })
    }

    /// Runs `job` once on every dugdale carrying its labels and its lane.
    pub fn run_on_all(&self, job: &Job, opts: RunOptions<'_>) -> Result<HostResults> {
        run::with_c_options(opts, |o| {
            let mut out = std::ptr::null_mut();
            util::call(|err| unsafe { sys::letts_client_run_on_all(self.raw, job.raw(), o, &mut out, err) })?;
            Ok(run::host_results(out))
        })
    }

    /// Downloads output `key` of `result` into memory, verified against
    /// its size and sha256.
    pub fn download_output(&self, result: &RunResult, key: &str) -> Result<Vec<u8>> {
        let k = util::cstring(key)?;
        let mut data: *mut c_char = std::ptr::null_mut();
        let mut len = 0usize;
        util::call(|err| unsafe { sys::letts_client_download_output(self.raw, result.raw(), k.as_ptr(), &mut data, &mut len, err) })?;
        // SAFETY: `len` bytes allocated by libletts, freed after the copy.
        unsafe {
            let v = if data.is_null() { Vec::new() } else { std::slice::from_raw_parts(data.cast::<u8>(), len).to_vec() };
            sys::letts_free(data.cast());
            Ok(v)
        }
    }

    /// The mission resource of `id` on `host` (None: ask every dugdale);
    /// `Ok(None)` when no dugdale knows it (also while it is being deleted).
    pub fn get_mission(&self, host: Option<&str>, id: &str) -> Result<Option<MissionInfo>> {
        let h = util::opt_cstring(host)?;
        let i = util::cstring(id)?;
        let mut out = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_get_mission(self.raw, util::opt_ptr(&h), i.as_ptr(), &mut out, err) })?;
        Ok((!out.is_null()).then(|| MissionInfo::from_owned(out)))
    }

    pub(crate) fn list_page(&self, host: &str, filter: &ListFilter) -> Result<MissionPage> {
        let h = util::cstring(host)?;
        let f = filter.to_c()?;
        let mut out = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_list_missions(self.raw, h.as_ptr(), f.raw(), &mut out, err) })?;
        Ok(info::page(out))
    }

    /// The missions of `host` matching `filter`, page by page: each
    /// iteration is one request, following the cursor to the last page.
    pub fn list_missions(&self, host: &str, filter: ListFilter) -> MissionPages<'_> {
        MissionPages { client: self, host: host.to_owned(), filter, done: false }
    }

    /// Kills mission `id` on `host` with `signal` (None: "TERM").
    pub fn kill(&self, host: &str, id: &str, signal: Option<&str>) -> Result<()> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        let s = util::opt_cstring(signal)?;
        util::call(|err| unsafe { sys::letts_client_kill(self.raw, h.as_ptr(), i.as_ptr(), util::opt_ptr(&s), err) })
    }

    /// Restarts finished mission `id` on `host` as a new one; its id.
    pub fn restart(&self, host: &str, id: &str) -> Result<String> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        out_string(|out, err| unsafe { sys::letts_client_restart(self.raw, h.as_ptr(), i.as_ptr(), out, err) }).map(Option::unwrap_or_default)
    }

    /// Deletes mission `id` on `host` (`force`: also a running one).
    pub fn delete(&self, host: &str, id: &str, force: bool) -> Result<()> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        util::call(|err| unsafe { sys::letts_client_delete(self.raw, h.as_ptr(), i.as_ptr(), force as c_int, err) })
    }

    /// Hands each event of mission `id` with seq > `from` to `f` as one
    /// JSON line; with `follow`, up to the `done` event. `f` returns
    /// `ControlFlow::Break(())` to stop ([`crate::ErrorKind::Interrupted`]).
    pub fn follow_events<F: FnMut(&str) -> ControlFlow<()>>(&self, host: &str, id: &str, from: i64, follow: bool, f: F) -> Result<()> {
        self.follow_events_with(sys::letts_client_follow_events, host, id, from, follow, f)
    }

    /// follow_events through `call` (the mission or the exec variant).
    pub(crate) fn follow_events_with<F: FnMut(&str) -> ControlFlow<()>>(&self, call: FollowFn, host: &str, id: &str, from: i64, follow: bool, f: F) -> Result<()> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        let mut ctx = StreamCtx { f, panic: PanicSlot::default() };
        let r = util::call(|err| unsafe {
            call(self.raw, h.as_ptr(), i.as_ptr(), from, follow as c_int, Some(event_trampoline::<F>), (&mut ctx as *mut StreamCtx<F>).cast(), err)
        });
        match ctx.panic.into_error("event") {
            Some(e) => Err(e.with_cause(r.err())),
            None => r,
        }
    }

    /// Hands the captured `stream` ("stdout", "stderr" or "combined") of
    /// mission `id` to `f` as bytes arrive; with `follow`, until the mission
    /// ends. `f` returns `ControlFlow::Break(())` to stop.
    pub fn stream_output<F: FnMut(&[u8]) -> ControlFlow<()>>(&self, host: &str, id: &str, stream: &str, follow: bool, f: F) -> Result<()> {
        self.stream_output_with(sys::letts_client_stream_output, host, id, stream, follow, f)
    }

    /// stream_output through `call` (the mission or the exec variant).
    pub(crate) fn stream_output_with<F: FnMut(&[u8]) -> ControlFlow<()>>(&self, call: OutputFn, host: &str, id: &str, stream: &str, follow: bool, f: F) -> Result<()> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        let s = util::cstring(stream)?;
        let mut ctx = StreamCtx { f, panic: PanicSlot::default() };
        let r = util::call(|err| unsafe {
            call(self.raw, h.as_ptr(), i.as_ptr(), s.as_ptr(), follow as c_int, Some(bytes_trampoline::<F>), (&mut ctx as *mut StreamCtx<F>).cast(), err)
        });
        match ctx.panic.into_error("output") {
            Some(e) => Err(e.with_cause(r.err())),
            None => r,
        }
    }

    fn json_call(&self, host: &str, f: unsafe extern "C" fn(*const sys::letts_client, *const c_char, *mut *mut c_char, *mut *mut sys::letts_error) -> sys::letts_status) -> Result<String> {
        let h = util::cstring(host)?;
        out_string(|out, err| unsafe { f(self.raw, h.as_ptr(), out, err) }).map(Option::unwrap_or_default)
    }

    /// `GET /v1/dugdale` of `host`, JSON text.
    pub fn dugdale_info(&self, host: &str) -> Result<String> {
        self.json_call(host, sys::letts_client_dugdale_info)
    }
    /// The lanes of `host`, JSON text.
    pub fn lanes(&self, host: &str) -> Result<String> {
        self.json_call(host, sys::letts_client_lanes)
    }
    /// Pauses `lane` on `host` (admin token).
    pub fn pause_lane(&self, host: &str, lane: &str) -> Result<()> {
        let h = util::cstring(host)?;
        let l = util::cstring(lane)?;
        util::call(|err| unsafe { sys::letts_client_pause_lane(self.raw, h.as_ptr(), l.as_ptr(), err) })
    }
    /// Lets a paused `lane` on `host` start missions again (admin token).
    pub fn continue_lane(&self, host: &str, lane: &str) -> Result<()> {
        let h = util::cstring(host)?;
        let l = util::cstring(lane)?;
        util::call(|err| unsafe { sys::letts_client_continue_lane(self.raw, h.as_ptr(), l.as_ptr(), err) })
    }
    /// `POST /v1/admin/apply` with `body_json`; the answer, JSON text.
    pub fn admin_apply(&self, host: &str, body_json: &str) -> Result<String> {
        let h = util::cstring(host)?;
        let b = util::cstring(body_json)?;
        out_string(|out, err| unsafe { sys::letts_client_admin_apply(self.raw, h.as_ptr(), b.as_ptr(), out, err) }).map(Option::unwrap_or_default)
    }
    /// The applied state of `host` (admin token), JSON text.
    pub fn admin_state(&self, host: &str) -> Result<String> {
        self.json_call(host, sys::letts_client_admin_state)
    }
    /// `GET /healthz` of `host`, JSON text.
    pub fn healthz(&self, host: &str) -> Result<String> {
        self.json_call(host, sys::letts_client_healthz)
    }
    /// `GET /v1/version` of `host`, JSON text ({"version","commit","built_at"}).
    pub fn version(&self, host: &str) -> Result<String> {
        self.json_call(host, sys::letts_client_version)
    }
    /// `GET /v1/metrics` of `host`: Prometheus text as received.
    pub fn metrics(&self, host: &str) -> Result<String> {
        let h = util::cstring(host)?;
        out_string(|out, err| unsafe { sys::letts_client_metrics(self.raw, h.as_ptr(), out, std::ptr::null_mut(), err) })
            .map(Option::unwrap_or_default)
    }
    /// `GET /readyz` of `host`, JSON text.
    pub fn readyz(&self, host: &str) -> Result<String> {
        self.json_call(host, sys::letts_client_readyz)
    }
}

pub(crate) struct StreamCtx<F> {
    pub(crate) f: F,
    pub(crate) panic: PanicSlot,
}

fn guarded<R>(panic: &mut PanicSlot, f: impl FnOnce() -> ControlFlow<R>) -> c_int {
    if panic.0.is_some() {
        return 1;
    }
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(ControlFlow::Continue(())) => 0,
        Ok(ControlFlow::Break(_)) => 1,
        Err(p) => {
            panic.0 = Some(util::panic_message(&*p));
            1
        }
    }
}

unsafe extern "C" fn event_trampoline<F: FnMut(&str) -> ControlFlow<()>>(line: *const c_char, len: usize, user_data: *mut c_void) -> c_int {
    // SAFETY: user_data is the StreamCtx of the call in progress; `len` bytes at `line`.
    let ctx = &mut *(user_data as *mut StreamCtx<F>);
    let bytes = if line.is_null() { &[][..] } else { std::slice::from_raw_parts(line.cast::<u8>(), len) };
    let text = String::from_utf8_lossy(bytes);
    let f = &mut ctx.f;
    guarded(&mut ctx.panic, || f(&text))
}

pub(crate) unsafe extern "C" fn bytes_trampoline<F: FnMut(&[u8]) -> ControlFlow<()>>(data: *const c_char, len: usize, user_data: *mut c_void) -> c_int {
    // SAFETY: as event_trampoline.
    let ctx = &mut *(user_data as *mut StreamCtx<F>);
    let bytes = if data.is_null() { &[][..] } else { std::slice::from_raw_parts(data.cast::<u8>(), len) };
    let f = &mut ctx.f;
    guarded(&mut ctx.panic, || f(bytes))
}
