//! Schedule: cron and interval entries whose ticks any number of
//! schedulers dispatch exactly once (`include/letts/schedule.h`).
use crate::cancel::CancelToken;
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::job::Job;
use crate::util::{self, PanicSlot};
use letts_sys as sys;
use std::marker::PhantomData;
use std::os::raw::{c_char, c_void};
use std::os::unix::io::{AsRawFd, RawFd};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

/// What a step does with the ticks of an entry it finds missed (after a
/// pause, a suspended machine or a slow dispatch): the ticks in (last
/// step, now]. The default is [`CatchUp::Once`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CatchUp {
    /// Fire the latest tick only if it is at most `grace` old (whole
    /// milliseconds); every other missed tick is dropped.
    Skip {
        /// How late the latest tick may be and still fire.
        grace: Duration,
    },
    /// Fire the latest tick, late or not.
    #[default]
    Once,
    /// Fire every missed tick, oldest first, but at most the latest
    /// `max_fires` of them (at least 1).
    All {
        /// The most ticks one step fires per entry.
        max_fires: u32,
    },
}

type DispatchFn<'a> = dyn FnMut(&str, i64, &str) + Send + 'a;

/// What the dispatch trampoline reaches through its user data.
struct DispatchCtx<'a> {
    f: Box<DispatchFn<'a>>,
    panic: PanicSlot,
    // run() cannot be stopped by the closure, so a panic there is also
    // reported at once rather than only when the run ends.
    in_run: bool,
}

unsafe extern "C" fn dispatch_trampoline(data: *mut c_void, entry: *const c_char, tick_unix_ms: i64, mission_id: *const c_char) {
    // SAFETY: data is the DispatchCtx the schedule owns; the C side calls
    // it only inside step/run, which hold `&mut Schedule`, on this thread.
    let ctx = &mut *(data as *mut DispatchCtx<'_>);
    // A closure that panicked may have left its state broken: it is not
    // called again until the call that caught the panic has returned.
    if ctx.panic.0.is_some() {
        return;
    }
    let entry = util::str_or_empty(entry);
    let id = util::str_or_empty(mission_id);
    let f = &mut ctx.f;
    // The C callback returns nothing and cannot fail the step: the panic
    // is kept and returned by step/run; unwinding into C would be
    // undefined behaviour.
    if let Err(p) = catch_unwind(AssertUnwindSafe(|| f(entry, tick_unix_ms, id))) {
        let msg = util::panic_message(&*p);
        if ctx.in_run {
            eprintln!("letts: the schedule's dispatch closure panicked (the run goes on): {}", msg);
        }
        ctx.panic.0 = Some(msg);
    }
}

/// A schedule: named entries, each a cron expression or a fixed interval,
/// a time zone and a [`Job`]. Every tick is dispatched with mission id
/// [`tick_id`]`(entry, tick)`, so the same schedule run by any number of
/// schedulers, in any number of processes on any number of machines,
/// dispatches each tick once: the daemon answers the others with a replay
/// of the same mission. Entry names are therefore global identities: two
/// schedules that must not share ticks need different names.
///
/// Expressions have 5 fields, "minute hour day-of-month month
/// day-of-week" (`*`, `N`, `N-M`, `/STEP`, lists, `JAN`-`DEC`,
/// `SUN`-`SAT`), or are one of the macros `@yearly` `@annually`
/// `@monthly` `@weekly` `@daily` `@midnight` `@hourly`, or `@every D`
/// with a Go duration. Cron times are wall-clock times in the entry's
/// zone: a time a DST gap skips fires at the end of the gap, a time a DST
/// overlap repeats fires once, at its first occurrence. Interval ticks are
/// the multiples of the interval since the Unix epoch, so every scheduler
/// agrees on them without talking to the others. Times are Unix
/// milliseconds (`i64`), as elsewhere in this crate.
///
/// Drive it with [`Schedule::run`] (blocking, until a [`CancelToken`] is
/// triggered), or from an event loop: watch the descriptor
/// ([`AsRawFd`]) for readability and call [`Schedule::step`] then. A
/// scheduler starts with the ticks after its first step: it never fires
/// ticks from before it started.
///
/// `Send` but not `Sync`: the schedule carries its run state (the last
/// step of each entry, the armed timer), and the C API allows one thread
/// at a time to use it. Move it to the thread that runs it; give each
/// scheduler thread its own schedule (one [`Client`] may serve them all).
///
/// ```no_run
/// # fn main() -> letts::Result<()> {
/// use letts::{CancelToken, Client, ClientOptions, Job, Schedule};
/// let client = Client::from_file("letts.yaml".as_ref(), &ClientOptions::new())?;
/// let mut schedule = Schedule::new()?;
/// let report = Job::new("report")?.route("reports")?;
/// schedule.add("nightly-report", "30 2 * * *", Some("Europe/Berlin"), &report)?;
/// schedule.on_dispatch(|entry, tick_ms, id| println!("{} {} {}", entry, tick_ms, id))?;
/// let stop = CancelToken::new()?; // stop.cancel() from another thread ends the run
/// schedule.run(&client, Some(&stop))
/// # }
/// ```
pub struct Schedule<'a> {
    raw: *mut sys::letts_schedule,
    // The context the C side points at, from Box::into_raw (so moving the
    // schedule never retags it); NULL when no closure is set. Freed after
    // the C schedule, or once the C side was told to forget it.
    dispatch: *mut DispatchCtx<'a>,
    // Owning a closure that may borrow for 'a: the drop checker then
    // requires what it borrows to outlive the schedule's drop.
    _closure: PhantomData<Box<DispatchFn<'a>>>,
}

// SAFETY: the C schedule is not tied to a thread, only to one thread at a
// time (schedule.h, "Threads"), which `&mut self` on every call that
// changes it guarantees; the dispatch closure is `Send`. Not Sync: two
// threads reading it at once (next, the descriptor) while nothing says
// that is safe would break the C rule.
unsafe impl Send for Schedule<'_> {}

impl Drop for Schedule<'_> {
    fn drop(&mut self) {
        // SAFETY: owned; the C schedule goes first, so nothing can call
        // the closure after it is dropped.
        unsafe {
            sys::letts_schedule_free(self.raw);
            drop_ctx(self.dispatch);
        }
    }
}

/// # Safety
/// `ctx` is NULL or from Box::into_raw, and no C schedule points at it.
unsafe fn drop_ctx(ctx: *mut DispatchCtx<'_>) {
    if !ctx.is_null() {
        drop(Box::from_raw(ctx));
    }
}

impl std::fmt::Debug for Schedule<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schedule").field("fd", &self.as_raw_fd()).field("on_dispatch", &!self.dispatch.is_null()).finish()
    }
}

fn whole_ms(d: Duration, what: &str) -> Result<i64> {
    if d.subsec_nanos() % 1_000_000 != 0 {
        return Err(Error::new(ErrorKind::InvalidArgument, format!("{} must be whole milliseconds, got {:?}", what, d)));
    }
    i64::try_from(d.as_millis()).map_err(|_| Error::new(ErrorKind::InvalidArgument, format!("{} {:?} is too long", what, d)))
}

impl<'a> Schedule<'a> {
    /// An empty schedule, with its own timer descriptor.
    pub fn new() -> Result<Schedule<'a>> {
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_schedule_new(&mut raw, err) })?;
        Ok(Schedule { raw, dispatch: std::ptr::null_mut(), _closure: PhantomData })
    }

    /// Adds entry `name` firing on `spec` (a cron expression, a macro or
    /// `@every D`) in `time_zone` (an IANA name read from the system
    /// tzdata; `None` is UTC), dispatching a copy of `job` (its mission id,
    /// if any, is replaced by each tick's id).
    ///
    /// [`ErrorKind::InvalidArgument`] for an empty name or spec, a name the
    /// schedule has already, a bad expression (the message names the field
    /// and the text) or an unknown zone.
    pub fn add(&mut self, name: &str, spec: &str, time_zone: Option<&str>, job: &Job) -> Result<()> {
        let n = util::cstring(name)?;
        let s = util::cstring(spec)?;
        let z = util::opt_cstring(time_zone)?;
        util::call(|err| unsafe { sys::letts_schedule_add(self.raw, n.as_ptr(), s.as_ptr(), util::opt_ptr(&z), job.raw(), err) })
    }

    /// Adds entry `name` firing every `interval` (whole milliseconds, more
    /// than zero; ticks at its multiples since the Unix epoch), dispatching
    /// a copy of `job`. Errors as [`Schedule::add`].
    pub fn add_interval(&mut self, name: &str, interval: Duration, job: &Job) -> Result<()> {
        let n = util::cstring(name)?;
        let ms = whole_ms(interval, "a schedule interval")?;
        util::call(|err| unsafe { sys::letts_schedule_add_interval(self.raw, n.as_ptr(), ms, job.raw(), err) })
    }

    /// Sets the catch-up policy of every entry.
    /// [`ErrorKind::InvalidArgument`] for `All { max_fires: 0 }` or a
    /// grace that is not whole milliseconds.
    pub fn set_catch_up(&mut self, policy: CatchUp) -> Result<()> {
        // The C call takes both numbers for every policy; a policy that
        // does not read one gets a value C accepts and that policy ignores.
        let (p, grace_ms, max_fires) = match policy {
            CatchUp::Skip { grace } => (sys::LETTS_CATCH_UP_SKIP, whole_ms(grace, "a catch-up grace")?, 100),
            CatchUp::Once => (sys::LETTS_CATCH_UP_ONCE, 0, 100),
            CatchUp::All { max_fires } => (sys::LETTS_CATCH_UP_ALL, 0, i64::from(max_fires)),
        };
        util::call(|err| unsafe { sys::letts_schedule_set_catch_up(self.raw, p, grace_ms, max_fires, err) })
    }

    /// Calls `f(entry, tick_unix_ms, mission_id)` after each tick this
    /// schedule dispatched (also when the daemon answered with a replay of
    /// another scheduler's mission), on the thread calling
    /// [`Schedule::step`] or [`Schedule::run`], during that call. Replaces
    /// (and drops) the closure set before.
    ///
    /// The closure lives as long as the schedule (or until replaced or
    /// cleared) and may borrow what outlives `'a`. If it panics, the panic
    /// is caught (it never unwinds into C) and the tick stays dispatched;
    /// the closure is not called again during that step or run, and the
    /// call returns [`ErrorKind::Panicked`] when it ends — a step at once,
    /// a run only when cancelled or failed (its C status is then the
    /// error's `source()`), so a run also prints the panic on stderr.
    pub fn on_dispatch<F: FnMut(&str, i64, &str) + Send + 'a>(&mut self, f: F) -> Result<()> {
        let ctx = Box::into_raw(Box::new(DispatchCtx { f: Box::new(f), panic: PanicSlot::default(), in_run: false }));
        let r = util::call(|err| unsafe { sys::letts_schedule_set_on_dispatch(self.raw, Some(dispatch_trampoline), ctx.cast(), err) });
        // SAFETY: whichever context the C side no longer points at goes.
        unsafe {
            match r {
                Ok(()) => drop_ctx(std::mem::replace(&mut self.dispatch, ctx)),
                Err(_) => drop_ctx(ctx),
            }
        }
        r
    }

    /// Removes (and drops) the closure of [`Schedule::on_dispatch`].
    pub fn clear_on_dispatch(&mut self) -> Result<()> {
        util::call(|err| unsafe { sys::letts_schedule_set_on_dispatch(self.raw, None, std::ptr::null_mut(), err) })?;
        // SAFETY: the C side no longer points at it.
        unsafe { drop_ctx(std::mem::replace(&mut self.dispatch, std::ptr::null_mut())) };
        Ok(())
    }

    /// The next `n` fire times (Unix ms) of entry `name` strictly after
    /// `after_unix_ms`. [`ErrorKind::NotFound`] when there is no such entry.
    pub fn next(&self, name: &str, after_unix_ms: i64, n: usize) -> Result<Vec<i64>> {
        let c = util::cstring(name)?;
        let mut times = vec![0i64; n];
        util::call(|err| unsafe { sys::letts_schedule_next(self.raw, c.as_ptr(), after_unix_ms, times.as_mut_ptr(), n, err) })?;
        Ok(times)
    }

    /// Dispatches through `client` what is due now and re-arms the
    /// descriptor, without waiting; call it whenever the descriptor is
    /// readable (the first call starts the schedule). A failed dispatch
    /// returns its error (as [`Client::dispatch`]); that entry's ticks are
    /// retried by the next step, with the same ids.
    pub fn step(&mut self, client: &Client) -> Result<()> {
        let r = util::call(|err| unsafe { sys::letts_schedule_step(self.raw, client.raw, err) });
        self.with_panic(r)
    }

    /// Runs the schedule on the calling thread until `cancel` is triggered
    /// (then [`ErrorKind::Cancelled`]) or a dispatch fails (its error).
    /// Never returns `Ok`: without a token it runs until a dispatch fails.
    pub fn run(&mut self, client: &Client, cancel: Option<&CancelToken>) -> Result<()> {
        let c = cancel.map_or(std::ptr::null_mut(), CancelToken::raw);
        self.set_in_run(true);
        let r = util::call(|err| unsafe { sys::letts_schedule_run(self.raw, client.raw, c, err) });
        self.set_in_run(false);
        self.with_panic(r)
    }

    fn set_in_run(&mut self, on: bool) {
        // SAFETY: the context is ours, and no C call is using it now.
        if let Some(ctx) = unsafe { self.dispatch.as_mut() } {
            ctx.in_run = on;
        }
    }

    /// `r`, unless the closure panicked during the call: then Panicked,
    /// with `r`'s error as its source; the closure may run again later.
    fn with_panic(&mut self, r: Result<()>) -> Result<()> {
        // SAFETY: as set_in_run.
        let panic = match unsafe { self.dispatch.as_mut() } {
            Some(ctx) => std::mem::take(&mut ctx.panic),
            None => return r,
        };
        match panic.into_error("schedule dispatch") {
            Some(e) => Err(e.with_cause(r.err())),
            None => r,
        }
    }
}

impl AsRawFd for Schedule<'_> {
    /// Readable when a tick is due: call [`Schedule::step`] then. Owned by
    /// the schedule (do not close it); it follows the real clock.
    fn as_raw_fd(&self) -> RawFd {
        // SAFETY: live schedule.
        unsafe { sys::letts_schedule_fd(self.raw) }
    }
}

/// The mission id of entry `name`'s tick at `tick_unix_ms`: the
/// [`crate::unique_id`] of `name` in the 1 ms window of the tick, which is
/// what every scheduler of that entry sends. The entry need not exist.
/// [`ErrorKind::InvalidArgument`] for an empty name.
pub fn tick_id(name: &str, tick_unix_ms: i64) -> Result<String> {
    let n = util::cstring(name)?;
    let mut out = std::ptr::null_mut();
    util::call(|err| unsafe { sys::letts_schedule_tick_id(n.as_ptr(), tick_unix_ms, &mut out, err) })?;
    // SAFETY: on success `out` is a string the caller owns (letts_free).
    Ok(unsafe { util::take_string(out) })
}
