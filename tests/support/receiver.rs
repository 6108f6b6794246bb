//! A local HTTPS receiver (`tools/http_receiver.py`) for Firehose HTTP
//! endpoint destinations, and a moto server that trusts it.
//!
//! moto delivers the records of `PutRecord`/`PutRecordBatch` to an HTTP
//! endpoint destination synchronously, with `requests.post(url, json=...)`,
//! before it answers the call; the receiver writes down every request it
//! gets. Its certificate is signed by a throwaway authority made at start,
//! whose certificate `moto_trusting` hands to a moto of its own through
//! `REQUESTS_CA_BUNDLE` (the shared `support::moto()` trusts only the
//! public authorities, so it cannot deliver to the receiver).
//!
//! ```no_run
//! # async fn example() {
//! use support::receiver::{moto_trusting, Receiver};
//! let receiver = Receiver::start();
//! let endpoint = moto_trusting(receiver.cert_path());
//! let aws = support::aws::clients(&endpoint).await;
//! // create a delivery stream whose HTTP endpoint URL is `receiver.url`,
//! // put a record "hello" to it, then:
//! let got = receiver.requests();
//! assert_eq!(got.len(), 1);
//! assert_eq!(got[0]["method"], "POST");
//! assert_eq!(got[0]["body"]["records"][0]["data"], "aGVsbG8="); // base64 of "hello"
//! # }
//! ```

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

/// A running `tools/http_receiver.py`, stopped when dropped.
pub struct Receiver {
    /// `https://127.0.0.1:<port>/intake`: the URL to deliver to.
    pub url: String,
    pub port: u16,
    child: Child,
    cert: PathBuf,
    log: PathBuf,
    dir: tempfile::TempDir,
}

impl Receiver {
    /// Starts a receiver on a free port of 127.0.0.1 and waits until it
    /// listens. Its certificate authority is written to `cert_path()`.
    ///
    /// The receiver exits when its standard input closes, so it never
    /// outlives this process however it ends; unlike the parent-death
    /// signal, that does not depend on the thread that started it, so a
    /// receiver may be started from any thread.
    pub fn start() -> Receiver {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("ca.pem");
        let log = dir.path().join("requests.jsonl");
        let stderr_path = dir.path().join("stderr.log");
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut child = Command::new(super::python())
            .arg(super::repo().join("tools/http_receiver.py"))
            .arg(&cert)
            .arg(&log)
            .current_dir(dir.path())
            // Kept open (inside `child`) for as long as the receiver lives.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start tools/http_receiver.py");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next().and_then(Result::ok);
            let _ = tx.send(first);
            for _ in lines {}
        });
        let port = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(line)) => line.strip_prefix("READY ").and_then(|p| p.trim().parse::<u16>().ok()),
            _ => None,
        };
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "tools/http_receiver.py did not start:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        };
        Receiver { url: format!("https://127.0.0.1:{port}/intake"), port, child, cert, log, dir }
    }

    /// The PEM certificate of the authority that signed the receiver's
    /// certificate (for 127.0.0.1 and localhost): trust it to reach `url`.
    pub fn cert_path(&self) -> &Path {
        &self.cert
    }

    /// Every request received so far, oldest first, each
    /// `{"method", "path", "headers": {name: value}, "body"}` with the body
    /// parsed as JSON when it is JSON, else a string.
    pub fn requests(&self) -> Vec<Json> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        // A line is complete once its newline is written.
        let complete = match text.rfind('\n') {
            Some(end) => &text[..end],
            None => "",
        };
        complete
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("receiver log line {l:?}: {e}")))
            .collect()
    }

    /// `requests()` once there are at least `n` of them (moto delivers
    /// before it answers, so tests that put records through moto need not
    /// wait; this is for deliveries made in the background).
    #[track_caller]
    pub fn wait_for_requests(&self, n: usize, timeout: Duration) -> Vec<Json> {
        let started = Instant::now();
        loop {
            let got = self.requests();
            if got.len() >= n {
                return got;
            }
            assert!(started.elapsed() < timeout, "the receiver got {} requests, not {n}: {got:#?}", got.len());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The receiver's working directory (its log and certificate are in it).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A moto server of its own that trusts the certificate authority `cert`
/// (a `Receiver::cert_path()`) for its outgoing HTTPS requests, so it can
/// deliver to that receiver; returns its endpoint URL.
///
/// moto posts with `requests`, which reads `REQUESTS_CA_BUNDLE` (in place
/// of the public authorities) on every request: the file must still exist,
/// that is the receiver still be alive, when records are put. Loopback is
/// exempted from any proxy of the environment.
///
/// It is started like `support::moto()` (by the same code): from a thread
/// that lives as long as the server, with the parent-death signal set, so
/// it never outlives the test process; the signal fires when the thread
/// that spawned the child ends, which is why that thread is kept. One
/// server per certificate for the life of the process: calls with the same
/// `cert` share it.
pub fn moto_trusting(cert: &Path) -> String {
    static SERVERS: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);
    let mut servers = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let servers = servers.get_or_insert_with(HashMap::new);
    if let Some(url) = servers.get(cert) {
        return url.clone();
    }
    assert!(cert.is_file(), "{} is not a certificate file", cert.display());
    let url = super::spawn_moto(&[
        ("REQUESTS_CA_BUNDLE", cert.display().to_string()),
        ("NO_PROXY", "127.0.0.1,localhost".to_string()),
        ("no_proxy", "127.0.0.1,localhost".to_string()),
    ]);
    servers.insert(cert.to_path_buf(), url.clone());
    url
}
