//! Shared by the integration tests that start one devserver per test.
//!
//! Each test file compiles this module on its own and uses a part of it.
#![allow(dead_code)]

use letts::DevServer;
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// A devserver serving the missions of its own scratch directory, which is
/// removed once the server has stopped: tests leave nothing in the
/// temporary directory, even when they fail.
pub struct ScratchServer {
    server: Option<DevServer>,
    dir: PathBuf,
}

impl ScratchServer {
    /// A fresh directory named after the test and this process (cargo runs
    /// the tests of a file on parallel threads, so each test needs its own),
    /// filled by `fill`, then served.
    pub fn start(prefix: &str, test: &str, fill: impl FnOnce(&Path)) -> ScratchServer {
        let dir = std::env::temp_dir().join(format!("{}-{}-{}", prefix, std::process::id(), test));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        fill(&dir);
        let server = DevServer::with_mission_dir(dir.clone()).expect("devserver starts");
        ScratchServer { server: Some(server), dir }
    }
}

impl Deref for ScratchServer {
    type Target = DevServer;
    fn deref(&self) -> &DevServer {
        self.server.as_ref().expect("the server lives until drop")
    }
}

impl Drop for ScratchServer {
    fn drop(&mut self) {
        // The server first: its missions run from the directory.
        drop(self.server.take());
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh temporary directory named after the test and this process,
/// removed when dropped (so also when the test fails).
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    pub fn new(prefix: &str, test: &str) -> ScratchDir {
        let dir = std::env::temp_dir().join(format!("{}-{}-{}", prefix, test, std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        ScratchDir(dir)
    }
}

impl Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
