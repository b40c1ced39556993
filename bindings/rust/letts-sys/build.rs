//! Links libletts. Two ways, in this order:
//!
//! 1. `LETTS_LIB_DIR`: a directory holding `libletts.so` — the meson build
//!    tree (`build/src`) when the binding is built by `meson test`, or any
//!    other place. Nothing else is consulted.
//! 2. `pkg-config --libs letts`: an installed libletts (`meson install`).
//!
//! Only the link step is configured here; at run time the dynamic loader
//! must find `libletts.so.0` (installed, or `LD_LIBRARY_PATH`, which the
//! meson test sets to the build tree).
use std::env;
use std::process::Command;

fn main() {
    write_addresses();
    println!("cargo:rerun-if-env-changed=LETTS_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    println!("cargo:rerun-if-env-changed=LETTS_SYS_LINK_FIRST");
    // A sanitizer build of libletts needs its runtimes first in the initial
    // library list of every program (ASan checks); meson sets e.g.
    // LETTS_SYS_LINK_FIRST=asan,ubsan. Linked even though Rust code does
    // not reference them, and before libletts.
    if let Ok(libs) = env::var("LETTS_SYS_LINK_FIRST") {
        for lib in libs.split(',').filter(|l| !l.is_empty()) {
            println!("cargo:rustc-link-lib=dylib={}", lib);
        }
    }
    if let Ok(dir) = env::var("LETTS_LIB_DIR") {
        println!("cargo:rustc-link-search=native={}", dir);
        println!("cargo:rustc-link-lib=dylib=letts");
        println!("cargo:lib_dir={}", dir);
        return;
    }
    let output = Command::new("pkg-config")
        .args(["--libs", "letts"])
        .output()
        .unwrap_or_else(|e| panic!("letts-sys: LETTS_LIB_DIR is not set and pkg-config could not run ({}); set LETTS_LIB_DIR to the directory of libletts.so", e));
    if !output.status.success() {
        panic!(
            "letts-sys: LETTS_LIB_DIR is not set and `pkg-config --libs letts` failed: {}; install libletts (meson install) or set LETTS_LIB_DIR",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    for flag in String::from_utf8_lossy(&output.stdout).split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={}", dir);
            println!("cargo:lib_dir={}", dir);
        } else if let Some(lib) = flag.strip_prefix("-l") {
            println!("cargo:rustc-link-lib=dylib={}", lib);
        }
    }
}

/// For tests/symbols.rs: an expression taking the address of every declared
/// function, so that the test binary links only if the library has them all.
fn write_addresses() {
    println!("cargo:rerun-if-changed=src/decls.rs");
    let decls = std::fs::read_to_string("src/decls.rs").expect("letts-sys: src/decls.rs");
    let mut out = String::from("vec![\n");
    for line in decls.lines() {
        if let Some(rest) = line.trim().strip_prefix("pub fn ") {
            let name = rest.split('(').next().unwrap_or("").trim();
            out.push_str(&format!("    letts_sys::{} as *const () as usize,\n", name));
        }
    }
    out.push(']');
    let path = std::path::Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("addresses.rs");
    std::fs::write(path, out).expect("letts-sys: writing addresses.rs");
}
