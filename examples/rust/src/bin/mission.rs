//! rust_mission — an example mission written in Rust.
//!
//! Input: {"name": "...", "steps": N, "step_ms": 0, "fail": false,
//! "output": false, "file": "ROLE"}. Reports N progress steps, `step_ms`
//! apart, checking for an interrupt before each (a kill ends it as failed /
//! "interrupted", after a line on stderr), then greets `name`. With "fail":
//! true it fails with reason "asked_to_fail" (exit 3); with "output": true
//! it also writes and declares the output `greeting`; with "file" it reads
//! that input file and returns its size as `file_bytes`. Run it standalone:
//!
//! ```text
//! rust_mission --input='{"name":"ada","steps":2}'
//! ```
use letts::{ErrorKind, Mission};

fn main() {
    let mut m = match Mission::start() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("rust_mission: {}", e);
            std::process::exit(1);
        }
    };
    if let Err(e) = work(&mut m) {
        if !m.ended() {
            let reason = match e.downcast_ref::<letts::Error>() {
                Some(le) if le.kind() == ErrorKind::Interrupted => "interrupted",
                _ => "error",
            };
            let _ = m.fail(&e.to_string(), Some(reason), None, 1);
        }
    }
    m.exit();
}

fn work(m: &mut Mission) -> Result<(), Box<dyn std::error::Error>> {
    let name = m.input_str("name", Some("world"))?.unwrap_or_default();
    let steps = m.input_i64("steps", 2)?;
    let step = std::time::Duration::from_millis(m.input_i64("step_ms", 0)?.max(0) as u64);
    for i in 1..=steps {
        if let Some(signal) = m.interrupt_signal() {
            eprintln!("rust_mission: interrupted by signal {} before step {}", signal, i);
        }
        m.check()?;
        std::thread::sleep(step);
        m.progress(i as f64 / steps as f64, Some(&format!("step {}", i)))?;
    }
    if m.input_bool("fail", false)? {
        let message = format!("asked to fail for {}", name);
        return Ok(m.fail(&message, Some("asked_to_fail"), Some(r#"{"by":"input"}"#), 3)?);
    }
    let mut file_bytes = String::new();
    if let Some(role) = m.input_str("file", None)? {
        let mut f = m.file_open(&role)?;
        let n = std::io::copy(&mut f, &mut std::io::sink())?;
        file_bytes = format!(",\"file_bytes\":{}", n);
    }
    let greeting = format!("hello, {}", name);
    if m.input_bool("output", false)? {
        let path = m.output_path("greeting")?;
        std::fs::write(path, greeting.as_bytes())?;
        m.output_register("greeting")?;
    }
    Ok(m.success(&format!("{{\"greeting\":{},\"steps\":{}{}}}", json_string(&greeting), steps, file_bytes))?)
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
