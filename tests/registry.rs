//! Installing the provider as users install providers: `scripts/release`
//! writes the registry's artifact set, `tools/registry.py` serves it over
//! loopback HTTPS (a test CA passed as `SSL_CERT_FILE`) as a provider
//! registry and a network mirror, and real Terraform installs from it: the
//! signature verified, hashes locked, a tampered archive refused, the mirror
//! agreeing with the lock file, and the installed binary applying the
//! quickstart. No Rust toolchain is involved after the release is built.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{moto, unique, Tf};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `scripts/release --binary` (the binary under test) into `dist`.
fn release(dist: &Path) -> String {
    let out = Command::new(support::repo().join("scripts/release"))
        .args(["--binary", support::provider_binary().to_str().unwrap(), "--dist", dist.to_str().unwrap()])
        .env_remove("GPG_PRIVATE_KEY")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "scripts/release failed:\n{text}");
    text
}

struct Registry {
    child: Child,
    port: u16,
    state: tempfile::TempDir,
}

impl Registry {
    fn serve(dist: &Path) -> Registry {
        let state = tempfile::tempdir().unwrap();
        let port_file = state.path().join("port");
        let child = Command::new(support::repo().join(".venv/bin/python"))
            .arg(support::repo().join("tools/registry.py"))
            .args(["--dist", dist.to_str().unwrap(), "--state", state.path().to_str().unwrap()])
            .args(["--port-file", port_file.to_str().unwrap()])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let mut child = child;
        while !port_file.exists() {
            let exited = child.try_wait().unwrap();
            assert!(
                exited.is_none() && start.elapsed() < Duration::from_secs(30),
                "tools/registry.py did not start: {exited:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let port = std::fs::read_to_string(&port_file).unwrap().parse().unwrap();
        Registry { child, port, state }
    }

    fn host(&self) -> String {
        if self.port == 443 {
            "localhost".into()
        } else {
            format!("localhost:{}", self.port)
        }
    }

    fn source(&self) -> String {
        format!("{}/seedworks/firehose", self.host())
    }

    fn ca(&self) -> PathBuf {
        self.state.path().join("ca.pem")
    }

    /// A working directory whose configuration installs from this registry
    /// (no dev_overrides), with `cli_config` as its CLI configuration.
    fn working_dir(&self, main_tf: &str, cli_config: &str) -> Tf {
        let main = main_tf.replace(
            "firehose = { source = \"seedworks/firehose\" }",
            &format!("firehose = {{ source = \"{}\", version = \"{VERSION}\" }}", self.source()),
        );
        assert_ne!(main, main_tf, "the configuration names seedworks/firehose as the examples do");
        let mut tf = Tf::new(&main);
        tf.write("terraform.rc", cli_config);
        tf.env.insert("SSL_CERT_FILE".into(), self.ca().display().to_string());
        tf
    }

    /// A working directory naming the provider as users do
    /// (`seedworks/firehose`, that is registry.terraform.io) that installs
    /// only from this network mirror. The mirror serves any hostname's
    /// providers; Terraform builds a mirror path from the hostname, and one
    /// with a port (`localhost:PORT`) gives a path it reads as a URL of
    /// scheme "localhost", so the registry's own address cannot be mirrored.
    fn mirrored_dir(&self, main_tf: &str) -> Tf {
        let mut tf = Tf::new(main_tf);
        tf.write("terraform.rc", &self.mirror_config());
        tf.env.insert("SSL_CERT_FILE".into(), self.ca().display().to_string());
        tf
    }

    fn mirror_config(&self) -> String {
        format!("provider_installation {{\n  network_mirror {{\n    url = \"{}\"\n  }}\n}}\n", self.mirror_url())
    }

    fn mirror_url(&self) -> String {
        format!("https://localhost:{}/mirror/", self.port)
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The hashes of a lock file's one provider entry.
fn locked_hashes(tf: &Tf) -> Vec<String> {
    let lock = std::fs::read_to_string(tf.path().join(".terraform.lock.hcl")).expect("a lock file");
    let mut hashes: Vec<String> =
        lock.lines().filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix("\",").map(str::to_string)).collect();
    hashes.sort();
    hashes
}

fn quickstart() -> String {
    std::fs::read_to_string(support::repo().join("examples/quickstart/main.tf")).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn init_from_the_registry_verifies_locks_and_applies() {
    let dist = tempfile::tempdir().unwrap();
    let said = release(dist.path());
    let key_id = said.split("signed by key ").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    for file in ["linux_amd64.zip", "SHA256SUMS", "SHA256SUMS.sig", "manifest.json"] {
        let path = dist.path().join(format!("terraform-provider-firehose_{VERSION}_{file}"));
        assert!(path.is_file(), "{} missing:\n{said}", path.display());
    }
    let manifest =
        std::fs::read_to_string(dist.path().join(format!("terraform-provider-firehose_{VERSION}_manifest.json")));
    let manifest: serde_json::Value = serde_json::from_str(&manifest.unwrap()).unwrap();
    assert_eq!(manifest["metadata"]["protocol_versions"], serde_json::json!(["6.0"]));
    let sums =
        std::fs::read_to_string(dist.path().join(format!("terraform-provider-firehose_{VERSION}_SHA256SUMS"))).unwrap();
    let zip_sum = sums.lines().find(|l| l.ends_with("_linux_amd64.zip")).unwrap().split_whitespace().next().unwrap();

    let registry = Registry::serve(dist.path());
    let aws = support::aws::clients(moto()).await;
    let name = unique("registry");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let tf = registry.working_dir(&quickstart(), "");
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\nbucket_arn = \"{bucket}\"\n"));
    let init = tf.run(&["init", "-no-color", "-input=false"]).ok().stdout;
    assert!(
        init.contains(&format!("Installed {} v{VERSION} (self-signed, key ID {key_id})", registry.source())),
        "the signature was not verified:\n{init}"
    );
    let hashes = locked_hashes(&tf);
    assert!(hashes.iter().any(|h| h.starts_with("h1:")), "{hashes:?}");
    assert!(hashes.contains(&format!("zh:{zip_sum}")), "the signed checksum is locked: {hashes:?}");

    // `terraform providers lock` from the registry and from the mirror.
    let lock = registry.working_dir(&quickstart(), "");
    lock.run(&["providers", "lock", "-no-color", "-platform=linux_amd64"]).ok();
    assert_eq!(locked_hashes(&lock), hashes, "providers lock agrees with init");
    let mirror_lock = registry.mirrored_dir(&quickstart());
    mirror_lock
        .run(&[
            "providers",
            "lock",
            "-no-color",
            "-platform=linux_amd64",
            &format!("-net-mirror={}", registry.mirror_url()),
        ])
        .ok();
    let from_mirror = locked_hashes(&mirror_lock);
    assert!(!from_mirror.is_empty() && from_mirror.iter().all(|h| hashes.contains(h)), "{from_mirror:?} vs {hashes:?}");

    // A second init, from the network mirror, agrees with the lock file
    // (the same package, under the address users write).
    let mirrored = registry.mirrored_dir(&quickstart());
    let lock = std::fs::read_to_string(tf.path().join(".terraform.lock.hcl")).unwrap();
    let renamed = lock.replace(&registry.source(), "registry.terraform.io/seedworks/firehose");
    assert_ne!(renamed, lock);
    mirrored.write(".terraform.lock.hcl", &renamed);
    let init = mirrored.run(&["init", "-no-color", "-input=false"]).ok().stdout;
    assert!(init.contains(&format!("Installed seedworks/firehose v{VERSION}")), "{init}");
    assert_eq!(locked_hashes(&mirrored), hashes, "the mirror's package matches the lock file");

    // The installed binary applies the quickstart.
    tf.apply().ok();
    aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.expect("stream created");
    tf.assert_no_changes();
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}

#[test]
fn a_tampered_archive_is_refused() {
    let dist = tempfile::tempdir().unwrap();
    release(dist.path());
    // Another binary in the archive, after the checksums were signed.
    let zip = dist.path().join(format!("terraform-provider-firehose_{VERSION}_linux_amd64.zip"));
    let mut bytes = std::fs::read(&zip).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0xff;
    std::fs::write(&zip, bytes).unwrap();
    let registry = Registry::serve(dist.path());
    let tf = registry.working_dir(&quickstart(), "");
    let out = tf.run(&["init", "-no-color", "-input=false"]).failed();
    let text = support::flat(&out.all());
    assert!(text.contains("checksum"), "{text}");
    assert!(!tf.path().join(".terraform.lock.hcl").exists(), "nothing was locked");
}

/// The release workflow runs scripts/release for the platforms the script
/// knows, with the key variables the script reads, and publishes dist/.
#[test]
fn the_release_workflow_matches_the_script() {
    let workflow = std::fs::read_to_string(support::repo().join(".github/workflows/release.yml")).unwrap();
    let script = std::fs::read_to_string(support::repo().join("scripts/release")).unwrap();
    let table = script.split("PLATFORMS=(").nth(1).unwrap().split(')').next().unwrap();
    let platforms: Vec<(&str, &str)> = table
        .lines()
        .filter_map(|l| {
            let mut cols = l.trim().trim_matches('"').split_whitespace();
            Some((cols.next()?, cols.next()?))
        })
        .collect();
    assert!(!platforms.is_empty());
    for (platform, target) in &platforms {
        assert!(workflow.contains(target), "the workflow installs no {target}");
        let checked = workflow.split("for platform in ").nth(1).unwrap().lines().next().unwrap();
        assert!(checked.split_whitespace().any(|p| p.trim_end_matches(';') == *platform), "{platform} not published");
    }
    for var in ["GPG_PRIVATE_KEY", "GPG_PASSPHRASE"] {
        assert!(script.contains(&format!("${{{var}")), "scripts/release does not read {var}");
        assert!(workflow.contains(&format!("{var}: ${{{{ secrets.{var} }}}}")), "the workflow does not pass {var}");
    }
    assert!(workflow.contains("run: scripts/release \"${GITHUB_REF_NAME#v}\""), "{workflow}");
    assert!(workflow.contains("dist/terraform-provider-firehose_*"), "{workflow}");
}

/// The README's install-from-release block, run as written with no Rust
/// toolchain on PATH, gives a working `terraform init` of the quickstart.
#[test]
fn the_readme_installs_from_dist_without_rust() {
    let readme = std::fs::read_to_string(support::repo().join("README.md")).unwrap();
    let block = readme.split("<!-- install-from-dist -->\n```sh\n").nth(1).unwrap().split("```").next().unwrap();
    assert!(block.contains(&format!("_{VERSION}_linux_amd64.zip")), "the README names version {VERSION}:\n{block}");
    let work = tempfile::tempdir().unwrap();
    release(&work.path().join("dist"));
    let home = tempfile::tempdir().unwrap();
    let path = "/usr/bin:/bin";
    let no_cargo = Command::new("/bin/sh").args(["-c", "command -v cargo rustc"]).env("PATH", path).output().unwrap();
    assert!(!no_cargo.status.success(), "cargo is on {path}");
    let run = Command::new("/bin/bash")
        .args(["-euo", "pipefail", "-c", block])
        .current_dir(work.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let mut tf = Tf::new(&quickstart());
    tf.write("terraform.rc", "");
    tf.env.insert("HOME".into(), home.path().display().to_string());
    tf.env.insert("PATH".into(), path.into());
    let init = tf.run(&["init", "-no-color", "-input=false"]).ok().stdout;
    assert!(init.contains(&format!("Installed seedworks/firehose v{VERSION} (unauthenticated)")), "{init}");
    tf.run(&["validate", "-no-color"]).ok();
}
