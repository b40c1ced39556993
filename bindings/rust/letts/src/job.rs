//! Job: what to run and where, built with chained setters.
use crate::error::Result;
use crate::util::{self, CStrings};
use letts_sys as sys;

/// A job: the mission to run, its input, files and addressing. Built with
/// chained setters; each setter validates its value at once.
///
/// ```no_run
/// # fn main() -> letts::Result<()> {
/// let job = letts::Job::new("hello")?.input_json(r#"{"name":"ada"}"#)?.lane("default")?;
/// # Ok(()) }
/// ```
pub struct Job {
    raw: *mut sys::letts_job,
}

// SAFETY: the C job is a plain value object; it is only modified through
// `&mut self` (setters take self by value), and calls read it (const) from
// any number of threads at once (c-guide.md, "Threads").
unsafe impl Send for Job {}
unsafe impl Sync for Job {}

impl Drop for Job {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_job_free(self.raw) }
    }
}

impl Job {
    /// A job for mission `mission` (its name on the dugdale).
    pub fn new(mission: &str) -> Result<Job> {
        let m = util::cstring(mission)?;
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_job_new(&mut raw, m.as_ptr(), err) })?;
        Ok(Job { raw })
    }

    fn set_str(self, value: &str, f: unsafe extern "C" fn(*mut sys::letts_job, *const std::os::raw::c_char, *mut *mut sys::letts_error) -> sys::letts_status) -> Result<Job> {
        let c = util::cstring(value)?;
        util::call(|err| unsafe { f(self.raw, c.as_ptr(), err) })?;
        Ok(self)
    }

    /// Addresses the job through a route of letts.yaml.
    pub fn route(self, route: &str) -> Result<Job> {
        self.set_str(route, sys::letts_job_set_route)
    }
    /// Addresses the job to one dugdale by id.
    pub fn host(self, host: &str) -> Result<Job> {
        self.set_str(host, sys::letts_job_set_host)
    }
    /// The lane to run in.
    pub fn lane(self, lane: &str) -> Result<Job> {
        self.set_str(lane, sys::letts_job_set_lane)
    }
    /// The input, as JSON text.
    pub fn input_json(self, json: &str) -> Result<Job> {
        self.set_str(json, sys::letts_job_set_input_json)
    }
    /// Chooses the mission id (a UUID) instead of letting the client make one.
    pub fn mission_id(self, id: &str) -> Result<Job> {
        self.set_str(id, sys::letts_job_set_mission_id)
    }
    /// Addresses the job to dugdales carrying every label.
    pub fn match_labels<S: AsRef<str>>(self, labels: &[S]) -> Result<Job> {
        let l = CStrings::new(labels)?;
        util::call(|err| unsafe { sys::letts_job_set_match(self.raw, l.ptr(), l.len(), err) })?;
        Ok(self)
    }
    /// Adds an input file under `role`, staged before the dispatch.
    pub fn file(self, role: &str, path: &std::path::Path) -> Result<Job> {
        let r = util::cstring(role)?;
        let p = util::cstring(&path.to_string_lossy())?;
        util::call(|err| unsafe { sys::letts_job_add_file(self.raw, r.as_ptr(), p.as_ptr(), err) })?;
        Ok(self)
    }
    /// The mission's timeout on the dugdale.
    pub fn timeout(self, timeout: std::time::Duration) -> Result<Job> {
        let ms = i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
        util::call(|err| unsafe { sys::letts_job_set_timeout_ms(self.raw, ms, err) })?;
        Ok(self)
    }

    /// Unique dispatch: the mission id is derived from `key` and the window
    /// of length `window` (whole milliseconds; zero: no window) containing
    /// the launch time, as docs/unique-ids.md documents, so every process
    /// launching the same key in the same window gets one mission. Not
    /// together with [`Job::mission_id`].
    pub fn unique(self, key: &str, window: std::time::Duration) -> Result<Job> {
        let k = util::cstring(key)?;
        let ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        util::call(|err| unsafe { sys::letts_job_set_unique(self.raw, k.as_ptr(), ms, err) })?;
        Ok(self)
    }
    /// Pins the time (Unix milliseconds) that picks the unique window, e.g.
    /// a schedule tick; `None` uses the clock at each launch.
    pub fn unique_at_ms(self, at_unix_ms: Option<i64>) -> Result<Job> {
        let at = at_unix_ms.unwrap_or(-1);
        util::call(|err| unsafe { sys::letts_job_set_unique_at_ms(self.raw, at, err) })?;
        Ok(self)
    }
    /// Whether another payload under the derived id (409) is an error
    /// (`true`, the default: [`crate::ErrorKind::Conflict`]) or returns the
    /// existing mission's id.
    pub fn unique_conflict_is_error(self, is_error: bool) -> Result<Job> {
        util::call(|err| unsafe { sys::letts_job_set_unique_conflict_is_error(self.raw, i32::from(is_error), err) })?;
        Ok(self)
    }

    pub(crate) fn raw(&self) -> *const sys::letts_job {
        self.raw
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job { .. }")
    }
}
