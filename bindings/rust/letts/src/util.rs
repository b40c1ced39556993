//! Conversions at the C boundary shared by every module.
use crate::error::{Error, ErrorKind, Result};
use letts_sys as sys;
use std::any::Any;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;

/// Runs a C call that takes `letts_error **err` last and turns a failure
/// into an [`Error`] (the C error object is copied, then freed).
pub(crate) fn call<F>(f: F) -> Result<()>
where
    F: FnOnce(*mut *mut sys::letts_error) -> sys::letts_status,
{
    let mut err: *mut sys::letts_error = std::ptr::null_mut();
    let status = f(&mut err);
    if status == sys::LETTS_OK {
        // SAFETY: freeing NULL is allowed; a conforming call left it NULL.
        unsafe { sys::letts_error_free(err) };
        return Ok(());
    }
    Err(Error::from_raw(status, err))
}

/// A C string from a Rust one; an interior NUL is an invalid argument.
pub(crate) fn cstring(s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::new(ErrorKind::InvalidArgument, format!("expected a string without NUL bytes, found one in {:?}", s)))
}

/// Optional C string; None becomes NULL through [`opt_ptr`].
pub(crate) fn opt_cstring(s: Option<&str>) -> Result<Option<CString>> {
    s.map(cstring).transpose()
}

pub(crate) fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// Labels as a vector of C strings plus the pointer array the C API takes.
pub(crate) struct CStrings {
    _owned: Vec<CString>,
    ptrs: Vec<*const c_char>,
}

impl CStrings {
    pub(crate) fn new<S: AsRef<str>>(items: &[S]) -> Result<CStrings> {
        let owned = items.iter().map(|s| cstring(s.as_ref())).collect::<Result<Vec<_>>>()?;
        let ptrs = owned.iter().map(|c| c.as_ptr()).collect();
        Ok(CStrings { _owned: owned, ptrs })
    }
    pub(crate) fn ptr(&self) -> *const *const c_char {
        if self.ptrs.is_empty() {
            std::ptr::null()
        } else {
            self.ptrs.as_ptr()
        }
    }
    pub(crate) fn len(&self) -> usize {
        self.ptrs.len()
    }
}

/// Borrows a C string owned by a handle that outlives `'a`; NULL is None.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn opt_str<'a>(p: *const c_char) -> Option<&'a str> {
    if p.is_null() {
        None
    } else {
        // The C API promises UTF-8; a broken string reads as empty rather
        // than panicking.
        Some(CStr::from_ptr(p).to_str().unwrap_or(""))
    }
}

/// Like [`opt_str`], NULL reading as "".
///
/// # Safety
/// As [`opt_str`].
pub(crate) unsafe fn str_or_empty<'a>(p: *const c_char) -> &'a str {
    opt_str(p).unwrap_or("")
}

/// # Safety
/// `p` is a static NUL-terminated string.
pub(crate) unsafe fn static_str(p: *const c_char) -> &'static str {
    opt_str(p).unwrap_or("")
}

/// Takes a `char *` the caller must free with letts_free: copies it into a
/// String and frees it.
///
/// # Safety
/// `p` is NULL or a string allocated by libletts.
pub(crate) unsafe fn take_string(p: *mut c_char) -> String {
    let s = opt_str(p).unwrap_or("").to_owned();
    sys::letts_free(p.cast());
    s
}

/// The message of a caught panic.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}

/// Where a callback trampoline leaves a caught panic, turned into an error
/// after the C call returns.
#[derive(Default)]
pub(crate) struct PanicSlot(pub(crate) Option<String>);

impl PanicSlot {
    /// The error of a caught panic, if one was caught; it wins over the C
    /// status of the call (then the INTERRUPTED that the stop caused).
    pub(crate) fn into_error(self, what: &str) -> Option<Error> {
        self.0.map(|msg| Error::new(ErrorKind::Panicked, format!("the {} closure panicked: {}", what, msg)))
    }
}
