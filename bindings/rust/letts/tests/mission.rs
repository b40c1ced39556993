//! Mission in standalone mode, in this process (one test: at most one
//! mission handle may be live per process): typed input getters, files,
//! progress, interruption, outputs and the one terminal event.
use letts::{ErrorKind, Mission, MissionFlags};
use std::cell::RefCell;
use std::io::Read;
use std::os::unix::io::AsRawFd;
use std::rc::Rc;

#[test]
fn standalone_mission() {
    let dir = std::env::temp_dir().join(format!("letts-rust-mission-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("doc.txt");
    std::fs::write(&doc, b"abc").unwrap();
    // Standalone outputs go to ./out/<key>: work in the temporary directory.
    std::env::set_current_dir(&dir).unwrap();

    let input = format!(r#"{{"name":"ada","n":7,"x":2.5,"ok":true,"deep":{{"list":[1,2]}},"nothing":null,"doc":"{}"}}"#, doc.display());
    let args = ["mission".to_owned(), format!("--input={}", input)];
    let flags = MissionFlags { standalone: true, no_signal_handlers: true };
    let mut m = Mission::start_with(&args, flags).unwrap();
    assert!(m.is_standalone());
    assert!(m.input_json().contains("\"ada\""));
    assert_eq!(m.input_str("name", None).unwrap().as_deref(), Some("ada"));
    assert_eq!(m.input_str("missing", Some("dflt")).unwrap().as_deref(), Some("dflt"));
    assert_eq!(m.input_str("nothing", None).unwrap(), None);
    assert_eq!(m.input_str("n", None).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(m.input_i64("n", 0).unwrap(), 7);
    assert_eq!(m.input_i64("missing", 42).unwrap(), 42);
    assert_eq!(m.input_f64("x", 0.0).unwrap(), 2.5);
    assert!(m.input_bool("ok", false).unwrap());
    assert!(m.input_has("deep.list"));
    assert!(!m.input_has("deep.nope"));
    assert_eq!(m.input_lookup("deep.list").unwrap(), "[1,2]");
    assert_eq!(m.input_lookup("nothing").unwrap(), "null");
    assert_eq!(m.input_lookup("deep.nope").unwrap_err().kind(), ErrorKind::NotFound);

    // Standalone, the input member named like the role is the file's path.
    assert_eq!(m.file_path("doc").unwrap(), doc);
    assert_eq!(m.file_size("doc").unwrap(), 3);
    assert_eq!(m.file_sha256("doc").unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    let mut text = String::new();
    m.file_open("doc").unwrap().read_to_string(&mut text).unwrap();
    assert_eq!(text, "abc");

    m.progress(0.5, Some("half")).unwrap();
    m.progress_message("still going").unwrap();

    // Interruption: forwarded signal, flag, descriptor, callback at check().
    assert!(!m.is_interrupted());
    assert!(m.as_raw_fd() >= 0);
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s2 = seen.clone();
    m.on_interrupt(move |sig| s2.borrow_mut().push(sig)).unwrap();
    m.check().unwrap();
    m.interrupt(15).unwrap();
    assert_eq!(m.interrupt_signal(), Some(15));
    assert_eq!(m.check().unwrap_err().kind(), ErrorKind::Interrupted);
    assert_eq!(*seen.borrow(), vec![15]);

    let out = m.output_path("result").unwrap();
    assert!(out.ends_with("out/result"), "{}", out.display());
    std::fs::write(&out, b"done").unwrap();
    m.output_register("result").unwrap();
    assert_eq!(m.output_path("__bad").unwrap_err().kind(), ErrorKind::InvalidArgument);

    assert!(!m.ended());
    assert_eq!(m.success("[1]").unwrap_err().kind(), ErrorKind::InvalidArgument);
    m.success(r#"{"ok":true}"#).unwrap();
    assert!(m.ended());
    assert_eq!(m.exit_code(), 0);
    assert_eq!(m.fail("late", None, None, 1).unwrap_err().kind(), ErrorKind::InvalidArgument);
    drop(m);
    let _ = std::fs::remove_dir_all(&dir);
}
