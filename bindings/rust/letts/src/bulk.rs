//! Bulk restart and bulk delete, and the whole answer of a restart
//! (`letts/control.h`).
use crate::client::Client;
use crate::error::Result;
use crate::info::ListFilter;
use crate::util;
use letts_sys as sys;
use std::os::raw::c_int;

/// The daemon's whole answer to [`Client::restart_mission`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestartResult {
    /// The new mission.
    pub mission_id: String,
    /// The mission restarted.
    pub restarted_from: String,
    /// The new mission's status: "queued".
    pub status: String,
}

/// What [`Client::bulk_restart`] and [`Client::bulk_delete`] act on: ids,
/// or the missions on the first page a [`ListFilter`] lists (kind "mission"
/// unless the filter names a kind) — one of the two.
#[derive(Clone, Debug, Default)]
pub struct BulkOptions {
    ids: Vec<String>,
    filter: Option<ListFilter>,
    dry_run: bool,
    force: bool,
}

impl BulkOptions {
    /// Acts on these ids (at most 1000, sent as given).
    pub fn ids<S: AsRef<str>>(ids: &[S]) -> BulkOptions {
        BulkOptions { ids: ids.iter().map(|s| s.as_ref().to_owned()).collect(), ..BulkOptions::default() }
    }
    /// Acts on the missions `filter` lists.
    pub fn filter(filter: ListFilter) -> BulkOptions {
        BulkOptions { filter: Some(filter), ..BulkOptions::default() }
    }
    /// Selects and reports without sending anything.
    pub fn dry_run(mut self, on: bool) -> BulkOptions {
        self.dry_run = on;
        self
    }
    /// Bulk delete: also running missions (killed first).
    pub fn force(mut self, on: bool) -> BulkOptions {
        self.force = on;
        self
    }

    fn to_c(&self) -> Result<COptions> {
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_bulk_options_new(&mut raw, err) })?;
        let options = COptions(raw);
        let ids = util::CStrings::new(&self.ids)?;
        util::call(|err| unsafe { sys::letts_bulk_options_set_ids(raw, ids.ptr(), ids.len(), err) })?;
        if let Some(filter) = &self.filter {
            let f = filter.to_c()?;
            util::call(|err| unsafe { sys::letts_bulk_options_set_filter(raw, f.raw(), err) })?;
        }
        util::call(|err| unsafe { sys::letts_bulk_options_set_dry_run(raw, self.dry_run as c_int, err) })?;
        util::call(|err| unsafe { sys::letts_bulk_options_set_force(raw, self.force as c_int, err) })?;
        Ok(options)
    }
}

struct COptions(*mut sys::letts_bulk_options);
impl Drop for COptions {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_bulk_options_free(self.0) }
    }
}

/// What the daemon did with one selected id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkItem {
    /// The selected id.
    pub id: String,
    /// Whether the daemon acted on it (false for a dry run).
    pub ok: bool,
    /// Bulk restart: the new mission.
    pub mission_id: Option<String>,
    /// Bulk delete: "deletion_pending".
    pub status: Option<String>,
    /// The single route's error code when not ok.
    pub error: Option<String>,
    /// Its details as JSON, when it has some.
    pub details_json: Option<String>,
}

/// The answer to a bulk operation: one item per selected id, in order.
#[derive(Clone, Debug)]
pub struct BulkResult {
    /// Nothing was sent: the items name the selection.
    pub dry_run: bool,
    /// One per selected id.
    pub items: Vec<BulkItem>,
}

impl BulkResult {
    /// The items the daemon did not act on (none for a dry run).
    pub fn failed(&self) -> impl Iterator<Item = &BulkItem> {
        self.items.iter().filter(move |item| !self.dry_run && !item.ok)
    }

    /// Copies a live C result (freed by the caller).
    ///
    /// # Safety
    /// `raw` is a live bulk result.
    unsafe fn copy(raw: *const sys::letts_bulk_result) -> BulkResult {
        let text = |p| util::opt_str(p).map(str::to_owned);
        let items = (0..sys::letts_bulk_result_count(raw))
            .map(|i| BulkItem {
                id: util::str_or_empty(sys::letts_bulk_result_id(raw, i)).to_owned(),
                ok: sys::letts_bulk_result_ok(raw, i) != 0,
                mission_id: text(sys::letts_bulk_result_mission_id(raw, i)),
                status: text(sys::letts_bulk_result_status(raw, i)),
                error: text(sys::letts_bulk_result_error(raw, i)),
                details_json: text(sys::letts_bulk_result_details_json(raw, i)),
            })
            .collect();
        BulkResult { dry_run: sys::letts_bulk_result_dry_run(raw) != 0, items }
    }
}

type BulkFn = unsafe extern "C" fn(*const sys::letts_client, *const std::os::raw::c_char, *const sys::letts_bulk_options, *mut *mut sys::letts_bulk_result, *mut *mut sys::letts_error) -> sys::letts_status;

impl Client {
    /// Restarts finished mission `id` on `host` as a new one (admin token)
    /// and returns the daemon's whole answer; [`Client::restart`] gives the
    /// new id only. Never retried: each restart creates another mission.
    pub fn restart_mission(&self, host: &str, id: &str) -> Result<RestartResult> {
        let h = util::cstring(host)?;
        let i = util::cstring(id)?;
        let mut out: *mut sys::letts_restart_result = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_client_restart_mission(self.raw, h.as_ptr(), i.as_ptr(), &mut out, err) })?;
        // SAFETY: a successful call handed over a live result; copied, then freed.
        unsafe {
            let result = RestartResult {
                mission_id: util::str_or_empty(sys::letts_restart_result_mission_id(out)).to_owned(),
                restarted_from: util::str_or_empty(sys::letts_restart_result_restarted_from(out)).to_owned(),
                status: util::str_or_empty(sys::letts_restart_result_status(out)).to_owned(),
            };
            sys::letts_restart_result_free(out);
            Ok(result)
        }
    }

    /// Restarts the missions `options` selects on `host` in one request
    /// (admin token). A failed id is an item, not an error. Never retried:
    /// every restarted id is a new mission.
    pub fn bulk_restart(&self, host: &str, options: &BulkOptions) -> Result<BulkResult> {
        self.bulk(sys::letts_client_bulk_restart, host, options)
    }

    /// Deletes the missions `options` selects on `host` in one request
    /// (admin token). Follows the retry policy: deleting is idempotent.
    pub fn bulk_delete(&self, host: &str, options: &BulkOptions) -> Result<BulkResult> {
        self.bulk(sys::letts_client_bulk_delete, host, options)
    }

    fn bulk(&self, f: BulkFn, host: &str, options: &BulkOptions) -> Result<BulkResult> {
        let h = util::cstring(host)?;
        let o = options.to_c()?;
        let mut out: *mut sys::letts_bulk_result = std::ptr::null_mut();
        util::call(|err| unsafe { f(self.raw, h.as_ptr(), o.0, &mut out, err) })?;
        // SAFETY: a successful call handed over a live result; copied, then freed.
        unsafe {
            let result = BulkResult::copy(out);
            sys::letts_bulk_result_free(out);
            Ok(result)
        }
    }
}
