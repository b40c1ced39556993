//! The example mission is started by a dugdale (or letts-devserver) with a
//! clean environment, so LD_LIBRARY_PATH does not reach it: when built
//! against a libletts that is not installed (LETTS_LIB_DIR, see
//! letts-sys/build.rs), the binaries carry that directory as their rpath.
fn main() {
    println!("cargo:rerun-if-env-changed=LETTS_LIB_DIR");
    if let Ok(dir) = std::env::var("LETTS_LIB_DIR") {
        println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{}", dir);
    }
}
