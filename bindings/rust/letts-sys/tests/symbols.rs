//! letts-sys declares exactly the functions libletts.so.0 exports: the
//! names in src/decls.rs equal tests/abi/exported-symbols.txt (which the
//! `exported-symbols` meson test in turn holds equal to the library). The
//! check is textual on purpose, independent of gen_decls.py; the link of
//! this test binary (every function's address is taken below) proves the
//! library has each declared symbol.
use std::collections::BTreeSet;

fn declared() -> Vec<String> {
    let src = include_str!("../src/decls.rs");
    src.lines()
        .filter_map(|l| l.trim().strip_prefix("pub fn "))
        .map(|rest| rest.split('(').next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn declares_exactly_the_exported_symbols() {
    let list = include_str!("../../../../tests/abi/exported-symbols.txt");
    let exported: BTreeSet<String> = list.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    let names = declared();
    let set: BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(names.len(), set.len(), "a function is declared twice in decls.rs");
    let missing: Vec<_> = exported.difference(&set).collect();
    let extra: Vec<_> = set.difference(&exported).collect();
    assert!(missing.is_empty(), "exported but not declared in letts-sys: {:?}", missing);
    assert!(extra.is_empty(), "declared in letts-sys but not exported: {:?}", extra);
    assert_eq!(set.len(), 368, "expected the 368 functions of exported-symbols.txt");
}

#[test]
fn every_declaration_links() {
    let addrs: Vec<usize> = include!(concat!(env!("OUT_DIR"), "/addresses.rs"));
    assert_eq!(addrs.len(), declared().len());
    assert!(addrs.iter().all(|a| *a != 0));
}

#[test]
fn the_library_answers() {
    let v = unsafe { std::ffi::CStr::from_ptr(letts_sys::letts_version()) };
    assert_eq!(v.to_str().unwrap(), "0.1.0");
    let name = unsafe { std::ffi::CStr::from_ptr(letts_sys::letts_status_name(letts_sys::LETTS_ERR_CANCELLED)) };
    assert_eq!(name.to_str().unwrap(), "cancelled");
}
