//! The one error type: a copy of the C error object, with its kind.
use crate::run::RunResult;
use crate::util;
use letts_sys as sys;
use std::fmt;

/// `std::result::Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// What went wrong: one variant per C status (`LETTS_ERR_*`, see
/// `include/letts/common.h`), plus [`ErrorKind::Panicked`] for a closure of
/// yours that panicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400, or a client-side addressing mistake (`LETTS_ERR_BAD_REQUEST`).
    BadRequest,
    /// 401/403: the token was rejected (`LETTS_ERR_AUTH`).
    Auth,
    /// 409 (`LETTS_ERR_CONFLICT`).
    Conflict,
    /// 503 queue full or disk quota (`LETTS_ERR_BACKPRESSURE`).
    Backpressure,
    /// Any other HTTP error status (`LETTS_ERR_DISPATCH`).
    Dispatch,
    /// Transport failure (`LETTS_ERR_NETWORK`).
    Network,
    /// A wait deadline passed; the mission keeps running (`LETTS_ERR_WAIT_TIMEOUT`).
    WaitTimeout,
    /// Staging an input or verifying an output failed (`LETTS_ERR_STAGING`).
    Staging,
    /// letts.yaml could not be used (`LETTS_ERR_CONFIG`).
    Config,
    /// A `${VAR}` names an unset variable (`LETTS_ERR_MISSING_ENV`).
    MissingEnv,
    /// No dugdale carries the labels and lane (`LETTS_ERR_NO_MATCHING_DUGDALE`).
    NoMatchingDugdale,
    /// The mission ended with a non-success outcome (`LETTS_ERR_MISSION_FAILED`);
    /// [`Error::run_result`] has the result.
    MissionFailed,
    /// A signal or a callback stopped the operation (`LETTS_ERR_INTERRUPTED`).
    Interrupted,
    /// An invalid argument (`LETTS_ERR_INVALID_ARGUMENT`), also a Rust
    /// string with a NUL byte.
    InvalidArgument,
    /// The thing asked for does not exist (`LETTS_ERR_NOT_FOUND`).
    NotFound,
    /// A local file or descriptor operation failed (`LETTS_ERR_IO`).
    Io,
    /// Out of memory (`LETTS_ERR_NO_MEMORY`).
    NoMemory,
    /// A bug in libletts (`LETTS_ERR_INTERNAL`).
    Internal,
    /// Cancelled through a [`crate::CancelToken`] (`LETTS_ERR_CANCELLED`).
    Cancelled,
    /// A closure given to this crate panicked; the panic was caught at the
    /// C boundary and the operation stopped. Not a C status.
    Panicked,
}

impl ErrorKind {
    /// The kind of a C status; None for `LETTS_OK` and unknown values.
    pub fn from_status(status: i32) -> Option<ErrorKind> {
        use ErrorKind::*;
        Some(match status {
            sys::LETTS_ERR_BAD_REQUEST => BadRequest,
            sys::LETTS_ERR_AUTH => Auth,
            sys::LETTS_ERR_CONFLICT => Conflict,
            sys::LETTS_ERR_BACKPRESSURE => Backpressure,
            sys::LETTS_ERR_DISPATCH => Dispatch,
            sys::LETTS_ERR_NETWORK => Network,
            sys::LETTS_ERR_WAIT_TIMEOUT => WaitTimeout,
            sys::LETTS_ERR_STAGING => Staging,
            sys::LETTS_ERR_CONFIG => Config,
            sys::LETTS_ERR_MISSING_ENV => MissingEnv,
            sys::LETTS_ERR_NO_MATCHING_DUGDALE => NoMatchingDugdale,
            sys::LETTS_ERR_MISSION_FAILED => MissionFailed,
            sys::LETTS_ERR_INTERRUPTED => Interrupted,
            sys::LETTS_ERR_INVALID_ARGUMENT => InvalidArgument,
            sys::LETTS_ERR_NOT_FOUND => NotFound,
            sys::LETTS_ERR_IO => Io,
            sys::LETTS_ERR_NO_MEMORY => NoMemory,
            sys::LETTS_ERR_INTERNAL => Internal,
            sys::LETTS_ERR_CANCELLED => Cancelled,
            _ => return None,
        })
    }

    /// The C status of this kind (`LETTS_ERR_INTERNAL` for [`ErrorKind::Panicked`]).
    pub fn status(self) -> i32 {
        use ErrorKind::*;
        match self {
            BadRequest => sys::LETTS_ERR_BAD_REQUEST,
            Auth => sys::LETTS_ERR_AUTH,
            Conflict => sys::LETTS_ERR_CONFLICT,
            Backpressure => sys::LETTS_ERR_BACKPRESSURE,
            Dispatch => sys::LETTS_ERR_DISPATCH,
            Network => sys::LETTS_ERR_NETWORK,
            WaitTimeout => sys::LETTS_ERR_WAIT_TIMEOUT,
            Staging => sys::LETTS_ERR_STAGING,
            Config => sys::LETTS_ERR_CONFIG,
            MissingEnv => sys::LETTS_ERR_MISSING_ENV,
            NoMatchingDugdale => sys::LETTS_ERR_NO_MATCHING_DUGDALE,
            MissionFailed => sys::LETTS_ERR_MISSION_FAILED,
            Interrupted => sys::LETTS_ERR_INTERRUPTED,
            InvalidArgument => sys::LETTS_ERR_INVALID_ARGUMENT,
            NotFound => sys::LETTS_ERR_NOT_FOUND,
            Io => sys::LETTS_ERR_IO,
            NoMemory => sys::LETTS_ERR_NO_MEMORY,
            Internal | Panicked => sys::LETTS_ERR_INTERNAL,
            Cancelled => sys::LETTS_ERR_CANCELLED,
        }
    }

    /// The stable lowercase name ("network", "cancelled", ...), as
    /// `letts_status_name`; "panicked" for [`ErrorKind::Panicked`].
    pub fn name(self) -> &'static str {
        if self == ErrorKind::Panicked {
            return "panicked";
        }
        // SAFETY: letts_status_name returns a static string.
        unsafe { util::static_str(sys::letts_status_name(self.status())) }
    }
}

/// A failed call: what the C error object said, copied into owned values.
/// (Boxed, so that `Result<T>` stays small.)
#[derive(Debug)]
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    message: String,
    http_status: Option<u16>,
    code: Option<String>,
    dugdale: Option<String>,
    details: Option<String>,
    mission_id: Option<String>,
    result: Option<Box<RunResult>>,
    cause: Option<Box<Error>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner { kind, message: message.into(), http_status: None, code: None, dugdale: None, details: None, mission_id: None, result: None, cause: None }))
    }

    pub(crate) fn with_cause(mut self, cause: Option<Error>) -> Error {
        if let Some(c) = cause {
            if self.0.mission_id.is_none() {
                self.0.mission_id = c.0.mission_id.clone();
            }
            self.0.cause = Some(Box::new(c));
        }
        self
    }

    pub(crate) fn with_result(mut self, result: Option<RunResult>) -> Error {
        // A failed mission's error names no mission id in the C API; the
        // result does.
        if self.0.mission_id.is_none() {
            self.0.mission_id = result.as_ref().map(|r| r.mission_id().to_owned());
        }
        self.0.result = result.map(Box::new);
        self
    }

    /// Copies and frees a C error (which may be NULL).
    pub(crate) fn from_raw(status: sys::letts_status, err: *mut sys::letts_error) -> Error {
        let kind = ErrorKind::from_status(status).unwrap_or(ErrorKind::Internal);
        if err.is_null() {
            // SAFETY: static string.
            let name = unsafe { util::static_str(sys::letts_status_name(status)) };
            return Error::new(kind, format!("libletts returned status {} ({}) without an error object", status, name));
        }
        // SAFETY: err is a live error object; copied, then freed.
        unsafe {
            let mut e = Error::from_borrowed(err);
            e.0.kind = kind;
            sys::letts_error_free(err);
            e
        }
    }

    /// Copies a C error that stays owned by someone else.
    ///
    /// # Safety
    /// `err` is a live, non-NULL error object.
    pub(crate) unsafe fn from_borrowed(err: *const sys::letts_error) -> Error {
        let own = |p| util::opt_str(p).map(str::to_owned);
        let http = sys::letts_error_http_status(err);
        Error(Box::new(Inner {
            kind: ErrorKind::from_status(sys::letts_error_status(err)).unwrap_or(ErrorKind::Internal),
            message: util::str_or_empty(sys::letts_error_message(err)).to_owned(),
            http_status: if http > 0 { u16::try_from(http).ok() } else { None },
            code: own(sys::letts_error_code(err)),
            dugdale: own(sys::letts_error_dugdale(err)),
            details: own(sys::letts_error_details(err)),
            mission_id: own(sys::letts_error_mission_id(err)),
            result: None,
            cause: None,
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// One line for a person (never contains a token).
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The server's machine error code (e.g. "queue_full"), when a dugdale answered.
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// The HTTP status, when a dugdale answered with an error.
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }
    /// The id of the dugdale involved.
    pub fn dugdale(&self) -> Option<&str> {
        self.0.dugdale.as_deref()
    }
    /// Details as JSON text.
    pub fn details(&self) -> Option<&str> {
        self.0.details.as_deref()
    }
    /// The mission that was started or followed before the call failed
    /// (e.g. a cancelled run: the mission keeps running).
    pub fn mission_id(&self) -> Option<&str> {
        self.0.mission_id.as_deref()
    }
    /// For [`ErrorKind::MissionFailed`] from a run: the run's result.
    pub fn run_result(&self) -> Option<&RunResult> {
        self.0.result.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.0.message, self.0.kind.name())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.cause.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
