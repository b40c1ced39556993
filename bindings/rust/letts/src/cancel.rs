//! CancelToken: the C cancel object, shared between threads.
use crate::error::Result;
use crate::util;
use letts_sys as sys;
use std::sync::Arc;

struct Raw(*mut sys::letts_cancel);

// SAFETY: letts_cancel is made to cross threads: trigger and is_triggered
// may be called from any thread at any time (cancel.h); free happens once,
// in Drop, when no clone is left.
unsafe impl Send for Raw {}
unsafe impl Sync for Raw {}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: owned pointer; calls that were given it keep their own reference.
        unsafe { sys::letts_cancel_free(self.0) }
    }
}

/// A flag that goes once from "not triggered" to "triggered" and makes the
/// blocked calls given it return [`crate::ErrorKind::Cancelled`] promptly.
///
/// Clones share the one C object: trigger any clone from any thread. Hand
/// it to calls with [`crate::Client::with_cancel`] (every blocking call of
/// the scoped client) or [`crate::RunOptions::cancel`] (one run or wait).
#[derive(Clone)]
pub struct CancelToken(Arc<Raw>);

impl CancelToken {
    /// A new, untriggered token.
    pub fn new() -> Result<CancelToken> {
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_cancel_new(&mut raw, err) })?;
        Ok(CancelToken(Arc::new(Raw(raw))))
    }

    /// Triggers it: every call using it returns Cancelled. Idempotent.
    pub fn cancel(&self) {
        // SAFETY: live object; trigger is thread-safe.
        unsafe { sys::letts_cancel_trigger(self.0 .0) }
    }

    /// Whether it was triggered.
    pub fn is_cancelled(&self) -> bool {
        // SAFETY: live object.
        unsafe { sys::letts_cancel_is_triggered(self.0 .0) != 0 }
    }

    pub(crate) fn raw(&self) -> *mut sys::letts_cancel {
        self.0 .0
    }
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken").field("cancelled", &self.is_cancelled()).finish()
    }
}
