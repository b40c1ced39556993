//! Issue 17 §2 in the safe crate: `ListCursor` against vectors of the
//! upstream Go client's encoding (computed with Go's encoding/json and
//! base64.RawURLEncoding) and against a devserver's listing, and the
//! `total_timeout` / `reconnect_backoff` options.
use letts::{Client, ClientOptions, DevServer, ErrorKind, Job, ListCursor, ListFilter};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn vectors() -> Vec<(ListCursor, &'static str)> {
    vec![
        (
            ListCursor { time_created_ms: 1714600000123, time_finished_ms: 0, mission_id: "0192a8b3-d2c1-7abc-bad0-1234567890ab".into() },
            "eyJ0aW1lX2NyZWF0ZWQiOjE3MTQ2MDAwMDAxMjMsIm1pc3Npb25faWQiOiIwMTkyYThiMy1kMmMxLTdhYmMtYmFkMC0xMjM0NTY3ODkwYWIifQ",
        ),
        (
            ListCursor { time_created_ms: 0, time_finished_ms: 1714600099999, mission_id: "0192a8b4-d2c1-7abc-bad0-1234567890ac".into() },
            "eyJ0aW1lX2ZpbmlzaGVkIjoxNzE0NjAwMDk5OTk5LCJtaXNzaW9uX2lkIjoiMDE5MmE4YjQtZDJjMS03YWJjLWJhZDAtMTIzNDU2Nzg5MGFjIn0",
        ),
        (
            ListCursor { time_created_ms: 5, time_finished_ms: 7, mission_id: "a<b>&c\"d\\e\u{2028}f\u{2029}g é".into() },
            "eyJ0aW1lX2NyZWF0ZWQiOjUsInRpbWVfZmluaXNoZWQiOjcsIm1pc3Npb25faWQiOiJhXHUwMDNjYlx1MDAzZVx1MDAyNmNcImRcXGVcdTIwMjhmXHUyMDI5ZyDDqSJ9",
        ),
    ]
}

#[test]
fn cursors_are_the_go_clients() {
    for (position, cursor) in vectors() {
        assert_eq!(position.encode().unwrap(), cursor);
        assert_eq!(ListCursor::decode(cursor).unwrap(), position);
    }
    assert_eq!(ListCursor::decode("").unwrap(), ListCursor::default());
}

#[test]
fn malformed_cursors_are_refused_by_name() {
    let e = ListCursor::decode("eyJ0aW1l+").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.to_string().contains("not unpadded base64url"), "{}", e);
    let e = ListCursor { time_created_ms: -1, time_finished_ms: 0, mission_id: "m".into() }.encode().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.to_string().contains("time_created_ms is negative"), "{}", e);
}

#[test]
fn a_made_cursor_resumes_a_listing() {
    let dir = PathBuf::from(std::env::var("LETTS_TEST_MISSION_DIR").expect("LETTS_TEST_MISSION_DIR (meson test sets it)"));
    let server = DevServer::with_mission_dir(dir).expect("devserver starts");
    let yaml = format!(
        "auth: {{token: \"{}\", admin_token: \"{}\"}}\ndugdales:\n  - id: dev\n    url: \"{}\"\n",
        server.dispatch_token(),
        server.admin_token(),
        server.url()
    );
    let c = Client::from_yaml(&yaml, "test.yaml", &ClientOptions::new()).unwrap();
    for _ in 0..2 {
        c.dispatch(&Job::new("hello").unwrap().host("dev").unwrap().lane("default").unwrap()).unwrap();
    }
    let first = c.list_missions("dev", ListFilter::new().mission("hello").limit(1)).next().unwrap().unwrap();
    let top = &first.missions[0];
    let made = ListCursor { time_created_ms: top.time_created_ms(), time_finished_ms: 0, mission_id: top.mission_id().to_owned() }
        .encode()
        .unwrap();
    assert_eq!(Some(made.as_str()), first.next_cursor.as_deref());
    let next = c.list_missions("dev", ListFilter::new().mission("hello").limit(1).cursor(&made)).next().unwrap().unwrap();
    assert_eq!(next.missions.len(), 1);
    assert_ne!(next.missions[0].mission_id(), top.mission_id());
}

#[test]
fn total_timeout_ends_a_request_nobody_answers() {
    // Never accepted: the kernel completes the connection, nobody answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let yaml = format!("auth: {{token: t}}\ndugdales:\n  - id: silent\n    url: \"http://{}\"\n", listener.local_addr().unwrap());
    let opts = ClientOptions::new()
        .retry_attempts(1)
        .total_timeout(Duration::from_millis(600))
        .reconnect_backoff(&[Duration::from_millis(1)]);
    let c = Client::from_yaml(&yaml, "silent.yaml", &opts).unwrap();
    let started = Instant::now();
    let e = c.get_mission(Some("silent"), "0192a8b3-d2c1-7abc-bad0-1234567890ab").unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(e.to_string().contains("total_timeout of 600 ms exceeded"), "{}", e);
    assert!(elapsed >= Duration::from_millis(550) && elapsed < Duration::from_secs(10), "{:?}", elapsed);
}
