//! Retries of finished missions and the completion observer (issue 20 §3,
//! §4) against an embedded devserver running a shell mission that fails
//! (reason "flaky") until its third attempt, counting attempts in a file.
use letts::{Client, ClientOptions, Job, RetryPolicy, RunOptions};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::ScratchServer;

// One directory per test: cargo runs the tests of this file on parallel
// threads, and a shared directory let one test reset the other's counters.
fn start(test: &str) -> (ScratchServer, Client) {
    let server = ScratchServer::start("letts-rust-retry", test, |d| {
        for name in ["flaky_run", "flaky_fan"] {
            let counter = d.join(format!("{}.count", name));
            let body = format!(
                "#!/bin/sh\nn=$(cat '{c}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{c}'\n\
                 if [ $n -lt 3 ]; then echo '{{\"event\":\"fail\",\"message\":\"again\",\"reason\":\"flaky\"}}' >&3; exit 1; fi\n\
                 echo '{{\"event\":\"success\"}}' >&3\n",
                c = counter.display()
            );
            let path = d.join(name);
            std::fs::write(&path, body).unwrap();
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        }
    });
    let yaml = format!(
        "auth: {{token: \"{}\", admin_token: \"{}\"}}\ndugdales:\n  - id: dev\n    url: \"{}\"\n    lanes: {{default: {{concurrency: 4}}}}\n",
        server.dispatch_token(),
        server.admin_token(),
        server.url()
    );
    let client = Client::from_yaml(&yaml, "test.yaml", &ClientOptions::new()).expect("client");
    (server, client)
}

fn job(mission: &str) -> Job {
    Job::new(mission).unwrap().host("dev").unwrap().lane("default").unwrap()
}

fn policy() -> RetryPolicy {
    RetryPolicy::new().fail_reason("flaky").outcome("crashed").max_attempts(4).backoff(
        Duration::from_millis(100),
        Duration::from_secs(1),
        2.0,
        0.5,
    )
}

#[test]
fn run_retries_by_restart_and_reports_completion_once() {
    let (_s, c) = start("run");
    let seen: Arc<Mutex<Vec<(String, usize)>>> = Arc::default();
    let log = seen.clone();
    let observed = c.with_completion_observer(move |r| log.lock().unwrap().push((r.outcome().to_owned(), r.attempts()))).unwrap();
    let start = Instant::now();
    let r = observed.run(&job("flaky_run"), RunOptions::new().retry(policy()).wait_timeout(Duration::from_secs(60))).unwrap();
    // Pauses of at least 50 and 100 ms (jitter 0.5).
    assert!(start.elapsed() >= Duration::from_millis(150));
    assert!(r.is_success());
    let ids = r.attempt_ids();
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[2], r.mission_id());
    assert_eq!(r.lane(), "default");
    for i in 1..3 {
        let info = c.get_mission(Some("dev"), &ids[i]).unwrap().expect("attempt exists");
        assert_eq!(info.restarted_from(), Some(ids[i - 1].as_str()));
    }
    assert_eq!(*seen.lock().unwrap(), vec![("success".to_owned(), 3)]);
}

#[test]
fn fan_out_retries_and_reports_each_job_once() {
    let (_s, c) = start("fan");
    let seen: Arc<Mutex<Vec<usize>>> = Arc::default();
    let log = seen.clone();
    let observed = c.with_completion_observer(move |r| log.lock().unwrap().push(r.attempts())).unwrap();
    let results = observed.run_parallel(&[&job("flaky_fan")], RunOptions::new().retry(policy())).unwrap();
    let r = results[0].result.as_ref().expect("a result");
    assert!(r.is_success());
    assert_eq!(r.attempts(), 3);
    assert_eq!(*seen.lock().unwrap(), vec![3]);
    assert!(c.version("dev").unwrap().contains("\"version\""));
    c.metrics("dev").unwrap();
}
