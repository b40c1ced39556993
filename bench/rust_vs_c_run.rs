//! rust_vs_c_run — the cost of the Rust binding on a run: `letts::Client::run`
//! against the C `letts_client_run` it wraps, on the same client handle, the
//! same embedded devserver and the same trivial mission (`hello`), the two
//! interleaved run by run so that machine load falls on both alike.
//!
//! ```text
//! cargo run --release --manifest-path bindings/rust/Cargo.toml -p letts \
//!     --example rust_vs_c_run -- MISSION_DIR [RUNS]
//! ```
//!
//! Prints mean and median per run for each side and the ratio Rust / C.
//! With `--control` as third argument both sides call C: the ratio then
//! shows the noise floor of the machine.
//! Built (not run) by `cargo test`, which compiles examples. Figures are in
//! bench/README.md.
use letts::{DevServer, Job, RunOptions};
use std::ffi::CString;
use std::time::{Duration, Instant};

fn c_run(raw_client: *const letts_sys::letts_client, job: *const letts_sys::letts_job) {
    let mut result = std::ptr::null_mut();
    // SAFETY: live client and job; NULL options are the defaults; the result is freed.
    unsafe {
        let st = letts_sys::letts_client_run(raw_client, job, std::ptr::null(), &mut result, std::ptr::null_mut());
        assert_eq!(st, letts_sys::LETTS_OK, "C run failed");
        letts_sys::letts_run_result_free(result);
    }
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let mean = v.iter().map(Duration::as_secs_f64).sum::<f64>() / v.len() as f64;
    (mean * 1e3, v[v.len() / 2].as_secs_f64() * 1e3)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).expect("usage: rust_vs_c_run MISSION_DIR [RUNS]");
    let runs: usize = args.get(2).map_or(200, |n| n.parse().expect("RUNS is a number"));
    let control = args.get(3).map(String::as_str) == Some("--control");
    let server = DevServer::with_mission_dir(dir).expect("devserver");
    let client = server.client().expect("client");
    let job = Job::new("hello").unwrap().host(DevServer::HOST).unwrap().lane("default").unwrap().input_json("{}").unwrap();

    // The C side: its own client from the same letts.yaml, its own job.
    let yaml = server.client_config();
    let name = CString::new("bench").unwrap();
    let mission = CString::new("hello").unwrap();
    let host = CString::new(DevServer::HOST).unwrap();
    let lane = CString::new("default").unwrap();
    let input = CString::new("{}").unwrap();
    let (mut cfg, mut c_client, mut c_job) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: plain C API use; everything is freed at the end.
    unsafe {
        assert_eq!(letts_sys::letts_config_load_string(&mut cfg, yaml.as_ptr().cast(), yaml.len(), name.as_ptr(), std::ptr::null_mut()), 0);
        assert_eq!(letts_sys::letts_client_new(&mut c_client, cfg, std::ptr::null(), std::ptr::null_mut()), 0);
        assert_eq!(letts_sys::letts_job_new(&mut c_job, mission.as_ptr(), std::ptr::null_mut()), 0);
        assert_eq!(letts_sys::letts_job_set_host(c_job, host.as_ptr(), std::ptr::null_mut()), 0);
        assert_eq!(letts_sys::letts_job_set_lane(c_job, lane.as_ptr(), std::ptr::null_mut()), 0);
        assert_eq!(letts_sys::letts_job_set_input_json(c_job, input.as_ptr(), std::ptr::null_mut()), 0);
    }

    // Warm-up: connections, page cache, the mission binary.
    for _ in 0..10 {
        client.run(&job, RunOptions::new()).unwrap();
        c_run(c_client, c_job);
    }
    let (mut rust, mut c) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for i in 0..runs * 2 {
        let t = Instant::now();
        // Alternate which side goes first in each pair.
        if (i % 2 == 0) == (i / 2 % 2 == 0) {
            if control {
                c_run(c_client, c_job);
            } else {
                client.run(&job, RunOptions::new()).unwrap();
            }
            rust.push(t.elapsed());
        } else {
            c_run(c_client, c_job);
            c.push(t.elapsed());
        }
    }
    // SAFETY: created above, freed once.
    unsafe {
        letts_sys::letts_job_free(c_job);
        letts_sys::letts_client_free(c_client);
        letts_sys::letts_config_free(cfg);
    }
    let (rm, rmed) = stats(rust);
    let (cm, cmed) = stats(c);
    println!("runs per side: {}{}", runs, if control { " (control: both sides C)" } else { "" });
    println!("rust  Client::run      mean {:.3} ms  median {:.3} ms", rm, rmed);
    println!("C     letts_client_run mean {:.3} ms  median {:.3} ms", cm, cmed);
    println!("ratio rust / C         mean {:.3}x    median {:.3}x", rm / cm, rmed / cmed);
}
