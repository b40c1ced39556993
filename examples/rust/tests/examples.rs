//! The Rust examples, run for real: the mission (rust_mission) under an
//! embedded devserver — each outcome — and standalone, and the client
//! program (letts-rust-client) against the C example missions
//! (LETTS_TEST_MISSION_DIR, set by the meson test).
use letts::{Client, DevServer, ErrorKind, Job, RunOptions};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::Command;

const MISSION: &str = env!("CARGO_BIN_EXE_rust_mission");
const CLIENT: &str = env!("CARGO_BIN_EXE_letts-rust-client");

/// A mission directory holding the Rust mission (a copy: the devserver
/// runs `<dir>/<mission name>`). Copied once, then renamed into place, so
/// that no test (they run in parallel) ever starts a half-written file.
/// It lives in cargo's scratch directory inside the build tree (the tests
/// share it, so none of them can remove it), not in the system's /tmp.
fn rust_mission_dir() -> PathBuf {
    static COPY: std::sync::Once = std::sync::Once::new();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("letts-rust-missions-{}", std::process::id()));
    COPY.call_once(|| {
        std::fs::create_dir_all(&dir).unwrap();
        let partial = dir.join("rust_mission.partial");
        std::fs::copy(MISSION, &partial).unwrap();
        std::fs::rename(&partial, dir.join("rust_mission")).unwrap();
    });
    dir
}

fn start() -> (DevServer, Client) {
    let server = DevServer::with_mission_dir(rust_mission_dir()).unwrap();
    let client = server.client().unwrap();
    (server, client)
}

fn job(input: &str) -> Job {
    Job::new("rust_mission").unwrap().host(DevServer::HOST).unwrap().lane("default").unwrap().input_json(input).unwrap()
}

#[test]
fn success_with_progress() {
    let (_s, c) = start();
    let mut seen = Vec::new();
    let r = c.run(&job(r#"{"name":"ada","steps":4}"#), RunOptions::new().progress(|v, m| seen.push((v, m.map(str::to_owned))))).unwrap();
    assert_eq!(r.outcome(), "success");
    assert_eq!(r.return_json(), Some(r#"{"greeting":"hello, ada","steps":4}"#));
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[3], (Some(1.0), Some("step 4".to_owned())));
}

#[test]
fn failure_with_reason_details_and_exit_code() {
    let (_s, c) = start();
    let e = c.run(&job(r#"{"name":"bob","fail":true}"#), RunOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissionFailed);
    let r = e.run_result().unwrap();
    assert_eq!(r.outcome(), "failed", "{:?} {:?} {:?} {:?}", r.fail_reason(), r.fail_message(), r.signal(), r.exit_code());
    assert_eq!(r.fail_reason(), Some("asked_to_fail"));
    assert_eq!(r.fail_message(), Some("asked to fail for bob"));
    assert_eq!(r.fail_details_json(), Some(r#"{"by":"input"}"#));
    assert_eq!(r.exit_code(), Some(3));
}

#[test]
fn output_file_and_input_file() {
    let (_s, c) = start();
    let input = std::env::temp_dir().join(format!("letts-rust-input-{}", std::process::id()));
    std::fs::write(&input, b"12345678").unwrap();
    let r = c.run(&job(r#"{"name":"cy","output":true,"file":"doc"}"#).file("doc", &input).unwrap(), RunOptions::new()).unwrap();
    assert_eq!(r.return_json(), Some(r#"{"greeting":"hello, cy","steps":2,"file_bytes":8}"#));
    assert_eq!(r.outputs().len(), 1);
    assert_eq!(c.download_output(&r, "greeting").unwrap(), b"hello, cy");
    let _ = std::fs::remove_file(input);
}

#[test]
fn a_kill_interrupts_it() {
    let (_s, c) = start();
    let id = c.dispatch(&job(r#"{"steps":600,"step_ms":100}"#)).unwrap();
    let e = c.follow_events(DevServer::HOST, &id, 0, true, |line| if line.contains("\"progress\"") { ControlFlow::Break(()) } else { ControlFlow::Continue(()) });
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Interrupted);
    c.kill(DevServer::HOST, &id, None).unwrap();
    let r = c.wait(DevServer::HOST, &id, RunOptions::new().failure_as_error(false).fetch_logs(true)).unwrap();
    assert_eq!(r.outcome(), "killed");
    let stderr = String::from_utf8_lossy(r.stderr());
    assert!(stderr.contains("interrupted by signal 15"), "{:?}", stderr);
}

#[test]
fn standalone_mode() {
    let out = Command::new(MISSION).arg(r#"--input={"name":"dee","steps":1}"#).output().unwrap();
    assert!(out.status.success(), "{:?}", out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("hello, dee"), "{}", stdout);
    assert!(String::from_utf8_lossy(&out.stderr).contains("[progress] 1.00 step 1"), "{:?}", out);
    let out = Command::new(MISSION).arg(r#"--input={"fail":true}"#).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("asked to fail for world"));
}

#[test]
fn the_client_program_runs_a_c_mission() {
    let dir = std::env::var("LETTS_TEST_MISSION_DIR").expect("LETTS_TEST_MISSION_DIR: the C example missions (meson test sets it)");
    let out = Command::new(CLIENT).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{:?}", out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("progress 100%  step 3"), "{}", stdout);
    assert!(stdout.contains("outcome   success"), "{}", stdout);
    assert!(stdout.contains(r#"return    {"steps":3}"#), "{}", stdout);
}

#[test]
fn the_client_program_runs_the_rust_mission() {
    let out = Command::new(CLIENT).arg(rust_mission_dir()).arg("rust_mission").arg(r#"{"name":"eve","steps":2}"#).output().unwrap();
    assert!(out.status.success(), "{:?}", out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(r#"return    {"greeting":"hello, eve","steps":2}"#), "{}", stdout);
    let out = Command::new(CLIENT).arg(rust_mission_dir()).arg("rust_mission").arg(r#"{"fail":true}"#).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[mission_failed]"), "{:?}", out);
}
