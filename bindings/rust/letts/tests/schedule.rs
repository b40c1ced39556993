//! Schedules (issue 20 §2) through the Rust binding, against embedded
//! devservers: three schedulers dispatch ten ticks as ten missions, fire
//! times across DST changes, tick ids, bad entries, and the dispatch
//! closure (replaced, cleared, panicking).
use letts::{CancelToken, CatchUp, Client, ClientOptions, DevServer, ErrorKind, Job, ListFilter, Schedule};
use std::collections::BTreeSet;
use std::os::raw::{c_int, c_ulong};
use std::os::unix::io::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECOND: Duration = Duration::from_secs(1);
// How long a test waits for ticks before it gives up (a deadline, not a
// pause: nothing waits for it when the ticks come).
const DEADLINE: Duration = Duration::from_secs(60);

mod common;
use common::ScratchServer;

// One mission directory (and so one devserver) per test: cargo runs the
// tests of this file on parallel threads.
fn start(test: &str, missions: &[&str]) -> ScratchServer {
    ScratchServer::start("letts-rust-schedule", test, |d| {
        for name in missions {
            let path = d.join(name);
            std::fs::write(&path, "#!/bin/sh\ncat >/dev/null; echo '{\"event\":\"success\"}' >&3\n").unwrap();
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        }
    })
}

fn client(server: &DevServer) -> Client {
    let yaml = format!(
        "auth: {{token: \"{}\", admin_token: \"{}\"}}\ndugdales:\n  - id: dev\n    url: \"{}\"\n    lanes: {{default: {{concurrency: 4}}}}\n",
        server.dispatch_token(),
        server.admin_token(),
        server.url()
    );
    Client::from_yaml(&yaml, "test.yaml", &ClientOptions::new().retry_backoff(&[Duration::from_millis(10)])).expect("client")
}

fn job(mission: &str) -> Job {
    Job::new(mission).unwrap().host("dev").unwrap().lane("default").unwrap()
}

/// The ids of the devserver's missions named `mission`.
fn missions_named(client: &Client, mission: &str) -> Vec<String> {
    let pages = client.list_missions("dev", ListFilter::new().mission(mission).limit(1000));
    let pages: Vec<_> = pages.collect::<letts::Result<_>>().unwrap();
    pages.iter().flat_map(|p| p.missions.iter().map(|m| m.mission_id().to_owned())).collect()
}

/// `body()`, with a watchdog that cancels `stop` (which `body` must be
/// waiting on) unless `body` returns within DEADLINE; fails the test,
/// saying `what` did not happen, when it had to.
fn within_deadline<T>(stop: &CancelToken, what: &str, body: impl FnOnce() -> T) -> T {
    let (done, done_rx) = mpsc::channel::<()>();
    let (r, timed_out) = std::thread::scope(|scope| {
        let guard = scope.spawn(move || match done_rx.recv_timeout(DEADLINE) {
            Err(mpsc::RecvTimeoutError::Timeout) => {
                stop.cancel();
                true
            }
            _ => false,
        });
        let r = body();
        done.send(()).unwrap();
        (r, guard.join().unwrap())
    });
    assert!(!timed_out, "{} within {:?}", what, DEADLINE);
    r
}

#[derive(Default)]
struct Seen {
    ticks: BTreeSet<i64>,
    per_scheduler: [usize; 3],
    wrong_ids: Vec<String>,
}

#[test]
fn three_schedulers_dispatch_ten_ticks_as_ten_missions() {
    const ENTRY: &str = "rs-sched-ten";
    const MISSION: &str = "rs_sched_tick";
    let server = start("ten", &[MISSION]);
    // DevServer is not Sync: the clients are made here and moved.
    let clients: Vec<Client> = (0..3).map(|_| client(&server)).collect();
    let stop = CancelToken::new().unwrap();
    let seen = Mutex::new(Seen::default());
    let statuses = within_deadline(&stop, "ten ticks did not come", || {
        std::thread::scope(|s| {
            let schedulers: Vec<_> = clients
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let (seen, stop) = (&seen, &stop);
                    s.spawn(move || {
                        let mut schedule = Schedule::new().unwrap();
                        schedule.add_interval(ENTRY, SECOND, &job(MISSION)).unwrap();
                        // Every tick after the start fires even when a step is
                        // late, so the ten ticks are consecutive by contract.
                        schedule.set_catch_up(CatchUp::All { max_fires: 100 }).unwrap();
                        schedule
                            .on_dispatch(move |entry, tick, id| {
                                let want = letts::tick_id(entry, tick).unwrap();
                                let mut seen = seen.lock().unwrap();
                                seen.per_scheduler[i] += 1;
                                seen.ticks.insert(tick);
                                if id != want {
                                    seen.wrong_ids.push(format!("{} at {}: {} (want {})", entry, tick, id, want));
                                }
                                if seen.ticks.len() >= 10 || !seen.wrong_ids.is_empty() {
                                    stop.cancel();
                                }
                            })
                            .unwrap();
                        schedule.run(&c, Some(stop)).map_err(|e| e.kind())
                    })
                })
                .collect();
            schedulers.into_iter().map(|h| h.join().unwrap()).collect::<Vec<_>>()
        })
    });
    assert_eq!(statuses, vec![Err(ErrorKind::Cancelled); 3]);
    let seen = seen.into_inner().unwrap();
    assert!(seen.wrong_ids.is_empty(), "{:?}", seen.wrong_ids);
    let ticks: Vec<i64> = seen.ticks.into_iter().collect();
    assert_eq!(ticks.len(), 10, "{:?}", ticks);
    assert_eq!(ticks[0] % 1000, 0, "{:?}", ticks);
    assert!(ticks.windows(2).all(|w| w[1] - w[0] == 1000), "not consecutive seconds: {:?}", ticks);
    // Every scheduler took part in (nearly) every tick: the devserver
    // answered most dispatches with a replay.
    assert!(seen.per_scheduler.iter().all(|&n| n >= 8), "{:?}", seen.per_scheduler);

    let listed: BTreeSet<String> = missions_named(&client(&server), MISSION).into_iter().collect();
    let want: BTreeSet<String> = ticks.iter().map(|&t| letts::tick_id(ENTRY, t).unwrap()).collect();
    assert_eq!(listed, want);
}

// Europe/Berlin: CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2)
// until 2026-10-25 03:00. Expected times computed with Python's zoneinfo.
#[test]
fn next_follows_the_zone_across_dst_and_intervals_follow_the_epoch() {
    let mut s = Schedule::new().unwrap();
    s.add("rs-next-berlin", "30 2 * * *", Some("Europe/Berlin"), &job("x")).unwrap();
    s.add("rs-next-utc", "30 2 * * *", None, &job("x")).unwrap();
    s.add("rs-next-every", "@every 90m", None, &job("x")).unwrap();
    s.add_interval("rs-next-interval", Duration::from_secs(90 * 60), &job("x")).unwrap();

    // Spring: 02:30 does not exist on 03-29 and fires at the end of the
    // gap, 03:00 CEST.
    let after_spring = 1_774_612_800_000; // 2026-03-27T12:00Z
    assert_eq!(
        s.next("rs-next-berlin", after_spring, 4).unwrap(),
        vec![
            1_774_661_400_000, // 03-28 02:30 CET  = 01:30Z
            1_774_746_000_000, // 03-29 03:00 CEST = 01:00Z
            1_774_830_600_000, // 03-30 02:30 CEST = 00:30Z
            1_774_917_000_000, // 03-31 02:30 CEST = 00:30Z
        ]
    );
    // Autumn: 02:30 happens twice on 10-25 and fires once, the first time
    // (CEST); the second (01:30Z) is not a fire time.
    let after_autumn = 1_792_843_200_000; // 2026-10-24T12:00Z
    assert_eq!(
        s.next("rs-next-berlin", after_autumn, 3).unwrap(),
        vec![
            1_792_888_200_000, // 10-25 02:30 CEST = 00:30Z
            1_792_978_200_000, // 10-26 02:30 CET  = 01:30Z
            1_793_064_600_000, // 10-27 02:30 CET  = 01:30Z
        ]
    );
    assert_eq!(s.next("rs-next-utc", after_autumn, 2).unwrap(), vec![1_792_895_400_000, 1_792_981_800_000]);

    // 2025-12-04T00:00Z is a multiple of 90 minutes since the epoch: the
    // next ticks are the following multiples, never that instant itself.
    let at = 1_764_806_400_000;
    let every = vec![at + 5_400_000, at + 10_800_000, at + 16_200_000];
    assert_eq!(s.next("rs-next-every", at, 3).unwrap(), every);
    assert_eq!(s.next("rs-next-interval", at - 1, 3).unwrap(), vec![at, at + 5_400_000, at + 10_800_000]);
    assert_eq!(s.next("rs-next-every", at, 0).unwrap(), Vec::<i64>::new());
    assert_eq!(s.next("rs-next-missing", at, 1).unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn tick_id_is_the_unique_id_of_the_one_ms_window() {
    // The window-1 row of docs/unique-ids.md.
    let key = "schedule:nightly@2025-12-04T02:00Z";
    let at = 1_764_813_600_000;
    let id = letts::tick_id(key, at).unwrap();
    assert_eq!(id, "019ae716-7500-7ee6-951a-5be26920a3b4");
    assert_eq!(id, letts::unique_id(key, Duration::from_millis(1), at).unwrap());
    assert_ne!(letts::tick_id(key, at + 1).unwrap(), id);
    assert_eq!(letts::tick_id("", at).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn bad_entries_are_invalid_arguments_that_say_why() {
    let mut s = Schedule::new().unwrap();
    let j = job("x");
    let e = s.add("rs-bad-cron", "61 * * * *", None, &j).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("minute") && e.message().contains("61"), "{}", e.message());
    let e = s.add("rs-bad-dow", "0 9 * * MON-FUN", None, &j).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("FUN"), "{}", e.message());
    let e = s.add("rs-bad-zone", "@daily", Some("Mars/Olympus_Mons"), &j).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("Mars/Olympus_Mons"), "{}", e.message());

    s.add("rs-twice", "@hourly", Some("Europe/Berlin"), &j).unwrap();
    let e = s.add("rs-twice", "@daily", None, &j).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("rs-twice"), "{}", e.message());
    assert_eq!(s.add_interval("rs-twice", SECOND, &j).unwrap_err().kind(), ErrorKind::InvalidArgument);

    assert_eq!(s.add_interval("rs-zero", Duration::ZERO, &j).unwrap_err().kind(), ErrorKind::InvalidArgument);
    let e = s.add_interval("rs-sub-ms", Duration::from_micros(1500), &j).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("whole milliseconds"), "{}", e.message());
    assert_eq!(s.add("", "@daily", None, &j).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(s.add("rs-nul\0", "@daily", None, &j).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(s.set_catch_up(CatchUp::All { max_fires: 0 }).unwrap_err().kind(), ErrorKind::InvalidArgument);
    s.set_catch_up(CatchUp::Skip { grace: SECOND }).unwrap();
    // The failed adds left nothing behind.
    for name in ["rs-bad-cron", "rs-bad-dow", "rs-bad-zone", "rs-zero", "rs-sub-ms"] {
        assert_eq!(s.next(name, 0, 1).unwrap_err().kind(), ErrorKind::NotFound, "{}", name);
    }
    assert_eq!(s.next("rs-twice", 0, 1).unwrap(), vec![3_600_000]);
}

/// Sets its flag when dropped: tells when a closure that owns it is gone.
struct DropFlag(Arc<AtomicBool>);
impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn drop_flag() -> (DropFlag, Arc<AtomicBool>) {
    let f = Arc::new(AtomicBool::new(false));
    (DropFlag(f.clone()), f)
}

#[test]
fn a_replaced_or_cleared_closure_is_dropped_and_no_longer_called() {
    const ENTRY: &str = "rs-sched-replace";
    let server = start("replace", &["rs_sched_replace"]);
    let c = client(&server);
    let mut s = Schedule::new().unwrap();
    s.add_interval(ENTRY, SECOND, &job("rs_sched_replace")).unwrap();

    let (first_owns, first_dropped) = drop_flag();
    let first_called = Arc::new(AtomicBool::new(false));
    let called = first_called.clone();
    s.on_dispatch(move |_, _, _| {
        let _owned = &first_owns;
        called.store(true, Ordering::SeqCst);
    })
    .unwrap();
    assert!(!first_dropped.load(Ordering::SeqCst));

    let stop = CancelToken::new().unwrap();
    let (second_owns, second_dropped) = drop_flag();
    let fired = Arc::new(Mutex::new(Vec::new()));
    let log = fired.clone();
    let token = stop.clone();
    s.on_dispatch(move |entry, tick, id| {
        let _owned = &second_owns;
        log.lock().unwrap().push((entry.to_owned(), tick, id.to_owned()));
        token.cancel();
    })
    .unwrap();
    assert!(first_dropped.load(Ordering::SeqCst), "the replaced closure was not dropped");

    let r = within_deadline(&stop, "no tick came", || s.run(&c, Some(&stop)));
    assert_eq!(r.unwrap_err().kind(), ErrorKind::Cancelled);
    assert!(!first_called.load(Ordering::SeqCst), "the replaced closure was called");
    let fired = fired.lock().unwrap().clone();
    assert_eq!(fired.len(), 1, "{:?}", fired);
    let (entry, tick, id) = &fired[0];
    assert_eq!(entry, ENTRY);
    assert_eq!(tick % 1000, 0);
    assert_eq!(*id, letts::tick_id(ENTRY, *tick).unwrap());
    assert_eq!(missions_named(&c, "rs_sched_replace"), vec![id.clone()]);

    assert!(!second_dropped.load(Ordering::SeqCst));
    s.clear_on_dispatch().unwrap();
    assert!(second_dropped.load(Ordering::SeqCst), "the cleared closure was not dropped");

    // Dropping the schedule drops its closure.
    let (third_owns, third_dropped) = drop_flag();
    s.on_dispatch(move |_, _, _| {
        let _owned = &third_owns;
    })
    .unwrap();
    drop(s);
    assert!(third_dropped.load(Ordering::SeqCst), "the schedule's closure outlived it");
}

#[repr(C)]
struct PollFd {
    fd: c_int,
    events: i16,
    revents: i16,
}
const POLLIN: i16 = 1;
extern "C" {
    fn poll(fds: *mut PollFd, nfds: c_ulong, timeout_ms: c_int) -> c_int;
}

/// Waits (at most DEADLINE) until `schedule`'s descriptor is readable, as
/// an event loop would.
fn wait_readable(schedule: &Schedule<'_>) -> bool {
    let mut p = PollFd { fd: schedule.as_raw_fd(), events: POLLIN, revents: 0 };
    // SAFETY: one valid pollfd.
    let n = unsafe { poll(&mut p, 1, DEADLINE.as_millis() as c_int) };
    n == 1 && p.revents & POLLIN != 0
}

#[test]
fn a_panicking_closure_is_caught_and_returned_from_step_and_run() {
    const ENTRY: &str = "rs-sched-panic";
    let server = start("panic", &["rs_sched_panic"]);
    let c = client(&server);
    let mut s = Schedule::new().unwrap();
    s.add_interval(ENTRY, SECOND, &job("rs_sched_panic")).unwrap();
    let fired = Arc::new(Mutex::new(Vec::new()));
    let log = fired.clone();
    // The token of the run in progress, which the closure ends.
    let current: Arc<Mutex<Option<CancelToken>>> = Arc::default();
    let ending = current.clone();
    s.on_dispatch(move |_, tick, id| {
        log.lock().unwrap().push((tick, id.to_owned()));
        if let Some(t) = ending.lock().unwrap().as_ref() {
            t.cancel();
        }
        panic!("dispatch closure gave up at {}", tick);
    })
    .unwrap();

    // Driven by an event loop: the first step starts the schedule.
    assert!(s.as_raw_fd() >= 0);
    s.step(&c).unwrap();
    assert!(fired.lock().unwrap().is_empty());
    assert!(wait_readable(&s), "no tick within {:?}", DEADLINE);
    let e = s.step(&c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Panicked);
    assert!(e.message().contains("dispatch closure gave up at"), "{}", e.message());
    let (tick, id) = fired.lock().unwrap()[0].clone();
    assert!(e.message().contains(&tick.to_string()), "{}", e.message());
    // The tick was dispatched all the same.
    assert_eq!(missions_named(&c, "rs_sched_panic"), vec![id]);

    // The closure still runs in later calls; run returns the panic with
    // the cancel it caused as the source.
    let stop = CancelToken::new().unwrap();
    *current.lock().unwrap() = Some(stop.clone());
    let r = within_deadline(&stop, "no tick came", || s.run(&c, Some(&stop)));
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Panicked, "{}", e);
    let cause = std::error::Error::source(&e).and_then(|c| c.downcast_ref::<letts::Error>()).expect("the C status as the source");
    assert_eq!(cause.kind(), ErrorKind::Cancelled);
    assert_eq!(fired.lock().unwrap().len(), 2);
}
