//! letts-rust-client — the Rust client in one program.
//!
//! Starts an embedded letts-devserver running the missions of MISSION_DIR,
//! runs mission MISSION (default "progress") with INPUT (default
//! {"steps":3}) through a client made from the server's letts.yaml,
//! printing each progress event as it arrives, then the result:
//!
//! ```text
//! letts-rust-client MISSION_DIR [MISSION [INPUT]]
//! ```
use letts::{DevServer, Job, RunOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 || args.len() > 4 {
        eprintln!("usage: letts-rust-client MISSION_DIR [MISSION [INPUT_JSON]]");
        std::process::exit(2);
    }
    let mission = args.get(2).map_or("progress", String::as_str);
    let input = args.get(3).map_or(r#"{"steps":3}"#, String::as_str);
    if let Err(e) = run(&args[1], mission, input) {
        eprintln!("letts-rust-client: {}", e);
        std::process::exit(1);
    }
}

fn run(dir: &str, mission: &str, input: &str) -> letts::Result<()> {
    let server = DevServer::with_mission_dir(dir)?;
    let client = server.client()?;
    println!("libletts {} — letts-devserver at {}", letts::version(), server.url());
    let job = Job::new(mission)?.host(DevServer::HOST)?.lane("default")?.input_json(input)?;
    let opts = RunOptions::new().progress(|value, message| match value {
        Some(v) => println!("  progress {:3.0}%  {}", v * 100.0, message.unwrap_or("")),
        None => println!("  progress        {}", message.unwrap_or("")),
    });
    let result = client.run(&job, opts)?;
    println!("mission {}", result.mission_id());
    println!("  outcome   {}", result.outcome());
    println!("  return    {}", result.return_json().unwrap_or("null"));
    Ok(())
}
