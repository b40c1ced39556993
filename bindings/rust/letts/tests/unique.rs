//! Unique dispatch (issue 20 §1) through the Rust binding: a vector of
//! docs/unique-ids.md, threads dispatching one key against a devserver get
//! one id, and a payload conflict both ways.
use letts::{Client, ClientOptions, DevServer, ErrorKind, Job};
use std::path::PathBuf;
use std::time::Duration;

const HOUR: Duration = Duration::from_secs(3600);
const AT: i64 = 1_764_806_400_000;

fn start() -> (DevServer, Client) {
    let dir = PathBuf::from(std::env::var("LETTS_TEST_MISSION_DIR").expect("LETTS_TEST_MISSION_DIR (meson test sets it)"));
    let server = DevServer::with_mission_dir(dir).expect("devserver starts");
    let yaml = format!(
        "auth: {{token: \"{}\", admin_token: \"{}\"}}\ndugdales:\n  - id: dev\n    url: \"{}\"\n    lanes: {{default: {{concurrency: 4}}}}\n",
        server.dispatch_token(),
        server.admin_token(),
        server.url()
    );
    let options = ClientOptions::new().retry_backoff(&[Duration::from_millis(10)]);
    let client = Client::from_yaml(&yaml, "test.yaml", &options).expect("client");
    (server, client)
}

fn unique_job(input: &str) -> Job {
    Job::new("hello").unwrap().host("dev").unwrap().lane("default").unwrap().input_json(input).unwrap()
        .unique("rust-unique-1", HOUR).unwrap().unique_at_ms(Some(AT + 42)).unwrap()
}

#[test]
fn unique_id_matches_the_documented_vector() {
    assert_eq!(letts::unique_id("invoice-42", HOUR, 1_764_809_999_999).unwrap(), "019ae6a8-9800-7059-a7a4-ac6240ea70b6");
    assert_eq!(letts::unique_id("", HOUR, 0).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn threads_dispatching_one_key_get_one_mission() {
    let (_server, client) = start();
    let want = letts::unique_id("rust-unique-1", HOUR, AT).unwrap();
    let job = unique_job(r#"{"n":1}"#);
    let ids: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(|| client.dispatch(&job).unwrap())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(ids.iter().all(|id| *id == want), "{ids:?} vs {want}");
    let other = unique_job(r#"{"n":2}"#);
    assert_eq!(client.dispatch(&other).unwrap_err().kind(), ErrorKind::Conflict);
    let tolerant = other.unique_conflict_is_error(false).unwrap();
    assert_eq!(client.dispatch(&tolerant).unwrap(), want);
    let info = client.get_mission(Some("dev"), &want).unwrap().expect("the mission exists");
    assert_eq!(info.mission_id(), want);
}
