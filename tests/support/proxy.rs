//! The fault-injecting AWS proxy (`tools/aws_proxy.py`) in front of the
//! shared moto server: one per test, configured through its `/__proxy/`
//! control endpoints.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

pub struct Proxy {
    child: Child,
    port: u16,
    url: String,
    _dir: tempfile::TempDir,
}

impl Proxy {
    /// Starts a proxy in front of `support::moto()`, with no faults.
    pub fn start() -> Proxy {
        Proxy::in_front_of(super::moto())
    }

    pub fn in_front_of(upstream: &str) -> Proxy {
        let dir = tempfile::tempdir().unwrap();
        let port_file = dir.path().join("port");
        let mut cmd = Command::new(super::python());
        cmd.arg(super::repo().join("tools/aws_proxy.py"))
            .args(["--upstream", upstream, "--port", "0", "--port-file"])
            .arg(&port_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("AWS_PROXY_DEBUG").is_some() { Stdio::inherit() } else { Stdio::null() });
        set_parent_death_signal(&mut cmd);
        let child = cmd.spawn().expect("start tools/aws_proxy.py");
        let started = Instant::now();
        let port = loop {
            if let Some(p) = std::fs::read_to_string(&port_file).ok().and_then(|s| s.trim().parse::<u16>().ok()) {
                break p;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "aws_proxy did not start");
            std::thread::sleep(Duration::from_millis(25));
        };
        Proxy { child, port, url: format!("http://127.0.0.1:{port}"), _dir: dir }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Merges `config` into the proxy's configuration (see tools/aws_proxy.py).
    #[track_caller]
    pub fn configure(&self, config: Json) {
        let (status, body) = self.call("PUT", "/__proxy/config", &config.to_string());
        assert_eq!(status, 200, "proxy config rejected: {body}");
    }

    pub fn stats(&self) -> Json {
        let (status, body) = self.call("GET", "/__proxy/stats", "");
        assert_eq!(status, 200, "proxy stats: {body}");
        serde_json::from_str(&body).expect("stats JSON")
    }

    /// Every call since the last reset: [start s, end s, "service:Action",
    /// subject, status, error code] (see tools/aws_proxy.py).
    pub fn timeline(&self) -> Vec<Json> {
        let (status, body) = self.call("GET", "/__proxy/timeline", "");
        assert_eq!(status, 200, "proxy timeline: {body}");
        serde_json::from_str(&body).expect("timeline JSON")
    }

    /// Forgets statistics and simulated state; the configuration stays.
    pub fn reset(&self) {
        let (status, body) = self.call("POST", "/__proxy/reset", "");
        assert_eq!(status, 200, "proxy reset: {body}");
    }

    /// Turns every fault off.
    pub fn calm(&self) {
        self.configure(serde_json::json!({
            "throttle_rate": 0.0, "server_error_rate": 0.0, "drop_rate": 0.0, "latency_ms": 0,
            "creating_describes": 0, "creating_outcome": "ACTIVE", "deleting_describes": 0, "deleting_outcome": "GONE",
            "sse_transition_describes": 0, "iam_propagation_seconds": 0, "kill_at_call": null,
        }));
    }

    fn call(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to aws_proxy");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).expect("read aws_proxy reply");
        let status = raw.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn set_parent_death_signal(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}
