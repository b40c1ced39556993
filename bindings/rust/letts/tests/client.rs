//! The safe client against embedded devservers running the C example
//! missions (examples/c/missions, found through LETTS_TEST_MISSION_DIR,
//! which the meson test sets): every operation, the error kind of each
//! status a server or the client can produce, cancellation from another
//! thread, one client shared by 32 threads, panicking closures.
use letts::{CancelToken, Client, ClientOptions, DevServer, ErrorKind, Job, ListFilter, RunOptions};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const HOST: &str = "dev";

fn mission_dir() -> PathBuf {
    PathBuf::from(std::env::var("LETTS_TEST_MISSION_DIR").expect("LETTS_TEST_MISSION_DIR: the directory of the C example missions (meson test sets it)"))
}

fn yaml(server: &DevServer, dispatch: &str, admin: &str) -> String {
    format!(
        "auth: {{token: \"{}\", admin_token: \"{}\"}}\ndugdales:\n  - id: dev\n    url: \"{}\"\n    labels: [local]\n    lanes: {{default: {{concurrency: 4}}}}\n",
        dispatch,
        admin,
        server.url()
    )
}

fn options() -> ClientOptions {
    ClientOptions::new().retry_backoff(&[Duration::from_millis(10)])
}

fn start() -> (DevServer, Client) {
    let server = DevServer::with_mission_dir(mission_dir()).expect("devserver starts");
    let client = Client::from_yaml(&yaml(&server, server.dispatch_token(), server.admin_token()), "test.yaml", &options()).expect("client");
    (server, client)
}

fn job(mission: &str, input: &str) -> Job {
    Job::new(mission).unwrap().host(HOST).unwrap().lane("default").unwrap().input_json(input).unwrap()
}

mod common;

fn temp_dir(name: &str) -> common::ScratchDir {
    common::ScratchDir::new("letts-rust", name)
}

#[test]
fn run_reports_progress_and_the_result() {
    let (_s, c) = start();
    let mut seen = Vec::new();
    let r = c.run(&job("progress", r#"{"steps":3}"#), RunOptions::new().progress(|v, m| seen.push((v, m.map(str::to_owned))))).unwrap();
    assert_eq!(r.outcome(), "success");
    assert!(r.is_success());
    assert_eq!(r.host(), HOST);
    assert_eq!(r.return_json(), Some(r#"{"steps":3}"#));
    assert_eq!(r.mission_id().len(), 36);
    assert_eq!(r.exit_code(), Some(0));
    assert_eq!(seen.len(), 3, "{:?}", seen);
    assert_eq!(seen[2].1.as_deref(), Some("step 3"));
    assert!((seen[0].0.unwrap() - 1.0 / 3.0).abs() < 1e-9);
}

#[test]
fn dispatch_then_wait_get_list_restart_delete() {
    let (_s, c) = start();
    let id = c.dispatch(&job("hello", r#"{"name":"ada"}"#)).unwrap();
    let r = c.wait(HOST, &id, RunOptions::new().fetch_logs(true)).unwrap();
    assert_eq!(r.mission_id(), id);
    assert_eq!(r.return_json(), Some(r#"{"name":"ada"}"#));
    assert!(std::str::from_utf8(r.stdout()).is_ok());

    let info = c.get_mission(Some(HOST), &id).unwrap().expect("known");
    assert_eq!(c.get_mission(None, &id).unwrap().unwrap().mission_id(), id);
    assert_eq!(info.mission_id(), id);
    assert_eq!(info.mission_name(), Some("hello"));
    assert_eq!(info.lane(), Some("default"));
    assert_eq!(info.outcome(), Some("success"));
    assert_eq!(info.input_json(), Some(r#"{"name":"ada"}"#));
    assert!(info.json().contains(&id));

    let id2 = c.dispatch(&job("hello", r#"{"n":2}"#)).unwrap();
    c.wait(HOST, &id2, RunOptions::new()).unwrap();
    let id3 = c.restart(HOST, &id).unwrap();
    assert_ne!(id3, id);
    let r3 = c.wait(HOST, &id3, RunOptions::new()).unwrap();
    assert_eq!(r3.return_json(), Some(r#"{"name":"ada"}"#));
    assert_eq!(c.get_mission(Some(HOST), &id3).unwrap().unwrap().restarted_from(), Some(id.as_str()));

    // Three missions, one per page: the iterator follows the cursors.
    let pages: Vec<_> = c.list_missions(HOST, ListFilter::new().mission("hello").limit(1)).collect::<letts::Result<_>>().unwrap();
    let ids: Vec<String> = pages.iter().flat_map(|p| p.missions.iter().map(|m| m.mission_id().to_owned())).collect();
    assert_eq!(ids.len(), 3, "{:?}", ids);
    for want in [&id, &id2, &id3] {
        assert!(ids.contains(want));
    }
    assert!(pages.iter().all(|p| p.missions.len() <= 1));
    assert!(pages.last().unwrap().next_cursor.is_none());

    c.delete(HOST, &id2, false).unwrap();
    eventually("the deletion", || c.get_mission(Some(HOST), &id2).unwrap().is_none());
}

#[test]
fn try_dispatch_and_the_failure_observer() {
    let (_s, c) = start();
    assert!(c.try_dispatch(&job("hello", "{}")).unwrap().is_some());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let observed = c.with_failure_observer(move |f| s2.lock().unwrap().push((f.method.clone(), f.error.kind()))).unwrap();
    let bad = Job::new("hello").unwrap().lane("default").unwrap(); // neither host, route nor match
    assert_eq!(observed.try_dispatch(&bad).unwrap(), None);
    let e = observed.dispatch(&bad).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "{:?}", seen);
    assert_eq!(seen[0], ("tryDispatch".to_owned(), ErrorKind::BadRequest));
    assert_eq!(seen[1].1, ErrorKind::BadRequest);
}

#[test]
fn fan_outs_and_with_match() {
    let (_s, c) = start();
    let a = job("hello", r#"{"i":1}"#);
    let b = job("fail", r#"{"message":"no"}"#);
    let rs = c.run_parallel(&[&a, &b], RunOptions::new()).unwrap();
    assert_eq!(rs.len(), 2);
    assert!(rs[0].success);
    assert_eq!(rs[0].result.as_ref().unwrap().return_json(), Some(r#"{"i":1}"#));
    assert!(!rs[1].success);
    assert_eq!(rs[1].result.as_ref().unwrap().fail_message(), Some("no"));

    let everywhere = Job::new("hello").unwrap().lane("default").unwrap().input_json(r#"{"all":true}"#).unwrap();
    let e = c.run_on_all(&everywhere, RunOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoMatchingDugdale);
    let local = c.with_match(&["local"]).unwrap();
    let rs = local.run_on_all(&everywhere, RunOptions::new()).unwrap();
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0].host, HOST);
    assert!(rs[0].reachable && rs[0].success);
    let elsewhere = c.with_match(&["gpu"]).unwrap();
    assert_eq!(elsewhere.run_on_all(&everywhere, RunOptions::new()).unwrap_err().kind(), ErrorKind::NoMatchingDugdale);
    assert_eq!(c.dugdales(&["local"]).unwrap(), vec![HOST.to_owned()]);
    assert!(c.dugdales(&["gpu"]).unwrap().is_empty());
}

#[test]
fn outputs_download_into_memory_and_a_folder() {
    let (_s, c) = start();
    let dir = temp_dir("outputs");
    let r = c.run(&job("output_file", r#"{"key":"result","text":"hi\n","repeat":3}"#), RunOptions::new().outputs_folder(&*dir)).unwrap();
    let outs = r.outputs();
    assert_eq!(outs.len(), 1);
    assert_eq!(outs[0].role, "result");
    assert_eq!(outs[0].size, 9);
    assert_eq!(c.download_output(&r, "result").unwrap(), b"hi\nhi\nhi\n");
    assert_eq!(std::fs::read(dir.join("result")).unwrap(), b"hi\nhi\nhi\n");
    assert_eq!(c.download_output(&r, "nope").unwrap_err().kind(), ErrorKind::BadRequest);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn events_and_output_streams() {
    let (_s, c) = start();
    let id = c.dispatch(&job("progress", r#"{"steps":2}"#)).unwrap();
    let mut events = Vec::new();
    c.follow_events(HOST, &id, 0, true, |line| {
        events.push(line.to_owned());
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(events.iter().any(|e| e.contains("\"progress\"")), "{:?}", events);
    assert!(events.last().unwrap().contains("\"done\""), "{:?}", events);

    // Stopping from the closure is Interrupted.
    let mut n = 0;
    let e = c.follow_events(HOST, &id, 0, false, |_| {
        n += 1;
        ControlFlow::Break(())
    });
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Interrupted);
    assert_eq!(n, 1);

    // interruptible says on stderr that it saw the kill's SIGTERM.
    let id = c.dispatch(&job("interruptible", r#"{"seconds":60}"#)).unwrap();
    let e = c.follow_events(HOST, &id, 0, true, |line| if line.contains("\"progress\"") { ControlFlow::Break(()) } else { ControlFlow::Continue(()) });
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Interrupted);
    c.kill(HOST, &id, None).unwrap();
    let mut stderr = Vec::new();
    c.stream_output(HOST, &id, "stderr", true, |b| {
        stderr.extend_from_slice(b);
        ControlFlow::Continue(())
    })
    .unwrap();
    let text = String::from_utf8_lossy(&stderr);
    assert!(text.contains("interrupt received (signal 15)"), "{:?}", text);
    let mut chunks = 0;
    let e = c.stream_output(HOST, &id, "stderr", false, |_| {
        chunks += 1;
        ControlFlow::Break(())
    });
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Interrupted);
    assert_eq!(chunks, 1);
    assert_eq!(c.stream_output(HOST, &id, "nonsense", false, |_| ControlFlow::Continue(())).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn inspection_lanes_admin_health() {
    let (_s, c) = start();
    assert!(c.healthz(HOST).unwrap().contains("ok"));
    c.readyz(HOST).unwrap();
    assert!(c.dugdale_info(HOST).unwrap().contains("queue_summary"));
    c.pause_lane(HOST, "default").unwrap();
    assert!(c.lanes(HOST).unwrap().contains("\"paused\":true"));
    c.continue_lane(HOST, "default").unwrap();
    assert!(!c.lanes(HOST).unwrap().contains("\"paused\":true"));
    let body = format!(
        "{{\"mission_dir\":\"{}\",\"lanes\":{{\"batch\":{{\"concurrency\":2}}}},\"runtime\":{{\"mission_path_template\":\"{{mission}}\",\"validate_mission_file\":true}}}}",
        mission_dir().display()
    );
    c.admin_apply(HOST, &body).unwrap();
    let state = c.admin_state(HOST).unwrap();
    assert!(state.contains("\"batch\"") && state.contains("\"default\""), "{}", state);
    let e = c.admin_apply(HOST, r#"{"lanes":[1]}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    assert_eq!(e.http_status(), Some(400));
    assert!(e.code().is_some());
    assert_eq!(e.dugdale(), Some(HOST));
    assert!(c.config_json().contains("\"dev\""));
}

#[test]
fn error_kinds_of_every_status() {
    // The mapping itself, for every C status, against letts_status_name.
    let names = [
        (1, ErrorKind::BadRequest),
        (2, ErrorKind::Auth),
        (3, ErrorKind::Conflict),
        (4, ErrorKind::Backpressure),
        (5, ErrorKind::Dispatch),
        (6, ErrorKind::Network),
        (7, ErrorKind::WaitTimeout),
        (8, ErrorKind::Staging),
        (9, ErrorKind::Config),
        (10, ErrorKind::MissingEnv),
        (11, ErrorKind::NoMatchingDugdale),
        (12, ErrorKind::MissionFailed),
        (13, ErrorKind::Interrupted),
        (14, ErrorKind::InvalidArgument),
        (15, ErrorKind::NotFound),
        (16, ErrorKind::Io),
        (17, ErrorKind::NoMemory),
        (18, ErrorKind::Internal),
        (19, ErrorKind::Cancelled),
    ];
    for (status, kind) in names {
        assert_eq!(ErrorKind::from_status(status), Some(kind));
        assert_eq!(kind.status(), status);
    }
    assert_eq!(ErrorKind::from_status(0), None);
    assert_eq!(ErrorKind::from_status(20), None);
    assert_eq!(ErrorKind::Cancelled.name(), "cancelled");
    assert_eq!(ErrorKind::NoMatchingDugdale.name(), "no_matching_dugdale");

    // Statuses produced for real.
    let (s, c) = start();
    let wrong = Client::from_yaml(&yaml(&s, "nope", "nope"), "wrong.yaml", &options()).unwrap();
    let e = wrong.dispatch(&job("hello", "{}")).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Auth, Some(401)), "{}", e);
    assert_eq!(wrong.pause_lane(HOST, "default").unwrap_err().kind(), ErrorKind::Auth);

    let r = c.run(&job("fail", r#"{"message":"upstream 503","reason":"upstream","exit_code":3}"#), RunOptions::new()).unwrap_err();
    assert_eq!(r.kind(), ErrorKind::MissionFailed);
    let rr = r.run_result().expect("the result rides on the error");
    assert_eq!(rr.fail_message(), Some("upstream 503"));
    assert_eq!(rr.fail_reason(), Some("upstream"));
    assert_eq!(rr.exit_code(), Some(3));
    assert_eq!(r.mission_id(), Some(rr.mission_id()));
    let ok = c.run(&job("fail", "{}"), RunOptions::new().failure_as_error(false)).unwrap();
    assert_eq!(ok.outcome(), "failed");
    assert_eq!(ok.fail_message(), Some("boom"));

    let e = c.kill(HOST, ok.mission_id(), None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{}", e);
    assert!(c.get_mission(Some(HOST), "01a00000-0000-7000-8000-000000000000").unwrap().is_none());
    let e = c.kill(HOST, "01a00000-0000-7000-8000-000000000000", None).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Dispatch, Some(404)), "{}", e);

    let id = c.dispatch(&job("interruptible", r#"{"seconds":30}"#)).unwrap();
    let e = c.wait(HOST, &id, RunOptions::new().wait_timeout(Duration::from_millis(200))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WaitTimeout);
    assert_eq!(e.mission_id(), Some(id.as_str()));
    c.kill(HOST, &id, Some("KILL")).unwrap();
    let killed = c.wait(HOST, &id, RunOptions::new().failure_as_error(false)).unwrap();
    assert_eq!(killed.outcome(), "killed");

    let e = c.run(&job("hello", "{}").file("doc", std::path::Path::new("/nonexistent/letts-rust")).unwrap(), RunOptions::new()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Staging | ErrorKind::Io), "{:?}", e);

    let e = Client::from_yaml("dugdales: [", "broken.yaml", &options()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.message().contains("broken.yaml"), "{}", e);
    let env_yaml = format!("auth: {{token: \"${{LETTS_RUST_TEST_UNSET_VAR}}\"}}\ndugdales:\n  - id: dev\n    url: \"{}\"\n", s.url());
    let e = Client::from_yaml(&env_yaml, "env.yaml", &options()).and_then(|c| c.dispatch(&job("hello", "{}"))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingEnv, "{}", e);
    assert!(e.details().unwrap_or("").contains("LETTS_RUST_TEST_UNSET_VAR"));

    let closed = "dugdales:\n  - id: dev\n    url: \"http://127.0.0.1:1\"\n";
    let net = Client::from_yaml(closed, "closed.yaml", &ClientOptions::new().retry_attempts(1)).unwrap();
    assert_eq!(net.healthz(HOST).unwrap_err().kind(), ErrorKind::Network);

    assert_eq!(Job::new("bad\0name").unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(Job::new("hello").unwrap().input_json("{not json").unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(letts::parse_duration_ms("1m30s").unwrap(), 90_000);
    assert_eq!(letts::parse_duration_ms("soon").unwrap_err().kind(), ErrorKind::InvalidArgument);
}

/// Waits (with a deadline) until `f` holds.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {}", what);
        std::thread::yield_now();
    }
}

#[test]
fn cancel_from_another_thread_during_run() {
    let (_s, c) = start();
    let token = CancelToken::new().unwrap();
    let (tx, rx) = mpsc::channel();
    let t2 = token.clone();
    let canceller = std::thread::spawn(move || {
        rx.recv().unwrap();
        t2.cancel();
    });
    let mut tx = Some(tx);
    let started = Instant::now();
    let e = c
        .run(
            &job("interruptible", r#"{"seconds":60}"#),
            RunOptions::new().cancel(&token).kill_on_cancel(true).progress(move |_, _| {
                if let Some(tx) = tx.take() {
                    tx.send(()).unwrap();
                }
            }),
        )
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{}", e);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(token.is_cancelled());
    let id = e.mission_id().expect("the mission was started").to_owned();
    let info = c.wait(HOST, &id, RunOptions::new().failure_as_error(false)).unwrap();
    assert_eq!(info.outcome(), "killed");
}

#[test]
fn cancel_from_another_thread_during_follow() {
    let (_s, c) = start();
    let id = c.dispatch(&job("interruptible", r#"{"seconds":60}"#)).unwrap();
    let token = CancelToken::new().unwrap();
    let scoped = c.with_cancel(&token).unwrap();
    let (tx, rx) = mpsc::channel::<()>();
    let t2 = token.clone();
    let canceller = std::thread::spawn(move || {
        rx.recv().unwrap();
        t2.cancel();
    });
    let e = scoped
        .follow_events(HOST, &id, 0, true, |_| {
            let _ = tx.send(());
            ControlFlow::Continue(())
        })
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{}", e);
    // The unscoped client is not cancelled; an already cancelled call does nothing.
    assert_eq!(scoped.healthz(HOST).unwrap_err().kind(), ErrorKind::Cancelled);
    c.kill(HOST, &id, Some("KILL")).unwrap();
}

#[test]
fn cancel_from_another_thread_during_download() {
    let (_s, c) = start();
    let dir = temp_dir("cancel-download");
    // 64 MiB of output: the download into the folder takes a while, and
    // its <role>.partial file shows it is under way.
    let token = CancelToken::new().unwrap();
    let t2 = token.clone();
    let d2 = dir.to_path_buf();
    let canceller = std::thread::spawn(move || {
        eventually("the download to start", || d2.join("big.partial").exists());
        t2.cancel();
    });
    let text = "x".repeat(1023) + "\n";
    let input = format!("{{\"key\":\"big\",\"text\":\"{}\",\"repeat\":65536}}", text.replace('\n', "\\n"));
    let e = c.run(&job("output_file", &input), RunOptions::new().cancel(&token).outputs_folder(&*dir)).unwrap_err();
    canceller.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{}", e);
    assert!(!dir.join("big.partial").exists(), "a cancelled download leaves no partial file");
    assert!(!dir.join("big").exists());

    // download_output (in memory) with an already triggered token.
    let r = c.run(&job("output_file", r#"{"key":"small","text":"abc"}"#), RunOptions::new()).unwrap();
    let scoped = c.with_cancel(&token).unwrap();
    assert_eq!(scoped.download_output(&r, "small").unwrap_err().kind(), ErrorKind::Cancelled);
    assert_eq!(c.download_output(&r, "small").unwrap(), b"abc");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn one_client_shared_by_32_threads() {
    let (_s, c) = start();
    let c = Arc::new(c);
    let done = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..32)
        .map(|i| {
            let c = c.clone();
            let done = done.clone();
            std::thread::spawn(move || {
                let r = c.run(&job("hello", &format!("{{\"thread\":{}}}", i)), RunOptions::new()).unwrap();
                assert_eq!(r.return_json(), Some(format!("{{\"thread\":{}}}", i).as_str()));
                done.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(done.load(Ordering::SeqCst), 32);
}

#[test]
fn a_panicking_progress_closure_becomes_an_error() {
    let (_s, c) = start();
    let mut calls = 0;
    let e = c
        .run(
            &job("progress", r#"{"steps":3}"#),
            RunOptions::new().progress(|_, _| {
                calls += 1;
                panic!("progress closure exploded");
            }),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Panicked);
    assert!(e.message().contains("progress closure exploded"), "{}", e);
    assert_eq!(calls, 1, "no call after the panic");
    let cause = std::error::Error::source(&e).expect("the C status that the stop caused");
    assert!(cause.to_string().contains("interrupted"), "{}", cause);

    let id = c.dispatch(&job("hello", "{}")).unwrap();
    let e = c.follow_events(HOST, &id, 0, true, |_| panic!("event closure exploded")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Panicked);
    // The client still works afterwards.
    assert!(c.run(&job("hello", "{}"), RunOptions::new()).unwrap().is_success());
}

#[test]
fn client_and_cancel_token_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Client>();
    check::<CancelToken>();
    check::<letts::RunResult>();
    check::<letts::MissionInfo>();
    check::<letts::Error>();
    check::<Job>();
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}
extern "C" {
    // libc's poll(2): std has no portable wrapper, and this crate takes no
    // dependency for one test.
    fn poll(fds: *mut PollFd, nfds: u64, timeout: i32) -> i32;
}

#[test]
fn run_handles_driven_from_one_poll_loop() {
    use std::os::unix::io::AsRawFd;
    let (_s, c) = start();
    let progress = std::cell::Cell::new(0);
    let jobs: Vec<Job> = (0..5).map(|i| job("progress", &format!("{{\"steps\":2,\"i\":{}}}", i))).collect();
    let mut handles: Vec<_> = jobs.iter().map(|j| c.run_start(j, RunOptions::new().progress(|_, _| progress.set(progress.get() + 1))).unwrap()).collect();
    let waited_id = c.dispatch(&job("hello", r#"{"waited":true}"#)).unwrap();
    handles.push(c.wait_start(HOST, &waited_id, RunOptions::new()).unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    while handles.iter().any(|h| h.state() != letts::RunState::Done) {
        assert!(Instant::now() < deadline, "runs not done in time: {:?}", handles);
        let mut fds: Vec<PollFd> = handles.iter().filter(|h| h.state() != letts::RunState::Done).map(|h| PollFd { fd: h.as_raw_fd(), events: 1, revents: 0 }).collect();
        // SAFETY: a valid array of pollfd.
        let n = unsafe { poll(fds.as_mut_ptr(), fds.len() as u64, 1000) };
        assert!(n >= 0);
        for h in handles.iter_mut().filter(|h| h.state() != letts::RunState::Done) {
            h.step().unwrap();
        }
    }
    for h in handles.iter().take(5) {
        let r = h.result().unwrap();
        assert_eq!(r.return_json(), Some(r#"{"steps":2}"#));
        assert_eq!(h.mission_id(), Some(r.mission_id()));
    }
    assert_eq!(handles[5].result().unwrap().return_json(), Some(r#"{"waited":true}"#));
    drop(handles);
    assert_eq!(progress.get(), 10);

    // A panicking closure inside step() becomes the handle's error.
    let j = job("progress", r#"{"steps":3}"#);
    let mut h = c.run_start(&j, RunOptions::new().progress(|_, _| panic!("stepped closure exploded"))).unwrap();
    while h.state() != letts::RunState::Done {
        assert!(Instant::now() < deadline);
        let mut fd = PollFd { fd: h.as_raw_fd(), events: 1, revents: 0 };
        // SAFETY: one valid pollfd.
        unsafe { poll(&mut fd, 1, 1000) };
        h.step().unwrap();
    }
    let e = h.result().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Panicked);
    assert!(e.message().contains("stepped closure exploded"));
}

#[test]
fn raw_request() {
    use letts::Scope;
    let (_s, c) = start();
    let r = c.request(HOST, Scope::Dispatch, "GET", "/v1/dugdale", None, &[]).unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.header("Content-Type").unwrap().contains("application/json"));
    assert!(r.headers().all(|(name, _)| name == name.to_ascii_lowercase()));
    assert!(r.body_str().unwrap().contains("queue_summary"));
    assert!(r.check().is_ok());

    // A refused token is an answer; check() gives the error every call gives.
    let r = c.request(HOST, Scope::Dispatch, "GET", "/v1/admin/state", None, &[]).unwrap();
    assert_eq!(r.status(), 403);
    let e = r.check().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.http_status(), Some(403));
    assert_eq!(e.code(), Some("forbidden"));
    assert_eq!(e.dugdale(), Some(HOST));

    let r = c.request(HOST, Scope::Admin, "POST", "/v1/admin/lanes/default/pause", Some("{}"), &["X-Trace: rust"]).unwrap();
    assert_eq!(r.status(), 200);
    assert!(c.lanes(HOST).unwrap().contains("\"paused\":true"));
    c.request(HOST, Scope::Admin, "POST", "/v1/admin/lanes/default/continue", None, &[]).unwrap().check().unwrap();

    let r = c.request(HOST, Scope::Dispatch, "HEAD", "/v1/staging/01890a5d-ac96-774b-bcce-b302099a8057", None, &[]).unwrap();
    assert_eq!((r.status(), r.body().len()), (404, 0));

    for (method, path, body, headers) in [
        ("get", "/v1/dugdale", None, &[][..]),
        ("GET", "/v1/dugdale\r\nX-Evil: 1", None, &[][..]),
        ("GET", "/v1/dugdale", None, &["X-A: 1\r\nHost: elsewhere"][..]),
        ("GET", "/v1/dugdale", None, &["Authorization: Bearer stolen"][..]),
        ("POST", "/v1/admin/lanes/default/pause", Some("{\"a\":"), &[][..]),
    ] {
        let e = c.request(HOST, Scope::Admin, method, path, body, headers).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{} {:?} {:?}: {}", method, path, headers, e);
        assert!(!e.message().contains("stolen"));
    }
    assert!(!c.lanes(HOST).unwrap().contains("\"paused\":true"), "a refused request sent nothing");
}

#[test]
fn bulk_restart_delete_and_the_restart_answer() {
    use letts::BulkOptions;
    let (_s, c) = start();
    let a = c.run(&job("hello", "{}"), RunOptions::new()).unwrap().mission_id().to_owned();
    let b = c.run(&job("hello", "{}"), RunOptions::new()).unwrap().mission_id().to_owned();
    let other = c.run(&job("progress", "{}"), RunOptions::new()).unwrap().mission_id().to_owned();
    let selector = || ListFilter::new().mission("hello").status("done");

    // A dry run names the selection; nothing changes.
    let dry = c.bulk_delete(HOST, &BulkOptions::filter(selector()).dry_run(true)).unwrap();
    assert!(dry.dry_run);
    let mut ids: Vec<_> = dry.items.iter().map(|i| i.id.clone()).collect();
    ids.sort();
    let mut mine = vec![a.clone(), b.clone()];
    mine.sort();
    assert_eq!(ids, mine);
    assert_eq!(dry.failed().count(), 0);
    assert!(c.get_mission(Some(HOST), &a).unwrap().is_some() && c.get_mission(Some(HOST), &b).unwrap().is_some());

    // Restart by ids: one item per id, the unknown one failed.
    let unknown = "01890a5d-ac96-774b-bcce-b302099a8057";
    let r = c.bulk_restart(HOST, &BulkOptions::ids(&[a.as_str(), unknown])).unwrap();
    assert!(!r.dry_run);
    assert_eq!(r.items.len(), 2);
    assert!(r.items[0].ok && r.items[0].id == a);
    let new_id = r.items[0].mission_id.clone().unwrap();
    assert_eq!(r.items[1].error.as_deref(), Some("not_found"));
    assert_eq!(r.failed().count(), 1);
    c.wait(HOST, &new_id, RunOptions::new()).unwrap();
    assert_eq!(c.get_mission(Some(HOST), &new_id).unwrap().unwrap().restarted_from(), Some(a.as_str()));

    // The whole restart answer.
    let restarted = c.restart_mission(HOST, &b).unwrap();
    assert_eq!((restarted.restarted_from.as_str(), restarted.status.as_str()), (b.as_str(), "queued"));
    let info = c.get_mission(Some(HOST), &restarted.mission_id).unwrap().unwrap();
    assert_eq!(info.restarted_from(), Some(b.as_str()));
    c.wait(HOST, &restarted.mission_id, RunOptions::new()).unwrap();

    // Delete by the selector: the four hello missions, not the other one.
    let d = c.bulk_delete(HOST, &BulkOptions::filter(selector())).unwrap();
    assert_eq!(d.items.len(), 4);
    assert!(d.items.iter().all(|i| i.ok && i.status.as_deref() == Some("deletion_pending")));
    for item in &d.items {
        assert!(c.get_mission(Some(HOST), &item.id).unwrap().is_none());
    }
    assert!(c.get_mission(Some(HOST), &other).unwrap().is_some());

    // Bad options are refused naming them.
    let e = c.bulk_restart(HOST, &BulkOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("ids or a filter"), "{}", e);
    let e = c.bulk_delete(HOST, &BulkOptions::ids(&[""])).unwrap_err();
    assert!(e.message().contains("ids[0]"), "{}", e);
}

#[test]
fn staging_upload_head_download_list_delete() {
    let (_s, c) = start();
    let dir = temp_dir("staging");
    let content: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    let src = dir.join("src.bin");
    std::fs::write(&src, &content).unwrap();
    let f = c.stage_file(HOST, &src).unwrap();
    assert_eq!(f.size, content.len() as u64);
    assert_eq!(f.staging_id.len(), 36);
    let head = c.staging_head(HOST, &f.staging_id).unwrap();
    assert_eq!((head.state.as_str(), head.sha256.as_str(), head.size), ("complete", f.sha256.as_str(), f.size));

    let whole = dir.join("whole.bin");
    c.download_staging(HOST, &f.staging_id, letts::StagingRange::default(), &whole).unwrap();
    assert_eq!(std::fs::read(&whole).unwrap(), content);
    let mut part = Vec::new();
    c.read_staging(HOST, &f.staging_id, letts::StagingRange { offset: 500, length: 300 }, |b| {
        part.extend_from_slice(b);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(part, &content[500..800]);

    let found = c.staging_by_content(HOST, letts::Scope::Admin, &f.sha256, f.size).unwrap();
    assert_eq!(found.sha256, f.sha256);
    let refused = c.staging_by_content(HOST, letts::Scope::Dispatch, &f.sha256, f.size).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Auth, "{}", refused);

    let r = c.run(&job("hello", "{}").file("report", &src).unwrap(), RunOptions::new()).unwrap();
    let page = c.list_staging(HOST, &letts::StagingListOptions { mission_id: r.mission_id().to_owned(), ..Default::default() }).unwrap();
    assert_eq!(page.entries.len(), 1);
    assert_eq!((page.entries[0].role.as_str(), page.entries[0].ref_kind.as_str()), ("report", "input"));

    c.delete_staging(HOST, &f.staging_id, false).unwrap();
    assert_eq!(c.staging_head(HOST, &f.staging_id).unwrap().state, "deleting");
    let gone = dir.join("gone.bin");
    let e = c.download_staging(HOST, &f.staging_id, letts::StagingRange::default(), &gone).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Staging, "{}", e);
    assert!(!gone.exists() && !dir.join("gone.bin.partial").exists());
    let e = c.staging_head(HOST, "01923b6e-7a02-7d11-8e3f-0a1b2c3d4e5f").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{}", e);
}
