//! DevServer: an embedded letts-devserver for tests.
use crate::client::{Client, ClientOptions};
use crate::error::Result;
use crate::util;
use letts_sys as sys;
use std::path::{Path, PathBuf};

/// How to start a [`DevServer`]. Chained setters.
#[derive(Debug, Clone, Default)]
pub struct DevServerOptions {
    config_file: Option<PathBuf>,
    config_yaml: Option<String>,
    port: Option<i32>,
    mission_dir: Option<PathBuf>,
}

impl DevServerOptions {
    /// Defaults: 127.0.0.1, a random port, a temporary data directory, lane
    /// `default`, missions run from the mission directory by name.
    pub fn new() -> DevServerOptions {
        DevServerOptions::default()
    }
    /// Behave like the daemon configured by this dugdale.yaml.
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }
    /// Behave like the daemon configured by this dugdale.yaml text.
    pub fn config_yaml(mut self, yaml: &str) -> Self {
        self.config_yaml = Some(yaml.to_owned());
        self
    }
    /// Listen on this port (0: random).
    pub fn port(mut self, port: i32) -> Self {
        self.port = Some(port);
        self
    }
    /// Where mission programs are found (the mission name is the file name).
    pub fn mission_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.mission_dir = Some(dir.into());
        self
    }
}

struct OptionsRaw(*mut sys::letts_devserver_options);
impl Drop for OptionsRaw {
    fn drop(&mut self) {
        // SAFETY: owned.
        unsafe { sys::letts_devserver_options_free(self.0) }
    }
}

/// A letts-devserver running inside this process: real HTTP, real mission
/// processes. Stopped (every mission killed and reaped) when dropped.
pub struct DevServer {
    raw: *mut sys::letts_devserver,
}

// SAFETY: the handle is not tied to the thread that started it; moving it
// (and so stopping it elsewhere) is fine. Not Sync: nothing says its
// getters race-free against stop.
unsafe impl Send for DevServer {}

impl Drop for DevServer {
    fn drop(&mut self) {
        // SAFETY: owned; stop is idempotent, free releases it.
        unsafe {
            sys::letts_devserver_stop(self.raw, std::ptr::null_mut());
            sys::letts_devserver_free(self.raw);
        }
    }
}

impl DevServer {
    /// The dugdale id under which [`DevServer::client_config`] names the
    /// server: the `host` of operations addressed to it.
    pub const HOST: &'static str = "devserver";

    /// Starts a server.
    pub fn start(opts: &DevServerOptions) -> Result<DevServer> {
        let mut o = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_devserver_options_new(&mut o, err) })?;
        let o = OptionsRaw(o);
        unsafe {
            if let Some(p) = &opts.config_file {
                let c = util::cstring(&p.to_string_lossy())?;
                util::call(|err| sys::letts_devserver_options_set_config_file(o.0, c.as_ptr(), err))?;
            }
            if let Some(y) = &opts.config_yaml {
                let c = util::cstring(y)?;
                util::call(|err| sys::letts_devserver_options_set_config_yaml(o.0, c.as_ptr(), err))?;
            }
            if let Some(p) = opts.port {
                util::call(|err| sys::letts_devserver_options_set_port(o.0, p, err))?;
            }
            if let Some(d) = &opts.mission_dir {
                let c = util::cstring(&d.to_string_lossy())?;
                util::call(|err| sys::letts_devserver_options_set_mission_dir(o.0, c.as_ptr(), err))?;
            }
        }
        let mut raw = std::ptr::null_mut();
        util::call(|err| unsafe { sys::letts_devserver_start(&mut raw, o.0, err) })?;
        Ok(DevServer { raw })
    }

    /// Starts a server with default options running the missions of `dir`.
    pub fn with_mission_dir(dir: impl AsRef<Path>) -> Result<DevServer> {
        DevServer::start(&DevServerOptions::new().mission_dir(dir.as_ref()))
    }

    fn s(&self, p: *const std::os::raw::c_char) -> &str {
        // SAFETY: owned by the live server.
        unsafe { util::str_or_empty(p) }
    }
    /// Its base URL, e.g. "http://127.0.0.1:41945".
    pub fn url(&self) -> &str {
        self.s(unsafe { sys::letts_devserver_url(self.raw) })
    }
    /// Its port.
    pub fn port(&self) -> u16 {
        // SAFETY: live server.
        u16::try_from(unsafe { sys::letts_devserver_port(self.raw) }).unwrap_or(0)
    }
    /// The first dispatch token.
    pub fn dispatch_token(&self) -> &str {
        self.s(unsafe { sys::letts_devserver_dispatch_token(self.raw) })
    }
    /// The first admin token ("" when none).
    pub fn admin_token(&self) -> &str {
        self.s(unsafe { sys::letts_devserver_admin_token(self.raw) })
    }
    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        Path::new(self.s(unsafe { sys::letts_devserver_data_dir(self.raw) }))
    }
    /// The letts.yaml a client needs to reach it (tokens included).
    pub fn client_config(&self) -> &str {
        self.s(unsafe { sys::letts_devserver_client_config(self.raw) })
    }
    /// A ready client for this server, with default options.
    pub fn client(&self) -> Result<Client> {
        self.client_with(&ClientOptions::new())
    }
    /// A ready client for this server.
    pub fn client_with(&self, opts: &ClientOptions) -> Result<Client> {
        Client::from_yaml(self.client_config(), "letts-devserver", opts)
    }
    /// Stops it now (also done on drop): new work refused, running
    /// missions killed and reaped. Idempotent.
    pub fn stop(&self) -> Result<()> {
        util::call(|err| unsafe { sys::letts_devserver_stop(self.raw, err) })
    }
}

impl std::fmt::Debug for DevServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevServer").field("url", &self.url()).finish()
    }
}
