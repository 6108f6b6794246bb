//! Three streams under the proxy's real-AWS mode (tools/aws_proxy.py,
//! bench/README.md): 30 ms per call, new roles unusable by Firehose for 8 s,
//! streams CREATING for 5 s and DELETING for 3 s, and CreateDeliveryStream
//! limited (here to 1 per second, stricter than AWS's 5, so three streams
//! meet the limit). Apply, a no-change plan and destroy succeed with no
//! error reaching the user, and nothing is left; an apply whose provider is
//! killed while it waits is taken up by the next apply.

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::proxy::Proxy;
use support::{moto, unique, Tf};

fn config(prefix: &str) -> String {
    config_n(prefix, 3)
}

fn config_n(prefix: &str, n: usize) -> String {
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
  count = {n}
  name  = "{prefix}-${{count.index}}"

  destination {{
    s3_bucket {{
      bucket_arn = var.bucket_arn
    }}
  }}
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn three_streams_under_real_aws_behaviour() {
    let aws = support::aws::clients(moto()).await;
    let prefix = unique("realaws");
    let bucket = aws.create_bucket(&format!("{prefix}-data")).await;
    let proxy = Proxy::start();
    proxy.configure(json!({"real_aws": true}));
    proxy.configure(json!({"create_rate_per_second": 1}));
    let tf = Tf::with_endpoint(&config(&prefix), proxy.url());
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));

    let started = Instant::now();
    let out = tf.apply();
    let took = started.elapsed();
    assert_eq!(out.code, 0, "apply failed:\n{}", out.all());
    let stats = proxy.stats();
    let faults = &stats["faults"];
    for kind in ["iam_propagation", "creating", "rate_limited"] {
        assert!(faults[kind].as_u64().unwrap_or(0) > 0, "{kind} was never met: {stats}");
    }
    // The floor is 8 s of propagation plus 5 s CREATING; far more would be
    // blind sleeping.
    assert!(took >= Duration::from_secs(13), "{took:?}");
    assert!(took < Duration::from_secs(60), "apply took {took:?}");
    eprintln!("apply of 3 streams under real-AWS mode: {:.1} s (floor about 13 s)", took.as_secs_f64());
    for i in 0..3 {
        let d = aws.firehose.describe_delivery_stream().delivery_stream_name(format!("{prefix}-{i}")).send().await;
        assert!(d.is_ok(), "stream {i} exists");
    }

    tf.assert_no_changes();

    proxy.reset();
    let out = tf.destroy();
    assert_eq!(out.code, 0, "destroy failed:\n{}", out.all());
    let stats = proxy.stats();
    assert!(stats["faults"]["deleting"].as_u64().unwrap_or(0) > 0, "{stats}");
    // The parts go only once their stream is gone (3 s of DELETING here),
    // and the waits share one listing instead of describing each stream
    // twice a second.
    let timeline = proxy.timeline();
    let at = |action: &str, subject: &str, end: bool| {
        timeline
            .iter()
            .find(|c| c[2] == action && c[3] == subject && c[4] == 200)
            .map(|c| c[if end { 1 } else { 0 }].as_f64().unwrap())
            .unwrap_or_else(|| panic!("no {action} of {subject}: {timeline:?}"))
    };
    for i in 0..3 {
        let stream = format!("{prefix}-{i}");
        let deleted = at("firehose:DeleteDeliveryStream", &stream, true);
        for (action, part) in [
            ("iam:DeleteRole", format!("{stream}-firehose-dest")),
            ("logs:DeleteLogGroup", format!("/aws/kinesisfirehose/{stream}")),
        ] {
            let t = at(action, &part, false);
            assert!(
                t >= deleted + 3.0,
                "{action} {part} at {t} s, while {stream} (deleted at {deleted} s) was DELETING"
            );
        }
    }
    let calls = |action: &str| stats["by_action"][action].as_u64().unwrap_or(0);
    assert!(calls("firehose:ListDeliveryStreams") > 0, "{stats}");
    assert!(calls("firehose:DescribeDeliveryStream") <= 12, "describes while waiting: {stats}");
    for i in 0..3 {
        let left = support::leftovers::orphans(&aws, &format!("{prefix}-{i}")).await;
        assert!(left.is_empty(), "orphans of stream {i}: {left:?}");
    }
}

/// The provider killed while Firehose still refuses the new role, and again
/// while the new stream is CREATING: each time the next apply adopts what
/// the killed one made and finishes, and destroy leaves nothing.
#[tokio::test(flavor = "multi_thread")]
async fn an_apply_killed_while_it_waits_is_taken_up_by_the_next() {
    let aws = support::aws::clients(moto()).await;
    let proxy = Proxy::start();
    proxy.configure(json!({"real_aws": true}));
    let pattern = support::provider_dir().join("terraform-provider-firehose").display().to_string();

    // Where the waits are in a clean apply: the accepted create, by the
    // order calls arrive (the proxy's kill point counts calls that way).
    let prefix = unique("realkill");
    let bucket = aws.create_bucket(&format!("{prefix}-data")).await;
    let tf = Tf::with_endpoint(&config_n(&prefix, 1), proxy.url());
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    proxy.reset();
    assert_eq!(tf.apply().code, 0);
    let mut calls = proxy.timeline();
    calls.sort_by(|a, b| a[0].as_f64().partial_cmp(&b[0].as_f64()).unwrap());
    let created = 1 + calls
        .iter()
        .position(|c| c[2] == "firehose:CreateDeliveryStream" && c[4] == 200)
        .expect("a create was accepted") as u64;
    assert!(created > 6, "the clean apply met no propagation wait: {calls:?}");
    assert_eq!(tf.destroy().code, 0);

    for (wait, kill_at) in [("IAM propagation", created - 3), ("CREATING", created + 3)] {
        let prefix = unique("realkill");
        let bucket = aws.create_bucket(&format!("{prefix}-data")).await;
        let tf = Tf::with_endpoint(&config_n(&prefix, 1), proxy.url());
        tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
        proxy.reset();
        proxy.configure(json!({"kill_at_call": kill_at, "kill_pattern": pattern, "kill_scope": "caller"}));
        let killed = tf.apply();
        let stats = proxy.stats();
        proxy.configure(json!({"kill_at_call": null}));
        assert_eq!(stats["faults"]["kill"], 1, "no kill during {wait}: {stats}");
        assert_ne!(killed.code, 0, "killed during {wait}, yet the apply succeeded");
        let again = tf.apply();
        assert_eq!(again.code, 0, "the apply after a kill during {wait} failed:\n{}", again.all());
        let d = aws.firehose.describe_delivery_stream().delivery_stream_name(format!("{prefix}-0")).send().await;
        assert!(d.is_ok(), "no stream after the apply that followed a kill during {wait}");
        tf.assert_no_changes();
        let out = tf.destroy();
        assert_eq!(out.code, 0, "destroy after a kill during {wait} failed:\n{}", out.all());
        let left = support::leftovers::orphans(&aws, &format!("{prefix}-0")).await;
        assert!(left.is_empty(), "orphans after a kill during {wait}: {left:?}");
    }
}

/// `n` streams applied through a proxy in real-AWS mode, but with roles
/// usable and streams ACTIVE at once: for tests of how destroy waits.
async fn streams_deleting_by_the_clock(label: &str, n: usize) -> (support::aws::Aws, Proxy, Tf, String) {
    let aws = support::aws::clients(moto()).await;
    let proxy = Proxy::start();
    proxy.configure(json!({"real_aws": true, "iam_propagation_seconds": 0, "creating_seconds": 0}));
    let prefix = unique(label);
    let bucket = aws.create_bucket(&format!("{prefix}-data")).await;
    let tf = Tf::with_endpoint(&config_n(&prefix, n), proxy.url());
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    assert_eq!(tf.apply().code, 0);
    (aws, proxy, tf, prefix)
}

/// Without permission to list streams, destroy still waits for the stream
/// to be gone (describing it) before it deletes the parts.
#[tokio::test(flavor = "multi_thread")]
async fn destroy_without_list_permission_still_waits_for_the_stream() {
    let (aws, proxy, tf, prefix) = streams_deleting_by_the_clock("reallist", 1).await;

    proxy.reset();
    proxy.configure(json!({"errors": {"firehose:ListDeliveryStreams": ["AccessDeniedException", "not allowed"]}}));
    let out = tf.destroy();
    proxy.configure(json!({"errors": {}}));
    assert_eq!(out.code, 0, "destroy failed:\n{}", out.all());
    let timeline = proxy.timeline();
    let first = |action: &str, subject: &str, status: i64| {
        timeline
            .iter()
            .find(|c| c[2] == action && (subject.is_empty() || c[3] == subject) && c[4] == status)
            .unwrap_or_else(|| panic!("no {action} {subject} answered {status}: {timeline:?}"))
            .clone()
    };
    let stream = format!("{prefix}-0");
    first("firehose:ListDeliveryStreams", "", 403);
    let deleted = first("firehose:DeleteDeliveryStream", &stream, 200)[1].as_f64().unwrap();
    let role_gone = first("iam:DeleteRole", &format!("{stream}-firehose-dest"), 200)[0].as_f64().unwrap();
    assert!(role_gone >= deleted + 3.0, "role deleted at {role_gone} s, stream deleted at {deleted} s");
    let left = support::leftovers::orphans(&aws, &stream).await;
    assert!(left.is_empty(), "orphans: {left:?}");
}

/// Streams that end in DELETING_FAILED are reported within seconds, not
/// waited on until the delete timeout, including the one whose waits are
/// cut short by the listings the other makes; the parts stay with the
/// resources in the state, and a destroy once the streams can go finishes
/// the job.
#[tokio::test(flavor = "multi_thread")]
async fn streams_stuck_in_deleting_failed_are_reported_and_their_parts_kept() {
    let (aws, proxy, tf, prefix) = streams_deleting_by_the_clock("realstuck", 2).await;
    let streams: Vec<String> = (0..2).map(|i| format!("{prefix}-{i}")).collect();

    proxy.configure(json!({"deleting_outcome": "DELETING_FAILED"}));
    let started = Instant::now();
    let out = tf.destroy();
    let took = started.elapsed();
    proxy.configure(json!({"deleting_outcome": "GONE"}));
    assert_ne!(out.code, 0, "destroy of streams stuck in DELETING_FAILED succeeded:\n{}", out.all());
    for stream in &streams {
        assert!(out.stderr.contains(&format!("delivery stream {stream} entered DELETING_FAILED")), "{}", out.all());
        let role = aws.iam.get_role().role_name(format!("{stream}-firehose-dest")).send().await;
        assert!(role.is_ok(), "the role of {stream} went while its stream still stood");
    }
    assert!(took < Duration::from_secs(30), "reported after {took:?}");

    let out = tf.destroy();
    assert_eq!(out.code, 0, "destroy once the streams can go failed:\n{}", out.all());
    for stream in &streams {
        let left = support::leftovers::orphans(&aws, stream).await;
        assert!(left.is_empty(), "orphans of {stream}: {left:?}");
    }
}
