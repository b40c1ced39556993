//! rust_mission — an example mission written in Rust.
//!
//! Input: {"name": "...", "steps": N, "fail": false, "output": false}.
//! Reports N progress steps (checking for an interrupt between them), then
//! greets `name`. With "fail": true it fails with reason "asked_to_fail"
//! (exit 3); with "output": true it also writes and declares the output
//! `greeting`. Run it standalone:
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
    for i in 1..=steps {
        m.check()?;
        m.progress(i as f64 / steps as f64, Some(&format!("step {}", i)))?;
    }
    if m.input_bool("fail", false)? {
        let message = format!("asked to fail for {}", name);
        return Ok(m.fail(&message, Some("asked_to_fail"), Some(r#"{"by":"input"}"#), 3)?);
    }
    let greeting = format!("hello, {}", name);
    if m.input_bool("output", false)? {
        let path = m.output_path("greeting")?;
        std::fs::write(path, greeting.as_bytes())?;
        m.output_register("greeting")?;
    }
    Ok(m.success(&format!("{{\"greeting\":{},\"steps\":{}}}", json_string(&greeting), steps))?)
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
