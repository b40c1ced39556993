//! Exec against an embedded devserver with exec enabled, through a client
//! whose letts.yaml has an exec and an admin token but no dispatch token:
//! run (script, input file, stdin, output download, exit code), dispatch,
//! wait and get, and the missing exec token.
use letts::{Client, ClientOptions, DevServer, DevServerOptions, ErrorKind, ExecSpec, RunOptions};

const HOST: &str = "dev";

/// A directory of the test `tag` (the tests run at once, each with its
/// own server and data directory); removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("letts-rust-exec-{}-{}", std::process::id(), tag));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn dir(&self, name: &str) -> std::path::PathBuf {
        let dir = self.0.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn exec_server(scratch: &Scratch) -> (DevServer, Client) {
    let data = scratch.dir("data");
    let yaml = format!(
        "listen: 127.0.0.1:0\ndata_dir: {}\nauth:\n  tokens: [dispatch-token]\nadmin:\n  tokens: [admin-token]\nexec:\n  enabled: true\n  tokens: [exec-token]\n",
        data.display()
    );
    let server = DevServer::start(&DevServerOptions::new().config_yaml(&yaml)).unwrap();
    let cfg = format!(
        "auth: {{exec_token: exec-token, admin_token: admin-token}}\ndugdales:\n  - id: dev\n    url: \"{}\"\n    lanes: {{default: {{concurrency: 2}}}}\n",
        server.url()
    );
    let client = Client::from_yaml(&cfg, "exec.yaml", &ClientOptions::new()).unwrap();
    let apply = format!(
        "{{\"mission_dir\":\"{}\",\"lanes\":{{\"default\":{{\"concurrency\":2}}}}}}",
        scratch.dir("missions").display()
    );
    client.admin_apply(HOST, &apply).unwrap();
    (server, client)
}

#[test]
fn exec_run_dispatch_wait_and_get() {
    let scratch = Scratch::new("run");
    let (_server, client) = exec_server(&scratch);
    let dir = scratch.dir("files");
    let script = dir.join("s.sh");
    std::fs::write(&script, "tr a-z A-Z < \"$LETTS_IN_doc\" > \"$LETTS_OUT_res\"\ncat\n").unwrap();
    let doc = dir.join("doc.txt");
    std::fs::write(&doc, "rust exec\n").unwrap();
    let spec = ExecSpec::new()
        .unwrap()
        .host(HOST)
        .unwrap()
        .lane("default")
        .unwrap()
        .command(&["sh", "-e", "script/script"])
        .unwrap()
        .script_file(&script)
        .unwrap()
        .input_file("doc", &doc)
        .unwrap()
        .output("res")
        .unwrap()
        .stdin(b"from stdin\n")
        .unwrap();
    let result = client.exec_run(&spec, RunOptions::new().fetch_logs(true)).unwrap();
    assert_eq!(result.kind(), "exec");
    assert_eq!(result.exit_code(), Some(0));
    assert_eq!(result.stdout(), b"from stdin\n");
    assert_eq!(client.download_output(&result, "res").unwrap(), b"RUST EXEC\n");

    let failing = ExecSpec::new().unwrap().host(HOST).unwrap().lane("default").unwrap().command(&["false"]).unwrap();
    let err = client.exec_run(&failing, RunOptions::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissionFailed);
    assert_eq!(err.run_result().unwrap().exit_code(), Some(1));

    let quick = ExecSpec::new().unwrap().host(HOST).unwrap().lane("default").unwrap().command(&["true"]).unwrap().display_name("rust true").unwrap();
    let id = client.exec_dispatch(&quick).unwrap();
    client.exec_wait(HOST, &id, RunOptions::new()).unwrap();
    let info = client.exec_get(HOST, &id).unwrap().expect("the exec");
    assert_eq!(info.kind(), Some("exec"));
    assert_eq!(info.display_name(), Some("rust true"));

    let mut stdout = Vec::new();
    client
        .exec_stream_output(HOST, result.mission_id(), "stdout", false, |b| {
            stdout.extend_from_slice(b);
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(stdout, b"from stdin\n");
    let mut lines = Vec::new();
    client
        .exec_follow_events(HOST, &id, 0, true, |line| {
            lines.push(line.to_owned());
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    assert!(lines.first().unwrap().contains("\"event\":\"queued\""), "{:?}", lines);
    assert!(lines.last().unwrap().contains("\"event\":\"done\""), "{:?}", lines);
}

#[test]
fn exec_without_an_exec_token_names_the_keys() {
    let scratch = Scratch::new("token");
    let (server, _client) = exec_server(&scratch);
    let cfg = format!("auth: {{token: dispatch-token}}\ndugdales:\n  - id: dev\n    url: \"{}\"\n    lanes: {{default: {{concurrency: 2}}}}\n", server.url());
    let client = Client::from_yaml(&cfg, "mission.yaml", &ClientOptions::new()).unwrap();
    let spec = ExecSpec::new().unwrap().host(HOST).unwrap().lane("default").unwrap().command(&["true"]).unwrap();
    let err = client.exec_dispatch(&spec).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.message().contains("auth.exec_token"), "{}", err.message());
}
