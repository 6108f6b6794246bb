//! The provider under faults: real Terraform runs the provider against moto
//! through `tools/aws_proxy.py`, which throttles, fails, drops and delays
//! calls, simulates the states moto skips (CREATING, CREATING_FAILED,
//! DELETING, SSE ENABLING/DISABLING) and IAM propagation, and kills the
//! provider at chosen calls. After every scenario nothing the resource
//! created may be left in moto.
//!
//! With `RELIABILITY_SUMMARY=<file>` each scenario appends one JSON line of
//! figures to that file (`scripts/reliability` renders them).

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_firehose::types as fh;
use serde_json::{json, Value as Json};
use support::aws::Aws;
use support::figures::Figures;
use support::leftovers::orphans;
use support::proxy::Proxy;
use support::{moto, unique, Output, Tf};

const ACCOUNT: &str = "123456789012";

// ---------------------------------------------------------------- configurations

fn all_properties_tf() -> String {
    std::fs::read_to_string(support::repo().join("examples/all_properties/main.tf")).unwrap()
}

/// The all-properties stack, but with the backup bucket created by the
/// resource too, so every kind of part is in play: two roles with policies,
/// log group and streams, SSE key and alias, backup bucket, stream.
fn many_parts_tf(name: &str, timeouts: &str) -> String {
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
  name               = "{name}"
  encryption         = "CUSTOMER_MANAGED"
  log_retention_days = 30

  destination {{
    s3_bucket {{
      bucket_arn          = var.bucket_arn
      compression         = "GZIP"
      data_output_prefix  = "regularPrefix"
      error_output_prefix = "errorPrefix"
      buffering_interval  = 60
      buffering_size      = 1

      processor {{
        lambda {{
          function_arn = "arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}-transform"
          retries      = 1
        }}
      }}

      s3_backup {{
        mode               = "ALL"
        compression        = "ZIP"
        data_output_prefix = "backupPrefix"
      }}
    }}
  }}

  tags = {{ app = "faults" }}
{timeouts}
}}
"#
    )
}

fn simple_tf(name: &str, stream_attrs: &str) -> String {
    support::stream_config(name, stream_attrs, "      buffering_interval = 60")
}

/// Counts what is left in moto under `name` into the figures, writes them
/// for `scenario`, and returns the leftovers for the test to assert on.
async fn settle(fig: &mut Figures, aws: &Aws, name: &str, scenario: &str) -> Vec<String> {
    let left = orphans(aws, name).await;
    fig.orphans = left.len() as u64;
    fig.write(scenario);
    left
}

async fn direct() -> Aws {
    support::aws::clients(moto()).await
}

/// A Terraform directory whose provider talks to AWS through `proxy`.
fn tf_via(proxy: &Proxy, main_tf: &str, vars: &[(&str, &str)]) -> Tf {
    let tf = Tf::with_endpoint(main_tf, proxy.url());
    let tfvars: String = vars.iter().map(|(k, v)| format!("{k} = {}\n", Json::from(*v))).collect();
    tf.write("terraform.tfvars", &tfvars);
    tf
}

#[track_caller]
fn expect_ok(out: Output, what: &str, figures: &mut Figures) -> Output {
    figures.op(out.code == 0);
    assert_eq!(out.code, 0, "{what} failed:\n{}", out.all());
    out
}

// ---------------------------------------------------------------- scenarios

/// 30% of calls fail transiently (throttling, 5xx, dropped connections,
/// before or after AWS acted): create, update and destroy of the
/// all-properties example still converge, and nothing is left behind.
#[tokio::test(flavor = "multi_thread")]
async fn transient_faults_create_update_destroy_converge() {
    let aws = direct().await;
    let name = unique("faulty");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let backup = aws.create_bucket(&format!("{name}-given-backup")).await;
    let dest_key = aws.kms.create_key().send().await.unwrap().key_metadata().unwrap().arn().unwrap().to_string();
    let backup_key = aws.kms.create_key().send().await.unwrap().key_metadata().unwrap().arn().unwrap().to_string();
    let lambda = aws.create_function(&format!("{name}-transform")).await;
    let proxy = Proxy::start();
    proxy.configure(json!({"seed": 7, "throttle_rate": 0.10, "server_error_rate": 0.10, "drop_rate": 0.10}));
    let main_tf = all_properties_tf();
    let tf = tf_via(
        &proxy,
        &main_tf,
        &[
            ("name", &name),
            ("bucket_arn", &bucket),
            ("backup_bucket_arn", &backup),
            ("destination_key_arn", &dest_key),
            ("backup_key_arn", &backup_key),
            ("lambda_arn", &lambda),
        ],
    );
    let mut fig = Figures::default();

    expect_ok(tf.apply(), "create under faults", &mut fig);
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let desc = desc.delivery_stream_description().unwrap();
    assert_eq!(desc.delivery_stream_status(), &fh::DeliveryStreamStatus::Active);
    // The plan after apply shows no changes, even with faults in the refresh.
    let replan = tf.plan_code();
    fig.op(replan.code == 0);
    assert_eq!(replan.code, 0, "expected no changes after create:\n{}", replan.all());

    // Update in place: destination buffering and tags.
    let updated = main_tf
        .replacen("buffering_interval  = 60", "buffering_interval  = 120", 1)
        .replace("app   = \"all-properties\"", "app   = \"all-properties-v2\"");
    assert_ne!(updated, main_tf);
    tf.write("main.tf", &updated);
    expect_ok(tf.apply(), "update under faults", &mut fig);
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let s3 =
        desc.delivery_stream_description().unwrap().destinations()[0].extended_s3_destination_description().unwrap();
    assert_eq!(s3.buffering_hints().unwrap().interval_in_seconds(), Some(120));
    let replan = tf.plan_code();
    fig.op(replan.code == 0);
    assert_eq!(replan.code, 0, "expected no changes after update:\n{}", replan.all());

    expect_ok(tf.destroy(), "destroy under faults", &mut fig);
    let stats = proxy.stats();
    fig.add_stats(&stats);
    let failed = ["throttle", "server_error", "drop"].iter().map(|k| stats["faults"][k].as_u64().unwrap()).sum::<u64>();
    assert!(failed * 100 >= stats["total"].as_u64().unwrap() * 15, "faults were injected: {stats}");
    fig.notes.push(format!("{failed} of {} calls failed", stats["total"]));
    let left = settle(&mut fig, &aws, &name, "transient faults (30%): all-properties create, update, destroy").await;
    assert!(left.is_empty(), "orphans: {left:?}");
}

/// For 20 s after a role or policy changes, Firehose cannot assume the
/// role; the create waits it out without user action.
#[tokio::test(flavor = "multi_thread")]
async fn iam_propagation_is_waited_out() {
    let aws = direct().await;
    let name = unique("iamprop");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let proxy = Proxy::start();
    proxy.configure(json!({"iam_propagation_seconds": 20}));
    let tf = tf_via(&proxy, &simple_tf(&name, ""), &[("bucket_arn", &bucket)]);
    let mut fig = Figures::default();
    let started = Instant::now();
    expect_ok(tf.apply(), "create during IAM propagation", &mut fig);
    let took = started.elapsed();
    let stats = proxy.stats();
    assert!(stats["faults"]["iam_propagation"].as_u64().unwrap() >= 2, "{stats}");
    assert!(took >= Duration::from_secs(19), "waited for propagation: {took:?}");
    assert!(took < Duration::from_secs(60), "no needless waiting: {took:?}");
    proxy.calm();
    expect_ok(tf.destroy(), "destroy", &mut fig);
    fig.add_stats(&proxy.stats());
    fig.notes.push(format!("create took {:.0} s", took.as_secs_f64()));
    let left = settle(&mut fig, &aws, &name, "IAM propagation (20 s)").await;
    assert!(left.is_empty(), "orphans: {left:?}");
}

/// A stream that ends in CREATING_FAILED: the apply fails naming the
/// failure, and destroy afterwards removes everything.
#[tokio::test(flavor = "multi_thread")]
async fn creating_failed_is_reported_and_destroy_cleans_up() {
    let aws = direct().await;
    let name = unique("crfail");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let proxy = Proxy::start();
    proxy.configure(json!({"creating_describes": 2, "creating_outcome": "CREATING_FAILED",
                           "creating_failure_type": "KMS_ACCESS_DENIED"}));
    let tf = tf_via(&proxy, &many_parts_tf(&name, ""), &[("bucket_arn", &bucket)]);
    let mut fig = Figures::default();
    let out = tf.apply();
    fig.op(out.code != 0);
    let text = out.failed().all();
    assert!(text.contains("CREATING_FAILED"), "{text}");
    assert!(text.contains("KMS_ACCESS_DENIED"), "names the failure: {text}");
    assert!(text.contains(&name), "{text}");
    // The failed stream is in state, so destroy finds it and every part.
    let state = tf.run(&["state", "list"]);
    assert!(state.stdout.contains("firehose_delivery_stream.this"), "{}", state.all());
    expect_ok(tf.destroy(), "destroy after CREATING_FAILED", &mut fig);
    fig.add_stats(&proxy.stats());
    let left = settle(&mut fig, &aws, &name, "CREATING_FAILED then destroy").await;
    assert!(left.is_empty(), "orphans: {left:?}");
}

/// `timeouts { create = "5s" }` with a stream that stays CREATING: the
/// apply gives up after about 5 s saying so; destroy then waits for the
/// stream to leave CREATING (Firehose refuses to delete it before) and
/// leaves nothing.
#[tokio::test(flavor = "multi_thread")]
async fn create_timeout_is_honoured() {
    let aws = direct().await;
    let name = unique("timeout");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let proxy = Proxy::start();
    proxy.configure(json!({"creating_describes": 100_000}));
    let tf = tf_via(&proxy, &simple_tf(&name, "  timeouts {\n    create = \"5s\"\n  }\n"), &[("bucket_arn", &bucket)]);
    let mut fig = Figures::default();
    let started = Instant::now();
    let out = tf.apply();
    let took = started.elapsed();
    fig.op(out.code != 0);
    let text = out.failed().all();
    assert!(text.contains("timed out"), "{text}");
    assert!(text.contains("timeouts.create"), "{text}");
    assert!(took < Duration::from_secs(25), "gave up promptly: {took:?}");
    // The stream stays CREATING for a few more describes, during which
    // DeleteDeliveryStream is refused, as Firehose does.
    let seen = proxy.stats()["faults"]["creating"].as_u64().unwrap();
    proxy.configure(json!({"creating_describes": seen + 3}));
    expect_ok(tf.destroy(), "destroy after timeout", &mut fig);
    fig.add_stats(&proxy.stats());
    fig.notes.push(format!("apply gave up after {:.1} s", took.as_secs_f64()));
    let left = settle(&mut fig, &aws, &name, "timeouts.create = 5s").await;
    assert!(left.is_empty(), "orphans: {left:?}");
}

/// State transitions moto skips: CREATING on create, ENABLING after
/// turning SSE on, DELETING on delete — each is awaited.
#[tokio::test(flavor = "multi_thread")]
async fn state_transitions_are_awaited() {
    let aws = direct().await;
    let name = unique("transit");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let proxy = Proxy::start();
    proxy.configure(json!({"creating_describes": 3, "sse_transition_describes": 3, "deleting_describes": 3}));
    let tf = tf_via(&proxy, &simple_tf(&name, ""), &[("bucket_arn", &bucket)]);
    let mut fig = Figures::default();
    expect_ok(tf.apply(), "create through CREATING", &mut fig);
    tf.write("main.tf", &simple_tf(&name, "  encryption = \"AWS_OWNED\"\n"));
    expect_ok(tf.apply(), "turn SSE on through ENABLING", &mut fig);
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let enc = desc.delivery_stream_description().unwrap().delivery_stream_encryption_configuration().unwrap();
    assert_eq!(enc.status(), Some(&fh::DeliveryStreamEncryptionStatus::Enabled));
    tf.assert_no_changes();
    tf.write("main.tf", &simple_tf(&name, ""));
    expect_ok(tf.apply(), "turn SSE off through DISABLING", &mut fig);
    tf.assert_no_changes();
    expect_ok(tf.destroy(), "destroy through DELETING", &mut fig);
    let stats = proxy.stats();
    fig.add_stats(&stats);
    assert!(stats["faults"]["creating"].as_u64().unwrap() >= 3, "{stats}");
    assert!(stats["faults"]["sse_transition"].as_u64().unwrap() >= 6, "{stats}");
    assert!(stats["faults"]["deleting"].as_u64().unwrap() >= 3, "{stats}");
    let left = settle(&mut fig, &aws, &name, "CREATING, ENABLING/DISABLING, DELETING awaited").await;
    assert!(left.is_empty(), "orphans: {left:?}");
}

// ---------------------------------------------------------------- crash safety

/// A small deterministic generator, so a failing run can be repeated with
/// `FAULTS_SEED`.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn in_range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1).max(1)
    }
}

/// `n` points spread over 1..=total: one random point in each of n strata.
fn spread(rng: &mut Lcg, total: u64, n: u64) -> Vec<u64> {
    let mut v: Vec<u64> = (0..n)
        .map(|i| {
            let lo = 1 + i * total / n;
            let hi = ((i + 1) * total / n).max(lo);
            rng.in_range(lo, hi)
        })
        .collect();
    v.dedup();
    v
}

/// The provider is SIGKILLed at randomly chosen calls of create and of
/// destroy; after each, apply and destroy run again, and nothing is
/// orphaned.
#[tokio::test(flavor = "multi_thread")]
async fn killed_provider_leaves_no_orphans() {
    let aws = direct().await;
    let seed = std::env::var("FAULTS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("killed_provider_leaves_no_orphans: FAULTS_SEED={seed}");
    let mut rng = Lcg(seed);
    let proxy = Proxy::start();
    // The path Terraform starts the provider by (see support::provider_dir).
    let pattern = support::provider_dir().join("terraform-provider-firehose").display().to_string();
    let mut fig = Figures::default();
    fig.notes.push(format!("seed {seed}"));

    // Calibrate: how many calls a clean create and destroy make.
    let name = unique("crash");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let tf = tf_via(&proxy, &many_parts_tf(&name, ""), &[("bucket_arn", &bucket)]);
    proxy.reset();
    tf.apply().ok();
    let create_calls = proxy.stats()["total"].as_u64().unwrap();
    proxy.reset();
    tf.destroy().ok();
    let destroy_calls = proxy.stats()["total"].as_u64().unwrap();
    assert!(orphans(&aws, &name).await.is_empty());
    eprintln!("a clean create makes {create_calls} calls, a destroy {destroy_calls}");

    let points: Vec<(&str, u64)> = spread(&mut rng, create_calls, 12)
        .into_iter()
        .map(|k| ("create", k))
        .chain(spread(&mut rng, destroy_calls, 10).into_iter().map(|k| ("destroy", k)))
        .collect();
    let mut failures = Vec::new();
    for (phase, k) in points {
        let name = unique("crash");
        let bucket = aws.create_bucket(&format!("{name}-data")).await;
        aws.create_function(&format!("{name}-transform")).await;
        let tf = tf_via(&proxy, &many_parts_tf(&name, ""), &[("bucket_arn", &bucket)]);
        proxy.reset();
        if phase == "destroy" {
            tf.apply().ok();
            proxy.reset();
        }
        proxy.configure(json!({"kill_at_call": k, "kill_pattern": pattern, "kill_scope": "caller"}));
        let interrupted = if phase == "create" { tf.apply() } else { tf.destroy() };
        let stats = proxy.stats();
        proxy.configure(json!({"kill_at_call": null}));
        let killed = stats["faults"]["kill"].as_u64().unwrap() > 0;
        if !killed {
            eprintln!("{phase} call {k}: never reached (run made {} calls)", stats["total"]);
            continue;
        }
        assert!(
            !stats["killed_pids"].as_array().unwrap().is_empty(),
            "call {k} of {phase} was the kill point, yet no provider process was found to kill: {stats}"
        );
        fig.kill_points += 1;
        fig.add_stats(&stats);
        assert_ne!(interrupted.code, 0, "{phase} killed at call {k} yet succeeded:\n{}", interrupted.all());
        // Recover: apply (adopting what exists), then destroy.
        let apply = tf.apply();
        fig.op(apply.code == 0);
        let destroy = tf.destroy();
        fig.op(destroy.code == 0);
        let left = orphans(&aws, &name).await;
        fig.orphans += left.len() as u64;
        eprintln!("{phase} killed at call {k}: re-apply {}, destroy {}, orphans {left:?}", apply.code, destroy.code);
        if apply.code != 0 || destroy.code != 0 || !left.is_empty() {
            failures.push(format!(
                "{phase} killed at call {k}: re-apply exit {}, destroy exit {}, orphans {left:?}\n{}\n{}",
                apply.code,
                destroy.code,
                apply.all(),
                destroy.all()
            ));
        }
    }
    fig.notes.push(format!("clean create {create_calls} calls, destroy {destroy_calls} calls"));
    fig.write("SIGKILL of the provider during create and destroy");
    assert!(fig.kill_points >= 20, "only {} kill points were reached", fig.kill_points);
    assert!(
        failures.is_empty(),
        "{} of {} kill points failed:\n{}",
        failures.len(),
        fig.kill_points,
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------- cancellation

/// Ctrl-C once the call that creates the stream is on its way: Terraform
/// asks the provider to stop (StopProvider), the apply ends within seconds,
/// and the state records the stream and its parts, so destroy removes them.
#[tokio::test(flavor = "multi_thread")]
async fn interrupt_stops_apply_promptly_and_keeps_state() {
    interrupt_apply("sigint", "firehose:CreateDeliveryStream", "SIGINT (Ctrl-C) during apply, stream being created")
        .await;
}

/// Ctrl-C while the parts are being made, before the stream exists. The
/// apply stops promptly and its state records the resource (tainted); the
/// refresh that starts `terraform destroy` keeps that partial state (it has
/// no version yet), so destroy removes every part that was made.
#[tokio::test(flavor = "multi_thread")]
async fn interrupt_before_the_stream_exists_leaves_nothing_after_destroy() {
    interrupt_apply("sigearly", "iam:PutRolePolicy", "SIGINT (Ctrl-C) during apply, parts being made").await;
}

async fn interrupt_apply(prefix: &str, interrupt_after: &str, scenario: &str) {
    let aws = direct().await;
    let name = unique(prefix);
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let proxy = Proxy::start();
    let tf = tf_via(&proxy, &many_parts_tf(&name, ""), &[("bucket_arn", &bucket)]);
    proxy.configure(json!({"latency_ms": 400}));
    let mut fig = Figures::default();

    let mut cmd = Command::new(support::repo().join("scripts/terraform"));
    cmd.args(["apply", "-no-color", "-input=false", "-auto-approve"])
        .current_dir(tf.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for k in ["TF_LOG", "TF_LOG_PATH", "TF_LOG_PROVIDER", "AWS_PROFILE", "AWS_SESSION_TOKEN"] {
        cmd.env_remove(k);
    }
    cmd.envs(&tf.env);
    let child = cmd.spawn().unwrap();
    let pid = child.id() as i32;
    let started = Instant::now();
    loop {
        let stats = proxy.stats();
        if stats["by_action"][interrupt_after].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(90), "apply never got to {interrupt_after}: {stats}");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The shim execs Python, which runs Terraform in-process: SIGINT goes to
    // Terraform's own handler, as a Ctrl-C in a terminal does.
    // SAFETY: plain kill(2) on our own child.
    unsafe {
        libc::kill(pid, libc::SIGINT);
    }
    let interrupted_at = Instant::now();
    let out = child.wait_with_output().unwrap();
    let stop_took = interrupted_at.elapsed();
    let text = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    fig.op(out.status.code() != Some(0));
    assert_ne!(out.status.code(), Some(0), "apply was interrupted:\n{text}");
    assert!(text.contains("Interrupt received"), "Terraform saw the interrupt:\n{text}");
    assert!(text.contains("stopped by Terraform"), "Terraform asked the provider to stop:\n{text}");
    assert!(stop_took < Duration::from_secs(10), "stopped promptly: {stop_took:?}\n{text}");

    proxy.configure(json!({"latency_ms": 0}));
    let state = tf.run(&["state", "list"]);
    assert!(state.stdout.contains("firehose_delivery_stream.this"), "state records the resource:\n{}", state.all());
    let destroyed = expect_ok(tf.destroy(), "destroy after interrupt", &mut fig);
    fig.add_stats(&proxy.stats());
    fig.notes.push(format!("stopped {:.1} s after SIGINT", stop_took.as_secs_f64()));
    let left = settle(&mut fig, &aws, &name, scenario).await;
    assert!(left.is_empty(), "orphans: {left:?}\ninterrupted apply:\n{text}\ndestroy:\n{}", destroyed.all());
}

/// Answers to the calls that create parts are lost after AWS acted (the
/// connection drops on the way back), so the SDK retries calls that are not
/// idempotent: the retry must adopt what the lost call made, and nothing
/// may be duplicated or left behind.
#[tokio::test(flavor = "multi_thread")]
async fn lost_answers_to_creates_leave_no_duplicates() {
    let aws = direct().await;
    let name = unique("lost");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let proxy = Proxy::start();
    proxy.configure(json!({
        "seed": 11, "drop_rate": 0.5, "drop_phase": "after",
        "only_actions": ["kms:CreateKey", "kms:CreateAlias", "iam:CreateRole", "iam:PutRolePolicy",
                         "logs:CreateLogGroup", "logs:CreateLogStream", "s3:PUT", "s3:PUT?tagging",
                         "firehose:CreateDeliveryStream"],
    }));
    let tf = tf_via(&proxy, &many_parts_tf(&name, ""), &[("bucket_arn", &bucket)]);
    let mut fig = Figures::default();
    expect_ok(tf.apply(), "create with lost answers", &mut fig);
    tf.assert_no_changes();
    expect_ok(tf.destroy(), "destroy", &mut fig);
    let stats = proxy.stats();
    fig.add_stats(&stats);
    assert!(stats["faults"]["drop"].as_u64().unwrap() >= 3, "{stats}");
    let left = settle(&mut fig, &aws, &name, "lost answers to create calls (50%)").await;
    assert!(left.is_empty(), "orphans: {left:?}\n{stats}");
}

/// Answers AWS would never give: cut-off JSON, an empty payload, a status
/// value the SDK does not know. Each gives an error diagnostic naming the
/// call, never a provider crash, and nothing is lost: once AWS answers
/// properly again, apply and destroy converge.
#[tokio::test(flavor = "multi_thread")]
async fn malformed_answers_are_errors_not_crashes() {
    let aws = direct().await;
    let name = unique("malformed");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    aws.create_function(&format!("{name}-transform")).await;
    let proxy = Proxy::start();
    let tf = tf_via(&proxy, &simple_tf(&name, ""), &[("bucket_arn", &bucket)]);
    let mut fig = Figures::default();
    expect_ok(tf.apply(), "apply", &mut fig);
    let crashed = |text: &str| {
        text.contains("panicked") || text.contains("plugin crashed") || text.contains("Plugin did not respond")
    };

    for (mode, expected) in [("garbage", "DescribeDeliveryStream"), ("empty", "incomplete description")] {
        proxy.configure(json!({"malformed": {"firehose:DescribeDeliveryStream": mode}}));
        let out = tf.plan();
        fig.op(out.code != 0);
        // Terraform wraps long messages; compare with the lines joined.
        let text = out.failed().all().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(expected), "{mode}: {text}");
        assert!(!crashed(&text), "{mode}: {text}");
    }
    // An unknown status while waiting for a new stream to become ACTIVE.
    proxy.configure(json!({"malformed": {}}));
    expect_ok(tf.destroy(), "destroy", &mut fig);
    proxy.configure(json!({"malformed": {"firehose:DescribeDeliveryStream": "unknown_enum"}}));
    let out = tf.apply();
    fig.op(out.code != 0);
    let text = out.failed().all();
    assert!(text.contains("EXPLODING"), "{text}");
    assert!(!crashed(&text), "{text}");

    proxy.configure(json!({"malformed": {}}));
    expect_ok(tf.apply(), "apply after AWS answers properly again", &mut fig);
    tf.assert_no_changes();
    expect_ok(tf.destroy(), "destroy", &mut fig);
    fig.add_stats(&proxy.stats());
    let left = settle(&mut fig, &aws, &name, "malformed AWS answers (cut-off JSON, empty payload, unknown enum)").await;
    assert!(left.is_empty(), "orphans: {left:?}");
}
