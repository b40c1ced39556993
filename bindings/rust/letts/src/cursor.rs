//! The position a mission listing's cursor names (letts/list_cursor.h).
use crate::error::Result;
use crate::util;
use letts_sys as sys;

/// The last mission of a page and its creation time (order "created") or
/// end time (order "finished") in milliseconds, the other time 0: the
/// upstream Go client's `ListCursor`. [`encode`](ListCursor::encode) makes
/// the string its `EncodeListCursor` makes, so a caller merging the pages
/// of several dugdales can resume each one after the last mission it kept
/// ([`ListFilter`](crate::ListFilter)'s cursor).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCursor {
    /// `time_created` of the mission (ms), 0 when absent.
    pub time_created_ms: i64,
    /// `time_finished` of the mission (ms), 0 when absent.
    pub time_finished_ms: i64,
    /// The mission's id.
    pub mission_id: String,
}

impl ListCursor {
    /// The cursor string. Fails with
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for
    /// a negative time, both times 0, or an id that is empty, over 1024
    /// bytes, holds a control character (NUL included).
    pub fn encode(&self) -> Result<String> {
        let id = util::cstring(&self.mission_id)?;
        let mut out = std::ptr::null_mut();
        util::call(|err| unsafe {
            sys::letts_list_cursor_encode(self.time_created_ms, self.time_finished_ms, id.as_ptr(), &mut out, err)
        })?;
        // SAFETY: a string the caller frees with letts_free.
        Ok(unsafe { util::take_string(out) })
    }

    /// The position `cursor` names; "" is the first page (the default
    /// value), as in the Go client. A malformed cursor fails with
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument),
    /// the message saying what is wrong.
    pub fn decode(cursor: &str) -> Result<ListCursor> {
        let c = util::cstring(cursor)?;
        let (mut created, mut finished) = (0i64, 0i64);
        let mut id = std::ptr::null_mut();
        util::call(|err| unsafe {
            sys::letts_list_cursor_decode(c.as_ptr(), &mut created, &mut finished, &mut id, err)
        })?;
        // SAFETY: a string the caller frees with letts_free.
        let mission_id = unsafe { util::take_string(id) };
        Ok(ListCursor { time_created_ms: created, time_finished_ms: finished, mission_id })
    }
}
