//! The raw request of `letts/request.h`: any method and path of a dugdale's
//! HTTP API, answered by status, headers and body.
use crate::client::Client;
use crate::error::{Error, Result};
use crate::util;
use letts_sys as sys;

/// Which token of letts.yaml a raw request presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// No `Authorization` header (healthz, readyz).
    None,
    /// The dispatch token (`token`).
    Dispatch,
    /// The admin token (`admin_token`).
    Admin,
    /// The exec token (`exec_token`).
    Exec,
}

impl Scope {
    pub(crate) fn raw(self) -> sys::letts_scope {
        match self {
            Scope::None => sys::LETTS_SCOPE_NONE,
            Scope::Dispatch => sys::LETTS_SCOPE_DISPATCH,
            Scope::Admin => sys::LETTS_SCOPE_ADMIN,
            Scope::Exec => sys::LETTS_SCOPE_EXEC,
        }
    }
}

/// A dugdale's answer to [`Client::request`], copied out of the C response:
/// owned values, so it is `Send` and `Sync`.
#[derive(Debug)]
pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    error: Option<Error>,
}

impl Response {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The value of header `name` (any ASCII case), the last one when it came twice.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// Every header as (lower-case name, value), sorted by name.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
    /// The body (empty for HEAD); a non-2xx body is cut after 64 KiB.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    /// The body as text, None when it is not UTF-8.
    pub fn body_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }
    /// The error every other method returns for this answer (`ErrorKind::Auth`
    /// for 401/403, ...); None for a 2xx.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }
    /// The response for a 2xx answer, its [`error`](Response::error) otherwise.
    pub fn check(self) -> Result<Response> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self),
        }
    }

    /// Copies a live C response (freed by the caller).
    ///
    /// # Safety
    /// `raw` is a live response handle.
    unsafe fn copy(raw: *const sys::letts_response) -> Response {
        let count = sys::letts_response_header_count(raw);
        let headers = (0..count)
            .map(|i| {
                (util::str_or_empty(sys::letts_response_header_name(raw, i)).to_owned(), util::str_or_empty(sys::letts_response_header_value(raw, i)).to_owned())
            })
            .collect();
        let mut len = 0usize;
        let p = sys::letts_response_body(raw, &mut len);
        let body = if p.is_null() || len == 0 { Vec::new() } else { std::slice::from_raw_parts(p.cast::<u8>(), len).to_vec() };
        let status = u16::try_from(sys::letts_response_status(raw)).unwrap_or(0);
        let error = util::call(|err| sys::letts_response_check(raw, err)).err();
        Response { status, headers, body, error }
    }
}

impl Client {
    /// Sends `method` `path` (escaped, with its query) to `host` (a dugdale
    /// id or alias) with the token of `scope`, `json_body` as a JSON body
    /// (None: none; must be None for GET and HEAD) and `headers` as extra
    /// `"Name: value"` lines: the escape hatch for routes without a method
    /// here. The client's base URL, proxy, TLS checks, timeouts and caps
    /// apply; GET and HEAD follow the retry policy, other methods are sent
    /// once.
    ///
    /// Any HTTP status is `Ok` (see [`Response::check`]). Errors: no
    /// answer (`Network`, `Cancelled`, a cap: `Dispatch`) and arguments
    /// refused before sending (`InvalidArgument`: a method not in upper
    /// case, a CR, LF or space in the path or a header, an `Authorization`
    /// or `Content-Type` header, a body that is not JSON).
    pub fn request(&self, host: &str, scope: Scope, method: &str, path: &str, json_body: Option<&str>, headers: &[&str]) -> Result<Response> {
        let h = util::cstring(host)?;
        let m = util::cstring(method)?;
        let p = util::cstring(path)?;
        let b = util::opt_cstring(json_body)?;
        let lines = util::CStrings::new(headers)?;
        let mut out: *mut sys::letts_response = std::ptr::null_mut();
        util::call(|err| unsafe {
            sys::letts_client_request(self.raw, h.as_ptr(), scope.raw(), m.as_ptr(), p.as_ptr(), util::opt_ptr(&b), lines.ptr(), lines.len(), &mut out, err)
        })?;
        // SAFETY: a successful call handed over a live response; copied, then freed.
        unsafe {
            let response = Response::copy(out);
            sys::letts_response_free(out);
            Ok(response)
        }
    }
}
