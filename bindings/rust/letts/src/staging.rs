//! The staging primitives of letts/staging.h: upload, probe, download
//! (whole or a range, to a file or a closure), list, delete, by-content.
use crate::client::{bytes_trampoline, Client, StreamCtx};
use crate::error::Result;
use crate::request::Scope;
use crate::util::{self, PanicSlot};
use letts_sys as sys;
use std::ops::ControlFlow;
use std::os::raw::c_int;
use std::path::Path;

/// A file in a dugdale's staging store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagingFile {
    /// Its staging id.
    pub staging_id: String,
    /// The sha256 of its content, lower-case hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// What `HEAD /v1/staging/{id}` says of an id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagingHead {
    /// "complete", "incomplete", "deleting", "pending_output" or "committing".
    pub state: String,
    /// The sha256 the row holds ("" when not sent).
    pub sha256: String,
    /// The total size (0 for the states that carry none).
    pub size: u64,
    /// Bytes the daemon holds: the size when complete, the resume offset when incomplete.
    pub bytes_received: u64,
}

/// Part of a staging file; the default is the whole file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StagingRange {
    /// First byte.
    pub offset: u64,
    /// Bytes wanted; 0 means to the end.
    pub length: u64,
}

/// The filter of [`Client::list_staging`].
#[derive(Clone, Debug, Default)]
pub struct StagingListOptions {
    /// The mission whose files are listed (required by the daemon).
    pub mission_id: String,
    /// "input", "output" or "script"; `None`: all.
    pub ref_kind: Option<String>,
    /// A [`StagingPage::next_cursor`] of an earlier page.
    pub cursor: Option<String>,
    /// Rows per page; 0: the daemon's 100.
    pub limit: u64,
}

/// One row of [`Client::list_staging`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagingEntry {
    /// Its staging id.
    pub staging_id: String,
    /// Its state ("uploading", "complete", "deleting", ...).
    pub state: String,
    /// Hex sha256.
    pub sha256: String,
    /// "input", "output" or "script".
    pub ref_kind: String,
    /// The role ("" for an exec script).
    pub role: String,
    /// Size in bytes.
    pub size: i64,
    /// Bytes received.
    pub bytes_received: i64,
    /// Creation time, Unix milliseconds.
    pub time_created: i64,
    /// Expiry, Unix milliseconds (`i64::MAX` while pinned).
    pub time_expires: i64,
}

/// A page of [`Client::list_staging`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagingPage {
    /// The rows, newest first.
    pub entries: Vec<StagingEntry>,
    /// The cursor of the next page; `None` on the last one.
    pub next_cursor: Option<String>,
}

fn path_str(path: &Path) -> Result<std::ffi::CString> {
    util::cstring(&path.to_string_lossy())
}

/// Copies a staged file handed over by a successful call, then frees it.
unsafe fn take_staged(out: *mut sys::letts_staged_file) -> StagingFile {
    let file = StagingFile {
        staging_id: util::str_or_empty(sys::letts_staged_file_id(out)).to_owned(),
        sha256: util::str_or_empty(sys::letts_staged_file_sha256(out)).to_owned(),
        size: sys::letts_staged_file_size(out),
    };
    sys::letts_staged_file_free(out);
    file
}

unsafe fn entry(list: *const sys::letts_staging_list, i: usize) -> StagingEntry {
    StagingEntry {
        staging_id: util::str_or_empty(sys::letts_staging_list_id(list, i)).to_owned(),
        state: util::str_or_empty(sys::letts_staging_list_state(list, i)).to_owned(),
        sha256: util::str_or_empty(sys::letts_staging_list_sha256(list, i)).to_owned(),
        ref_kind: util::str_or_empty(sys::letts_staging_list_ref_kind(list, i)).to_owned(),
        role: util::str_or_empty(sys::letts_staging_list_role(list, i)).to_owned(),
        size: sys::letts_staging_list_size(list, i),
        bytes_received: sys::letts_staging_list_bytes_received(list, i),
        time_created: sys::letts_staging_list_time_created(list, i),
        time_expires: sys::letts_staging_list_time_expires(list, i),
    }
}

impl Client {
    /// Uploads the local file at `path` to `host` under a new staging id
    /// (dispatch token), resuming an interrupted upload, and returns the
    /// id, sha256 and size.
    pub fn stage_file(&self, host: &str, path: &Path) -> Result<StagingFile> {
        let h = util::cstring(host)?;
        let p = path_str(path)?;
        let mut out: *mut sys::letts_staged_file = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_stage_file(self.raw, h.as_ptr(), p.as_ptr(), &mut out, err) })?;
        // SAFETY: a successful call handed over a live staged file.
        Ok(unsafe { take_staged(out) })
    }

    /// Probes staging id `id` of `host` (dispatch token); an unknown id is
    /// an error of kind `NotFound`.
    pub fn staging_head(&self, host: &str, id: &str) -> Result<StagingHead> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        let mut out: *mut sys::letts_staging_head = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_staging_head(self.raw, h.as_ptr(), i.as_ptr(), &mut out, err) })?;
        // SAFETY: a successful call handed over a live head; copied, then freed.
        unsafe {
            let head = StagingHead {
                state: util::str_or_empty(sys::letts_staging_head_state(out)).to_owned(),
                sha256: util::str_or_empty(sys::letts_staging_head_sha256(out)).to_owned(),
                size: sys::letts_staging_head_size(out),
                bytes_received: sys::letts_staging_head_bytes_received(out),
            };
            sys::letts_staging_head_free(out);
            Ok(head)
        }
    }

    /// Downloads staging file `id` of `host` (or `range` of it) to `path`,
    /// verified, through `<path>.partial`, which no failure leaves behind.
    pub fn download_staging(&self, host: &str, id: &str, range: StagingRange, path: &Path) -> Result<()> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        let p = path_str(path)?;
        util::call(|err| unsafe {
            sys::letts_client_staging_download(self.raw, h.as_ptr(), i.as_ptr(), range.offset, range.length, p.as_ptr(), err)
        })
    }

    /// Hands staging file `id` of `host` (or `range` of it) to `f` as it
    /// arrives; `f` returns `ControlFlow::Break(())` to stop. The checks
    /// run as the bytes arrive: on an error `f` may have seen a body that
    /// then failed them.
    pub fn read_staging<F: FnMut(&[u8]) -> ControlFlow<()>>(&self, host: &str, id: &str, range: StagingRange, f: F) -> Result<()> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        let mut ctx = StreamCtx { f, panic: PanicSlot::default() };
        let r = util::call(|err| unsafe {
            sys::letts_client_staging_read(self.raw, h.as_ptr(), i.as_ptr(), range.offset, range.length, Some(bytes_trampoline::<F>), (&mut ctx as *mut StreamCtx<F>).cast(), err)
        });
        match ctx.panic.into_error("staging read") {
            Some(e) => Err(e.with_cause(r.err())),
            None => r,
        }
    }

    /// Lists the staging files a mission references on `host` (admin token).
    pub fn list_staging(&self, host: &str, options: &StagingListOptions) -> Result<StagingPage> {
        let h = util::cstring(host)?;
        let m = util::cstring(&options.mission_id)?;
        let k = util::opt_cstring(options.ref_kind.as_deref())?;
        let c = util::opt_cstring(options.cursor.as_deref())?;
        let mut out: *mut sys::letts_staging_list = std::ptr::null_mut();
        util::call(|err| unsafe {
            sys::letts_client_staging_list(self.raw, h.as_ptr(), m.as_ptr(), util::opt_ptr(&k), options.limit, util::opt_ptr(&c), &mut out, err)
        })?;
        // SAFETY: a successful call handed over a live list; copied, then freed.
        unsafe {
            let page = StagingPage {
                entries: (0..sys::letts_staging_list_count(out)).map(|i| entry(out, i)).collect(),
                next_cursor: util::opt_str(sys::letts_staging_list_next_cursor(out)).map(str::to_owned),
            };
            sys::letts_staging_list_free(out);
            Ok(page)
        }
    }

    /// Deletes staging file `id` of `host` (admin token); a referenced file
    /// needs `force`, which deletes the referencing missions too.
    pub fn delete_staging(&self, host: &str, id: &str, force: bool) -> Result<()> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        util::call(|err| unsafe { sys::letts_client_staging_delete(self.raw, h.as_ptr(), i.as_ptr(), force as c_int, err) })
    }

    /// Finds a complete staging file of `host` with this content, presenting
    /// the token of `scope` ([`Scope::Exec`] or [`Scope::Admin`]; the daemon
    /// refuses a dispatch token). No such file: an error of kind `NotFound`.
    pub fn staging_by_content(&self, host: &str, scope: Scope, sha256: &str, size: u64) -> Result<StagingFile> {
        let h = util::cstring(host)?;
        let s = util::cstring(sha256)?;
        let mut out: *mut sys::letts_staged_file = std::ptr::null_mut();
        util::call(|err| unsafe {
            sys::letts_client_staging_by_content(self.raw, h.as_ptr(), scope.raw(), s.as_ptr(), size, &mut out, err)
        })?;
        // SAFETY: a successful call handed over a live staged file.
        Ok(unsafe { take_staged(out) })
    }
}
