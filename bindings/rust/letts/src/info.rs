//! Mission resources (get, list) and the list filter with its page iterator.
use crate::client::Client;
use crate::error::Result;
use crate::util;
use letts_sys as sys;
use std::sync::Arc;

struct ListRaw(*mut sys::letts_mission_list);
// SAFETY: immutable once returned.
unsafe impl Send for ListRaw {}
unsafe impl Sync for ListRaw {}
impl Drop for ListRaw {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_mission_list_free(self.0) }
    }
}

enum InfoOwner {
    Own(*mut sys::letts_mission_info),
    List(#[allow(dead_code)] Arc<ListRaw>),
}

/// A mission resource as the dugdale describes it (`GET /v1/missions/{id}`).
/// Immutable; readable from any thread.
pub struct MissionInfo {
    raw: *const sys::letts_mission_info,
    owner: InfoOwner,
}

// SAFETY: immutable once returned; freed once by its owner.
unsafe impl Send for MissionInfo {}
unsafe impl Sync for MissionInfo {}

impl Drop for MissionInfo {
    fn drop(&mut self) {
        if let InfoOwner::Own(p) = self.owner {
            // SAFETY: owned.
            unsafe { sys::letts_mission_info_free(p) }
        }
    }
}

/// An input or output file of a mission resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    /// Its role (inputs) or key (outputs).
    pub role: String,
    /// Its staging id.
    pub staging_id: String,
    /// Hex sha256.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
}

macro_rules! info_str {
    ($(#[$m:meta])* $name:ident, $f:ident) => {
        $(#[$m])*
        pub fn $name(&self) -> Option<&str> {
            // SAFETY: owned by the live info.
            unsafe { util::opt_str(sys::$f(self.raw)) }
        }
    };
}
macro_rules! info_i64 {
    ($(#[$m:meta])* $name:ident, $f:ident) => {
        $(#[$m])*
        pub fn $name(&self) -> i64 {
            // SAFETY: live info.
            unsafe { sys::$f(self.raw) }
        }
    };
}

impl MissionInfo {
    pub(crate) fn from_owned(p: *mut sys::letts_mission_info) -> MissionInfo {
        MissionInfo { raw: p, owner: InfoOwner::Own(p) }
    }

    /// The whole resource, JSON text.
    pub fn json(&self) -> &str {
        // SAFETY: owned by the live info.
        unsafe { util::str_or_empty(sys::letts_mission_info_json(self.raw)) }
    }
    /// The mission id.
    pub fn mission_id(&self) -> &str {
        // SAFETY: as above.
        unsafe { util::str_or_empty(sys::letts_mission_info_mission_id(self.raw)) }
    }
    info_str!(
        /// "mission" (or "exec").
        kind, letts_mission_info_kind);
    info_str!(
        /// The lane.
        lane, letts_mission_info_lane);
    info_str!(
        /// The mission's name.
        mission_name, letts_mission_info_mission_name);
    info_str!(
        /// The display name.
        display_name, letts_mission_info_display_name);
    info_str!(
        /// The group id (fan-outs).
        group_id, letts_mission_info_group_id);
    info_str!(
        /// "queued", "running", "done", ...
        status, letts_mission_info_status);
    info_str!(
        /// The outcome once done.
        outcome, letts_mission_info_outcome);
    info_str!(
        /// The signal that ended the process.
        signal, letts_mission_info_signal);
    info_str!(
        /// The failure reason.
        fail_reason, letts_mission_info_fail_reason);
    info_str!(
        /// The failure message.
        fail_message, letts_mission_info_fail_message);
    info_str!(
        /// The failure details, JSON text.
        fail_details_json, letts_mission_info_fail_details_json);
    info_str!(
        /// The return value, JSON text.
        return_json, letts_mission_info_return_json);
    info_str!(
        /// The input, JSON text.
        input_json, letts_mission_info_input_json);
    info_str!(
        /// The input fingerprint.
        input_fingerprint, letts_mission_info_input_fingerprint);
    info_str!(
        /// The mission this one was restarted from.
        restarted_from, letts_mission_info_restarted_from);
    /// The exit code, when the process exited.
    pub fn exit_code(&self) -> Option<i64> {
        let mut c = 0i64;
        // SAFETY: live info.
        (unsafe { sys::letts_mission_info_exit_code(self.raw, &mut c) } != 0).then_some(c)
    }
    info_i64!(
        /// The process id (0 when unknown).
        pid, letts_mission_info_pid);
    info_i64!(
        /// Creation time, Unix ms.
        time_created_ms, letts_mission_info_time_created_ms);
    info_i64!(
        /// Start time, Unix ms.
        time_started_ms, letts_mission_info_time_started_ms);
    info_i64!(
        /// End time, Unix ms.
        time_finished_ms, letts_mission_info_time_finished_ms);
    info_i64!(
        /// Duration, ms.
        duration_ms, letts_mission_info_duration_ms);
    info_i64!(
        /// Timeout, ms.
        timeout_ms, letts_mission_info_timeout_ms);
    /// Whether stdout was truncated.
    pub fn truncated_stdout(&self) -> bool {
        // SAFETY: live info.
        unsafe { sys::letts_mission_info_truncated_stdout(self.raw) != 0 }
    }
    /// Whether stderr was truncated.
    pub fn truncated_stderr(&self) -> bool {
        // SAFETY: live info.
        unsafe { sys::letts_mission_info_truncated_stderr(self.raw) != 0 }
    }
    /// The input files.
    pub fn inputs(&self) -> Vec<StagedFile> {
        // SAFETY: live info, indices below the count.
        unsafe {
            (0..sys::letts_mission_info_input_count(self.raw))
                .map(|i| StagedFile {
                    role: util::str_or_empty(sys::letts_mission_info_input_role(self.raw, i)).to_owned(),
                    staging_id: util::str_or_empty(sys::letts_mission_info_input_staging_id(self.raw, i)).to_owned(),
                    sha256: util::str_or_empty(sys::letts_mission_info_input_sha256(self.raw, i)).to_owned(),
                    size: sys::letts_mission_info_input_size(self.raw, i),
                })
                .collect()
        }
    }
    /// The output files.
    pub fn outputs(&self) -> Vec<StagedFile> {
        // SAFETY: live info, indices below the count.
        unsafe {
            (0..sys::letts_mission_info_output_count(self.raw))
                .map(|i| StagedFile {
                    role: util::str_or_empty(sys::letts_mission_info_output_role(self.raw, i)).to_owned(),
                    staging_id: util::str_or_empty(sys::letts_mission_info_output_staging_id(self.raw, i)).to_owned(),
                    sha256: util::str_or_empty(sys::letts_mission_info_output_sha256(self.raw, i)).to_owned(),
                    size: sys::letts_mission_info_output_size(self.raw, i),
                })
                .collect()
        }
    }
}

impl std::fmt::Debug for MissionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MissionInfo").field("json", &self.json()).finish()
    }
}

/// Which missions [`Client::list_missions`] returns: chained setters for
/// the typed filters of `GET /v1/missions`.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    status: Option<String>,
    outcome: Option<String>,
    lane: Option<String>,
    mission: Option<String>,
    mission_prefix: Option<String>,
    kind: Option<String>,
    group_id: Option<String>,
    order: Option<String>,
    since_ms: Option<i64>,
    until_ms: Option<i64>,
    limit: Option<i32>,
    cursor: Option<String>,
}

macro_rules! filter_str {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        pub fn $name(mut self, v: &str) -> Self {
            self.$name = Some(v.to_owned());
            self
        }
    };
}

impl ListFilter {
    /// No filter: every mission, the server's default page size.
    pub fn new() -> ListFilter {
        ListFilter::default()
    }
    filter_str!(
        /// Only missions in this status.
        status);
    filter_str!(
        /// Only missions with this outcome.
        outcome);
    filter_str!(
        /// Only missions of this lane.
        lane);
    filter_str!(
        /// Only missions with this name.
        mission);
    filter_str!(
        /// Only missions whose name starts so.
        mission_prefix);
    filter_str!(
        /// Only this kind ("mission", "exec").
        kind);
    filter_str!(
        /// Only this group.
        group_id);
    filter_str!(
        /// "created" (newest created first, the default) or "finished"
        /// (newest finished first; unfinished missions left out).
        order);
    filter_str!(
        /// Start at this page cursor.
        cursor);
    /// Created at or after, Unix ms.
    pub fn since_ms(mut self, ms: i64) -> Self {
        self.since_ms = Some(ms);
        self
    }
    /// Created before, Unix ms.
    pub fn until_ms(mut self, ms: i64) -> Self {
        self.until_ms = Some(ms);
        self
    }
    /// Page size.
    pub fn limit(mut self, n: i32) -> Self {
        self.limit = Some(n);
        self
    }

    pub(crate) fn to_c(&self) -> Result<CFilter> {
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_list_filter_new(&mut raw, err) })?;
        let f = CFilter(raw);
        type Setter = unsafe extern "C" fn(*mut sys::letts_list_filter, *const std::os::raw::c_char, *mut *mut sys::letts_error) -> sys::letts_status;
        let strs: [(&Option<String>, Setter); 9] = [
            (&self.status, sys::letts_list_filter_set_status),
            (&self.outcome, sys::letts_list_filter_set_outcome),
            (&self.lane, sys::letts_list_filter_set_lane),
            (&self.mission, sys::letts_list_filter_set_mission),
            (&self.mission_prefix, sys::letts_list_filter_set_mission_prefix),
            (&self.kind, sys::letts_list_filter_set_kind),
            (&self.group_id, sys::letts_list_filter_set_group_id),
            (&self.order, sys::letts_list_filter_set_order),
            (&self.cursor, sys::letts_list_filter_set_cursor),
        ];
        for (v, set) in strs {
            if let Some(v) = v {
                let c = util::cstring(v)?;
                util::call(|err| unsafe { set(raw, c.as_ptr(), err) })?;
            }
        }
        if let Some(ms) = self.since_ms {
            util::call(|err| unsafe { sys::letts_list_filter_set_since_ms(raw, ms, err) })?;
        }
        if let Some(ms) = self.until_ms {
            util::call(|err| unsafe { sys::letts_list_filter_set_until_ms(raw, ms, err) })?;
        }
        if let Some(n) = self.limit {
            util::call(|err| unsafe { sys::letts_list_filter_set_limit(raw, n, err) })?;
        }
        Ok(f)
    }
}

pub(crate) struct CFilter(*mut sys::letts_list_filter);
impl CFilter {
    pub(crate) fn raw(&self) -> *const sys::letts_list_filter {
        self.0
    }
}
impl Drop for CFilter {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_list_filter_free(self.0) }
    }
}

/// One page of a mission listing.
#[derive(Debug)]
pub struct MissionPage {
    /// The missions of this page.
    pub missions: Vec<MissionInfo>,
    /// The cursor of the next page; None on the last page.
    pub next_cursor: Option<String>,
}

pub(crate) fn page(raw: *mut sys::letts_mission_list) -> MissionPage {
    let owner = Arc::new(ListRaw(raw));
    // SAFETY: live list, indices below the count; the infos keep the list alive.
    unsafe {
        let missions = (0..sys::letts_mission_list_count(raw))
            .map(|i| MissionInfo { raw: sys::letts_mission_list_get(raw, i), owner: InfoOwner::List(owner.clone()) })
            .collect();
        let next_cursor = util::opt_str(sys::letts_mission_list_next_cursor(raw)).filter(|c| !c.is_empty()).map(str::to_owned);
        MissionPage { missions, next_cursor }
    }
}

/// Iterator over the pages of a listing, following the cursors; made by
/// [`Client::list_missions`]. Each item is one request; an error ends it.
pub struct MissionPages<'c> {
    pub(crate) client: &'c Client,
    pub(crate) host: String,
    pub(crate) filter: ListFilter,
    pub(crate) done: bool,
}

impl Iterator for MissionPages<'_> {
    type Item = Result<MissionPage>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.client.list_page(&self.host, &self.filter) {
            Ok(p) => {
                match &p.next_cursor {
                    Some(c) => self.filter.cursor = Some(c.clone()),
                    None => self.done = true,
                }
                Some(Ok(p))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
