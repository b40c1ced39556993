//! Mission: the worker side, a program that dugdale starts.
use crate::error::{Error, ErrorKind, Result};
use crate::util;
use letts_sys as sys;
use std::os::raw::{c_char, c_int, c_void};
use std::os::unix::io::{AsRawFd, FromRawFd, RawFd};
use std::path::PathBuf;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Flags of [`Mission::start_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MissionFlags {
    /// Install no SIGTERM/SIGINT handlers; forward signals yourself with
    /// [`Mission::interrupt`].
    pub no_signal_handlers: bool,
    /// Run standalone whatever the environment says.
    pub standalone: bool,
}

impl MissionFlags {
    fn bits(self) -> std::os::raw::c_uint {
        let mut b = sys::LETTS_MISSION_DEFAULT;
        if self.no_signal_handlers {
            b |= sys::LETTS_MISSION_NO_SIGNAL_HANDLERS;
        }
        if self.standalone {
            b |= sys::LETTS_MISSION_STANDALONE;
        }
        b
    }
}

type InterruptFn = Box<dyn FnMut(i32)>;

/// A running mission: its input, files, progress, interruption, outputs
/// and its one terminal event.
///
/// Under dugdale the input comes on stdin and events go to fd 3; anywhere
/// else it runs *standalone* (input from `--input=JSON`, `--input-file=PATH`,
/// progress on stderr, the return printed on stdout). Terminal calls
/// ([`Mission::success`], [`Mission::fail`]) do not exit; [`Mission::exit`]
/// does, with the matching status.
///
/// Neither `Send` nor `Sync`: the handle belongs to the thread that
/// started it (interrupt callbacks run there), and at most one is live
/// per process.
pub struct Mission {
    raw: *mut sys::letts_mission,
    // Interrupt closures the C side points at; boxed twice so their address
    // is stable.
    #[allow(clippy::vec_box)] // the C side holds their addresses: they must not move
    callbacks: Vec<Box<InterruptCtx>>,
}

struct InterruptCtx {
    f: InterruptFn,
}

impl Drop for Mission {
    fn drop(&mut self) {
        // SAFETY: owned; restores the previous signal handlers.
        unsafe { sys::letts_mission_free(self.raw) }
    }
}

unsafe extern "C" fn interrupt_trampoline(signal: c_int, user_data: *mut c_void) -> c_int {
    // SAFETY: user_data is an InterruptCtx the mission keeps alive.
    let ctx = &mut *(user_data as *mut InterruptCtx);
    match catch_unwind(AssertUnwindSafe(|| (ctx.f)(signal))) {
        Ok(()) => 0,
        Err(p) => {
            eprintln!("letts: an interrupt callback panicked: {}", util::panic_message(&*p));
            1
        }
    }
}

impl Mission {
    /// Starts the mission with the process's arguments and default flags.
    pub fn start() -> Result<Mission> {
        let args: Vec<String> = std::env::args().collect();
        Mission::start_with(&args, MissionFlags::default())
    }

    /// Starts the mission with these arguments (`args[0]` the program;
    /// only read standalone) and flags.
    pub fn start_with<S: AsRef<str>>(args: &[S], flags: MissionFlags) -> Result<Mission> {
        let a = util::CStrings::new(args)?;
        let mut raw = std::ptr::null_mut();
        let argc = c_int::try_from(a.len()).map_err(|_| Error::new(ErrorKind::InvalidArgument, "too many arguments"))?;
        util::call(|err| unsafe { sys::letts_mission_start(&mut raw, argc, a.ptr(), flags.bits(), err) })?;
        Ok(Mission { raw, callbacks: Vec::new() })
    }

    fn s(&self, p: *const c_char) -> &str {
        // SAFETY: owned by the live mission.
        unsafe { util::str_or_empty(p) }
    }

    /// Whether it runs standalone (not under dugdale).
    pub fn is_standalone(&self) -> bool {
        // SAFETY: live mission.
        unsafe { sys::letts_mission_is_standalone(self.raw) != 0 }
    }
    /// The mission id ("" standalone).
    pub fn id(&self) -> &str {
        self.s(unsafe { sys::letts_mission_id(self.raw) })
    }
    /// The lane.
    pub fn lane(&self) -> &str {
        self.s(unsafe { sys::letts_mission_lane(self.raw) })
    }
    /// The work directory.
    pub fn workdir(&self) -> PathBuf {
        PathBuf::from(self.s(unsafe { sys::letts_mission_workdir(self.raw) }))
    }
    /// The temporary directory.
    pub fn tmpdir(&self) -> PathBuf {
        PathBuf::from(self.s(unsafe { sys::letts_mission_tmpdir(self.raw) }))
    }
    /// The whole input, JSON text.
    pub fn input_json(&self) -> &str {
        self.s(unsafe { sys::letts_mission_input_json(self.raw) })
    }
    /// Whether the dot path `path` exists in the input.
    pub fn input_has(&self, path: &str) -> bool {
        match util::cstring(path) {
            // SAFETY: live mission.
            Ok(p) => unsafe { sys::letts_mission_input_has(self.raw, p.as_ptr()) != 0 },
            Err(_) => false,
        }
    }
    /// The value at `path` as compact JSON text ([`ErrorKind::NotFound`] if absent).
    pub fn input_lookup(&self, path: &str) -> Result<String> {
        let p = util::cstring(path)?;
        let mut out = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_mission_input_lookup(self.raw, p.as_ptr(), &mut out, err) })?;
        // SAFETY: allocated by libletts.
        Ok(unsafe { util::take_string(out) })
    }
    /// The string at `path`; `default` when absent or null.
    pub fn input_str(&self, path: &str, default: Option<&str>) -> Result<Option<String>> {
        let p = util::cstring(path)?;
        let mut out: *const c_char = std::ptr::null();
        let mut len = 0usize;
        util::call(|err| unsafe { sys::letts_mission_input_string(self.raw, p.as_ptr(), std::ptr::null(), &mut out, &mut len, err) })?;
        if out.is_null() {
            return Ok(default.map(str::to_owned));
        }
        // SAFETY: `len` bytes owned by the mission.
        let b = unsafe { std::slice::from_raw_parts(out.cast::<u8>(), len) };
        Ok(Some(String::from_utf8_lossy(b).into_owned()))
    }
    /// The integer at `path`; `default` when absent or null.
    pub fn input_i64(&self, path: &str, default: i64) -> Result<i64> {
        let p = util::cstring(path)?;
        let mut v = 0i64;
        util::call(|err| unsafe { sys::letts_mission_input_int(self.raw, p.as_ptr(), default, &mut v, err) })?;
        Ok(v)
    }
    /// The number at `path`; `default` when absent or null.
    pub fn input_f64(&self, path: &str, default: f64) -> Result<f64> {
        let p = util::cstring(path)?;
        let mut v = 0f64;
        util::call(|err| unsafe { sys::letts_mission_input_double(self.raw, p.as_ptr(), default, &mut v, err) })?;
        Ok(v)
    }
    /// The boolean at `path`; `default` when absent or null.
    pub fn input_bool(&self, path: &str, default: bool) -> Result<bool> {
        let p = util::cstring(path)?;
        let mut v: c_int = 0;
        util::call(|err| unsafe { sys::letts_mission_input_bool(self.raw, p.as_ptr(), default as c_int, &mut v, err) })?;
        Ok(v != 0)
    }
    /// The roles of the input files.
    pub fn file_roles(&self) -> Result<Vec<String>> {
        let mut list = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_mission_file_roles(self.raw, &mut list, err) })?;
        // SAFETY: owned list, freed after the copy.
        unsafe {
            let v = (0..sys::letts_string_list_count(list)).map(|i| util::str_or_empty(sys::letts_string_list_get(list, i)).to_owned()).collect();
            sys::letts_string_list_free(list);
            Ok(v)
        }
    }
    /// The path of input file `role`.
    pub fn file_path(&self, role: &str) -> Result<PathBuf> {
        let r = util::cstring(role)?;
        let mut out: *const c_char = std::ptr::null();
        util::call(|err| unsafe { sys::letts_mission_file_path(self.raw, r.as_ptr(), &mut out, err) })?;
        Ok(PathBuf::from(self.s(out)))
    }
    /// The announced size of input file `role`.
    pub fn file_size(&self, role: &str) -> Result<u64> {
        let r = util::cstring(role)?;
        let mut v = 0u64;
        util::call(|err| unsafe { sys::letts_mission_file_size(self.raw, r.as_ptr(), &mut v, err) })?;
        Ok(v)
    }
    /// The announced sha256 of input file `role`.
    pub fn file_sha256(&self, role: &str) -> Result<String> {
        let r = util::cstring(role)?;
        let mut out: *const c_char = std::ptr::null();
        util::call(|err| unsafe { sys::letts_mission_file_sha256(self.raw, r.as_ptr(), &mut out, err) })?;
        Ok(self.s(out).to_owned())
    }
    /// Opens input file `role` for reading.
    pub fn file_open(&self, role: &str) -> Result<std::fs::File> {
        let r = util::cstring(role)?;
        let mut fd: c_int = -1;
        util::call(|err| unsafe { sys::letts_mission_file_open(self.raw, r.as_ptr(), &mut fd, err) })?;
        // SAFETY: a new descriptor the caller owns.
        Ok(unsafe { std::fs::File::from_raw_fd(fd) })
    }
    /// Reports progress `value` (0..=1) with an optional message.
    pub fn progress(&mut self, value: f64, message: Option<&str>) -> Result<()> {
        let m = util::opt_cstring(message)?;
        util::call(|err| unsafe { sys::letts_mission_progress(self.raw, value, util::opt_ptr(&m), err) })
    }
    /// Reports a progress message without a value.
    pub fn progress_message(&mut self, message: &str) -> Result<()> {
        let m = util::cstring(message)?;
        util::call(|err| unsafe { sys::letts_mission_progress_message(self.raw, m.as_ptr(), err) })
    }
    /// Whether an interrupt (SIGTERM/SIGINT, a kill or timeout) was requested.
    pub fn is_interrupted(&self) -> bool {
        self.interrupt_signal().is_some()
    }
    /// The first interrupting signal's number, if any.
    pub fn interrupt_signal(&self) -> Option<i32> {
        // SAFETY: live mission.
        let s = unsafe { sys::letts_mission_interrupted(self.raw) };
        (s != 0).then_some(s)
    }
    /// A safe point: runs the interrupt callbacks and returns
    /// [`ErrorKind::Interrupted`] when an interrupt was requested.
    pub fn check(&mut self) -> Result<()> {
        util::call(|err| unsafe { sys::letts_mission_check(self.raw, err) })
    }
    /// Runs `f` once after an interrupt, on this thread, at the next
    /// [`Mission::check`] or progress call.
    pub fn on_interrupt<F: FnMut(i32) + 'static>(&mut self, f: F) -> Result<()> {
        let mut ctx = Box::new(InterruptCtx { f: Box::new(f) });
        let ud = (&mut *ctx as *mut InterruptCtx).cast::<c_void>();
        util::call(|err| unsafe { sys::letts_mission_on_interrupt(self.raw, Some(interrupt_trampoline), ud, err) })?;
        self.callbacks.push(ctx);
        Ok(())
    }
    /// Requests an interrupt as if `signal` had been received (for hosts
    /// that handle signals themselves).
    pub fn interrupt(&self, signal: i32) -> Result<()> {
        util::call(|err| unsafe { sys::letts_mission_interrupt(self.raw, signal, err) })
    }
    /// Where output `key` is to be written (`<workdir>/out/<key>`).
    pub fn output_path(&mut self, key: &str) -> Result<PathBuf> {
        let k = util::cstring(key)?;
        let mut out: *const c_char = std::ptr::null();
        util::call(|err| unsafe { sys::letts_mission_output_path(self.raw, k.as_ptr(), &mut out, err) })?;
        Ok(PathBuf::from(self.s(out)))
    }
    /// Declares output `key`.
    pub fn output_register(&mut self, key: &str) -> Result<()> {
        let k = util::cstring(key)?;
        util::call(|err| unsafe { sys::letts_mission_output_register(self.raw, k.as_ptr(), err) })
    }
    /// Reports success with `return_json` (a JSON object or "null").
    pub fn success(&mut self, return_json: &str) -> Result<()> {
        let r = util::cstring(return_json)?;
        util::call(|err| unsafe { sys::letts_mission_success(self.raw, r.as_ptr(), err) })
    }
    /// Reports failure: `message` for people, `reason` for machines,
    /// `details_json` (an object) and the exit code [`Mission::exit`] uses.
    pub fn fail(&mut self, message: &str, reason: Option<&str>, details_json: Option<&str>, exit_code: i32) -> Result<()> {
        let m = util::cstring(message)?;
        let r = util::opt_cstring(reason)?;
        let d = util::opt_cstring(details_json)?;
        util::call(|err| unsafe { sys::letts_mission_fail(self.raw, m.as_ptr(), util::opt_ptr(&r), util::opt_ptr(&d), exit_code, err) })
    }
    /// Whether a terminal event was written.
    pub fn ended(&self) -> bool {
        // SAFETY: live mission.
        unsafe { sys::letts_mission_ended(self.raw) != 0 }
    }
    /// The status [`Mission::exit`] would exit with.
    pub fn exit_code(&self) -> i32 {
        // SAFETY: live mission.
        unsafe { sys::letts_mission_exit_code(self.raw) }
    }
    /// Flushes and ends the process with the status matching the terminal
    /// event. Destructors of other values do not run.
    pub fn exit(self) -> ! {
        let raw = self.raw;
        std::mem::forget(self);
        // SAFETY: the handle is given up to letts_mission_exit, which frees it and exits.
        unsafe { sys::letts_mission_exit(raw) }
    }
}

impl AsRawFd for Mission {
    /// The interrupt descriptor: readable once an interrupt was requested
    /// (poll it from an event loop). Owned by the mission.
    fn as_raw_fd(&self) -> RawFd {
        // SAFETY: live mission.
        unsafe { sys::letts_mission_interrupt_fd(self.raw) }
    }
}

impl std::fmt::Debug for Mission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mission").field("id", &self.id()).field("standalone", &self.is_standalone()).finish()
    }
}
