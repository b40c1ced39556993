//! Exec: an argv run verbatim on a dugdale (letts/exec.h), dispatched and
//! followed with the exec token.
use crate::client::{finish_run, Client};
use crate::error::Result;
use crate::info::MissionInfo;
use crate::run::{self, RunOptions, RunResult};
use crate::util::{self, CStrings};
use letts_sys as sys;
use std::os::raw::c_char;
use std::ops::ControlFlow;
use std::path::Path;

/// What an exec runs and where: built with chained setters, each checked
/// at once. `host`, `lane` and `command` are required.
///
/// ```no_run
/// # fn main() -> letts::Result<()> {
/// let spec = letts::ExecSpec::new()?.host("dev")?.lane("default")?.command(&["echo", "hi"])?;
/// # Ok(()) }
/// ```
pub struct ExecSpec {
    raw: *mut sys::letts_exec_spec,
}

// SAFETY: a plain value object, modified only through setters that take
// self by value; calls only read it (letts/exec.h, "Threads").
unsafe impl Send for ExecSpec {}
unsafe impl Sync for ExecSpec {}

impl Drop for ExecSpec {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_exec_spec_free(self.raw) }
    }
}

type SetStr = unsafe extern "C" fn(*mut sys::letts_exec_spec, *const c_char, *mut *mut sys::letts_error) -> sys::letts_status;

impl ExecSpec {
    /// An empty spec.
    pub fn new() -> Result<ExecSpec> {
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_exec_spec_new(&mut raw, err) })?;
        Ok(ExecSpec { raw })
    }

    fn set_str(self, value: &str, f: SetStr) -> Result<ExecSpec> {
        let c = util::cstring(value)?;
        util::call(|err| unsafe { f(self.raw, c.as_ptr(), err) })?;
        Ok(self)
    }

    /// The dugdale (id or alias).
    pub fn host(self, host: &str) -> Result<ExecSpec> {
        self.set_str(host, sys::letts_exec_spec_set_host)
    }
    /// The lane.
    pub fn lane(self, lane: &str) -> Result<ExecSpec> {
        self.set_str(lane, sys::letts_exec_spec_set_lane)
    }
    /// The argv (no shell, no expansion).
    pub fn command<S: AsRef<str>>(self, argv: &[S]) -> Result<ExecSpec> {
        let a = CStrings::new(argv)?;
        util::call(|err| unsafe { sys::letts_exec_spec_set_command(self.raw, a.ptr(), a.len(), err) })?;
        Ok(self)
    }
    /// A local script, staged and materialised as script/script.
    pub fn script_file(self, path: &Path) -> Result<ExecSpec> {
        self.set_str(&path.to_string_lossy(), sys::letts_exec_spec_set_script_file)
    }
    /// An `in` file: staged, reaches the process as `$LETTS_IN_<key>`.
    pub fn input_file(self, key: &str, path: &Path) -> Result<ExecSpec> {
        let k = util::cstring(key)?;
        let p = util::cstring(&path.to_string_lossy())?;
        util::call(|err| unsafe { sys::letts_exec_spec_add_input_file(self.raw, k.as_ptr(), p.as_ptr(), err) })?;
        Ok(self)
    }
    /// A declared output: what the process leaves as `$LETTS_OUT_<key>`.
    pub fn output(self, key: &str) -> Result<ExecSpec> {
        self.set_str(key, sys::letts_exec_spec_add_output)
    }
    /// Standard input from bytes (staged; empty: none).
    pub fn stdin(self, data: &[u8]) -> Result<ExecSpec> {
        util::call(|err| unsafe { sys::letts_exec_spec_set_stdin(self.raw, data.as_ptr().cast(), data.len(), err) })?;
        Ok(self)
    }
    /// Standard input from a local file (staged).
    pub fn stdin_file(self, path: &Path) -> Result<ExecSpec> {
        self.set_str(&path.to_string_lossy(), sys::letts_exec_spec_set_stdin_file)
    }
    /// The exec's time limit on the dugdale.
    pub fn timeout(self, timeout: std::time::Duration) -> Result<ExecSpec> {
        let ms = i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
        util::call(|err| unsafe { sys::letts_exec_spec_set_timeout_ms(self.raw, ms, err) })?;
        Ok(self)
    }
    /// The group id (a UUIDv7).
    pub fn group_id(self, id: &str) -> Result<ExecSpec> {
        self.set_str(id, sys::letts_exec_spec_set_group_id)
    }
    /// The display name.
    pub fn display_name(self, name: &str) -> Result<ExecSpec> {
        self.set_str(name, sys::letts_exec_spec_set_display_name)
    }
    /// The exec id (idempotency key, a UUIDv7) instead of a fresh one.
    pub fn exec_id(self, id: &str) -> Result<ExecSpec> {
        self.set_str(id, sys::letts_exec_spec_set_exec_id)
    }
}

impl std::fmt::Debug for ExecSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExecSpec { .. }")
    }
}

impl Client {
    /// Stages the spec's files and dispatches the exec with the exec token
    /// (retried like a dispatch); returns the exec id.
    pub fn exec_dispatch(&self, spec: &ExecSpec) -> Result<String> {
        let mut out: *mut c_char = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_exec_dispatch(self.raw, spec.raw, &mut out, err) })?;
        // SAFETY: allocated by libletts.
        Ok(unsafe { util::take_string(out) })
    }

    /// Dispatches the exec and follows it to its end as [`Client::run`]
    /// does (exec token): exit code, outcome, outputs (download them with
    /// [`Client::download_output`]). A non-zero exit is outcome "failed".
    pub fn exec_run(&self, spec: &ExecSpec, opts: RunOptions<'_>) -> Result<RunResult> {
        run::with_c_options(opts, |o| {
            let mut res = std::ptr::null_mut();
            let mut err = std::ptr::null_mut();
            // SAFETY: live handles; options and their callback context outlive the call.
            let st = unsafe { sys::letts_client_exec_run(self.raw, spec.raw, o, &mut res, &mut err) };
            finish_run(st, res, err)
        })
    }

    /// Follows exec `exec_id` on `host` to its end ([`Client::wait`] with the exec token).
    pub fn exec_wait(&self, host: &str, exec_id: &str, opts: RunOptions<'_>) -> Result<RunResult> {
        let h = util::cstring(host)?;
        let id = util::cstring(exec_id)?;
        run::with_c_options(opts, |o| {
            let mut res = std::ptr::null_mut();
            let mut err = std::ptr::null_mut();
            // SAFETY: as in exec_run.
            let st = unsafe { sys::letts_client_exec_wait(self.raw, h.as_ptr(), id.as_ptr(), o, &mut res, &mut err) };
            finish_run(st, res, err)
        })
    }

    /// Exec `id` on `host` (exec token); `Ok(None)` when the daemon does not
    /// know it. List, kill, restart and delete execs with the admin calls
    /// ([`Client::list_missions`] with kind "exec", [`Client::kill`], ...).
    pub fn exec_get(&self, host: &str, id: &str) -> Result<Option<MissionInfo>> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        let mut out = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_exec_get(self.raw, h.as_ptr(), i.as_ptr(), &mut out, err) })?;
        Ok((!out.is_null()).then(|| MissionInfo::from_owned(out)))
    }

    /// The events of exec `id` ([`Client::follow_events`] with the exec token).
    pub fn exec_follow_events<F: FnMut(&str) -> ControlFlow<()>>(&self, host: &str, id: &str, from: i64, follow: bool, f: F) -> Result<()> {
        self.follow_events_with(sys::letts_client_exec_follow_events, host, id, from, follow, f)
    }

    /// The captured output of exec `id` ([`Client::stream_output`] with the exec token).
    pub fn exec_stream_output<F: FnMut(&[u8]) -> ControlFlow<()>>(&self, host: &str, id: &str, stream: &str, follow: bool, f: F) -> Result<()> {
        self.stream_output_with(sys::letts_client_exec_stream_output, host, id, stream, follow, f)
    }
}
