//! Never take over what another Terraform state manages: two working
//! directories declare a stream with the same name, or only its role or log
//! group collide; the second is refused before it writes anything, and the
//! first state's objects stay exactly as they were. Destroy deletes only what
//! the resource made: never the user's log streams.

mod support;

use serde_json::Value as Json;
use support::aws::Aws;
use support::figures::Figures;
use support::leftovers::orphans;
use support::proxy::Proxy;
use support::{flat, moto, stream_config, unique, Output, Tf};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

async fn setup(prefix: &str) -> (Aws, String, String) {
    let aws = support::aws::clients(moto()).await;
    let name = unique(prefix);
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    (aws, name, bucket)
}

/// A team's stream: its own prefix and tags, under the shared name.
fn team_tf(name: &str, team: &str, stream_attrs: &str, endpoint: &str, bucket: &str) -> Tf {
    let attrs = format!("  tags = {{ team = \"{team}\" }}\n{stream_attrs}");
    let tf =
        Tf::with_endpoint(&stream_config(name, &attrs, &format!("      data_output_prefix = \"{team}/\"")), endpoint);
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    tf
}

/// Everything of the stream `name` that a second state could change, as
/// AWS reports it: the stream's configuration and tags, its roles with their
/// tags, trust and inline policies, its log group with tags and retention.
async fn snapshot(aws: &Aws, name: &str) -> String {
    let mut out = String::new();
    match aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await {
        Ok(d) => {
            out += &format!("stream {:?}\n", d.delivery_stream_description());
            let tags = aws.firehose.list_tags_for_delivery_stream().delivery_stream_name(name).send().await.unwrap();
            out += &format!("stream tags {:?}\n", tags.tags());
        }
        Err(_) => out += "no stream\n",
    }
    for role in [format!("{name}-firehose-dest"), format!("{name}-firehose-source")] {
        let Ok(r) = aws.iam.get_role().role_name(&role).send().await else {
            out += &format!("no role {role}\n");
            continue;
        };
        let r = r.role().unwrap();
        out += &format!("role {role} tags {:?} trust {:?}\n", r.tags(), r.assume_role_policy_document());
        let policies = aws.iam.list_role_policies().role_name(&role).send().await.unwrap();
        for p in policies.policy_names() {
            let doc = aws.iam.get_role_policy().role_name(&role).policy_name(p).send().await.unwrap();
            out += &format!("policy {p} {}\n", doc.policy_document());
        }
    }
    let group = format!("/aws/kinesisfirehose/{name}");
    let groups = aws.logs.describe_log_groups().log_group_name_prefix(&group).send().await.unwrap();
    for g in groups.log_groups().iter().filter(|g| g.log_group_name() == Some(group.as_str())) {
        let arn =
            g.log_group_arn().map(str::to_string).unwrap_or_else(|| g.arn().unwrap().trim_end_matches(":*").into());
        let tags = aws.logs.list_tags_for_resource().resource_arn(&arn).send().await.unwrap();
        let tags: std::collections::BTreeMap<_, _> = tags.tags().cloned().unwrap_or_default().into_iter().collect();
        let streams = aws.logs.describe_log_streams().log_group_name(&group).send().await.unwrap();
        let streams: Vec<_> = streams.log_streams().iter().filter_map(|s| s.log_stream_name()).collect();
        out += &format!("log group {group} retention {:?} tags {tags:?} streams {streams:?}\n", g.retention_in_days());
    }
    out
}

/// Only reads reached AWS: the refusal came before any write.
#[track_caller]
fn only_reads(stats: &Json) -> u64 {
    let actions = stats["by_action"].as_object().unwrap();
    let writes: Vec<&String> = actions
        .keys()
        .filter(|k| {
            let action = k.split_once(':').map_or(k.as_str(), |(_, a)| a);
            // The proxy names S3 calls by method: HEAD is HeadBucket.
            !["Describe", "Get", "List", "HeadBucket", "HEAD"].iter().any(|r| action.starts_with(r))
        })
        .collect();
    assert!(writes.is_empty(), "the refused create wrote to AWS: {writes:?} ({stats})");
    stats["total"].as_u64().unwrap()
}

#[track_caller]
fn refused(out: Output, summary: &str) -> String {
    let text = flat(&out.failed().all());
    assert!(text.contains(summary), "expected {summary:?}:\n{text}");
    for needle in [ACCOUNT, REGION] {
        assert!(text.contains(needle), "the error names {needle}:\n{text}");
    }
    text
}

#[track_caller]
fn state_is_empty(tf: &Tf) {
    let state = tf.state_json();
    let resources = state["values"]["root_module"]["resources"].as_array().cloned().unwrap_or_default();
    assert!(resources.is_empty(), "the refused state recorded {resources:?}");
}

/// Two working directories, one name: the second is refused at plan time,
/// and at apply time when its plan was made while the name was still free.
/// The first state's stream, tags, roles, policies and log group stay
/// byte-for-byte as they were; the second state's destroy removes nothing;
/// the first then plans clean and destroys clean.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_state_with_the_same_name_takes_nothing_over() {
    let (aws, name, bucket) = setup("twin").await;
    let proxy = Proxy::in_front_of(moto());
    let mut fig = Figures::default();
    let a = team_tf(&name, "a", "", moto(), &bucket);
    let b = team_tf(&name, "b", "", proxy.url(), &bucket);

    // B plans while the name is free; A applies first.
    b.run(&["plan", "-no-color", "-input=false", "-out=tfplan"]).ok();
    a.apply().ok();
    let before = snapshot(&aws, &name).await;
    assert!(before.contains("\"a/\"") && before.contains("team"), "{before}");

    // Plan time: one DescribeDeliveryStream tells, and the error points at `name`.
    proxy.reset();
    let text = refused(b.plan(), &format!("Delivery stream \"{name}\" already exists"));
    assert!(text.contains("import {") && text.contains(&format!("deliverystream/{name}")), "{text}");
    assert!(text.contains("choose another `name`"), "{text}");
    let line = support::line_of(&std::fs::read_to_string(b.path().join("main.tf")).unwrap(), "  name = ");
    assert!(text.contains(&format!("on main.tf line {line},")), "the error points at `name`:\n{text}");
    fig.op(true);
    fig.calls += only_reads(&proxy.stats());
    // Refused at plan, a state holds nothing, and its destroy touches nothing.
    let b2 = team_tf(&name, "b", "", moto(), &bucket);
    refused(b2.plan(), "already exists");
    b2.destroy().ok();
    assert_eq!(snapshot(&aws, &name).await, before, "the second state's destroy touched the first's stream");

    // Apply time, from the plan made before A existed.
    proxy.reset();
    refused(
        b.run(&["apply", "-no-color", "-input=false", "tfplan"]),
        &format!("Delivery stream \"{name}\" already exists"),
    );
    fig.op(true);
    fig.calls += only_reads(&proxy.stats());
    state_is_empty(&b);
    assert_eq!(snapshot(&aws, &name).await, before, "the first state's stream changed");
    // Terraform keeps an empty entry for the refused resource, so its
    // destroy re-plans the configuration (and meets the same refusal)
    // unless told not to refresh.
    b.run(&["destroy", "-no-color", "-input=false", "-auto-approve", "-refresh=false"]).ok();
    assert_eq!(snapshot(&aws, &name).await, before, "the second state's destroy touched the first's stream");

    a.assert_no_changes();
    a.destroy().ok();
    let left = orphans(&aws, &name).await;
    fig.orphans += left.len() as u64;
    fig.notes
        .push("same name in two states: refused at plan and at apply, only reads sent, first state unchanged".into());
    fig.write("collision: a second state declares the same stream name");
    assert!(left.is_empty(), "orphans: {left:?}");
}

/// Only a role, or only a log group, collides: the first state's stream
/// was deleted outside Terraform, its parts remain in its state. The second
/// state is refused before it writes anything, the first re-creates its
/// stream among its own parts and destroys clean.
#[tokio::test(flavor = "multi_thread")]
async fn a_colliding_role_or_log_group_alone_is_refused() {
    let (aws, name, bucket) = setup("parts").await;
    let proxy = Proxy::in_front_of(moto());
    let mut fig = Figures::default();
    let a = team_tf(&name, "a", "", moto(), &bucket);
    a.apply().ok();
    aws.firehose.delete_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let before = snapshot(&aws, &name).await;
    assert!(before.contains("no stream") && before.contains("-firehose-dest tags"), "{before}");

    // The role (and log group) collide.
    let b = team_tf(&name, "b", "", proxy.url(), &bucket);
    proxy.reset();
    let text = refused(b.apply(), &format!("IAM role \"{name}-firehose-dest\" already exists"));
    assert!(text.contains("another Terraform state"), "{text}");
    fig.op(true);
    fig.calls += only_reads(&proxy.stats());
    state_is_empty(&b);
    assert_eq!(snapshot(&aws, &name).await, before);

    // Only the log group collides: this state brings its own role.
    let role = format!("{name}-own-role");
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"firehose.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let created = aws.iam.create_role().role_name(&role).assume_role_policy_document(trust).send().await.unwrap();
    let role_arn = created.role().unwrap().arn().to_string();
    let c_tf = stream_config(&name, "  tags = { team = \"c\" }", &format!("      role_arn = \"{role_arn}\""));
    let c = Tf::with_endpoint(&c_tf, proxy.url());
    c.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    proxy.reset();
    refused(c.apply(), &format!("Log group \"/aws/kinesisfirehose/{name}\" already exists"));
    fig.op(true);
    fig.calls += only_reads(&proxy.stats());
    state_is_empty(&c);
    let policies = aws.iam.list_role_policies().role_name(&role).send().await.unwrap();
    assert!(policies.policy_names().is_empty(), "the refused create put a policy on its role");
    assert_eq!(snapshot(&aws, &name).await, before);

    b.destroy().ok();
    c.destroy().ok();
    assert_eq!(snapshot(&aws, &name).await, before, "a refused state's destroy touched the first state's parts");

    // The first state still holds its parts and makes its stream again.
    let plan = a.plan().ok().all();
    assert!(plan.contains("1 to change"), "{plan}");
    a.apply().ok();
    a.assert_no_changes();
    a.destroy().ok();
    aws.iam.delete_role().role_name(&role).send().await.unwrap();
    let left = orphans(&aws, &name).await;
    fig.orphans += left.len() as u64;
    fig.notes.push("only the role, then only the log group collide: refused before any write".into());
    fig.write("collision: only a role or a log group of another state");
    assert!(left.is_empty(), "orphans: {left:?}");
}

/// Destroy deletes the log streams it made in a log group the user gave,
/// and never one the user made there (as with `aws_cloudwatch_log_stream`).
#[tokio::test(flavor = "multi_thread")]
async fn destroy_keeps_the_users_log_streams() {
    let (aws, name, bucket) = setup("logstreams").await;
    let group = format!("/users/{name}");
    aws.logs.create_log_group().log_group_name(&group).send().await.unwrap();
    aws.logs.create_log_stream().log_group_name(&group).log_stream_name("S3Destination").send().await.unwrap();
    let streams = |g: String| {
        let aws = &aws;
        async move {
            let out = aws.logs.describe_log_streams().log_group_name(&g).send().await.unwrap();
            out.log_streams().iter().filter_map(|s| s.log_stream_name().map(str::to_string)).collect::<Vec<_>>()
        }
    };

    // The user's own S3Destination stream, used by the delivery stream.
    let tf = Tf::new(&stream_config(&name, "", &format!("      log_group_name = \"{group}\"")));
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    tf.apply().ok();
    tf.destroy().ok();
    assert_eq!(streams(group.clone()).await, ["S3Destination"], "the user's log stream was deleted");

    // A group without it: the resource makes S3Destination and removes it.
    let bare = format!("/users/{name}-bare");
    aws.logs.create_log_group().log_group_name(&bare).send().await.unwrap();
    tf.write("main.tf", &stream_config(&name, "", &format!("      log_group_name = \"{bare}\"")));
    tf.apply().ok();
    assert_eq!(streams(bare.clone()).await, ["S3Destination"]);
    tf.destroy().ok();
    assert!(streams(bare.clone()).await.is_empty(), "the log stream the resource made was left behind");
    for g in [group, bare] {
        aws.logs.delete_log_group().log_group_name(&g).send().await.unwrap();
    }
}

/// Without `name`, the plan says that an interrupted create cannot be
/// resumed, and how to make it resumable.
#[tokio::test(flavor = "multi_thread")]
async fn a_generated_name_is_flagged_in_the_plan() {
    let (_aws, _, bucket) = setup("nameless").await;
    let tf = Tf::new(&stream_config("x", "", "").replace("  name = \"x\"\n", ""));
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    let plan = flat(&tf.plan().ok().all());
    assert!(plan.contains("Warning: An interrupted create of this stream cannot be resumed"), "{plan}");
    assert!(plan.contains("Set `name` to make an interrupted create resumable"), "{plan}");
    let named = Tf::new(&stream_config(&unique("named"), "", ""));
    named.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    let plan = named.plan().ok().all();
    assert!(!plan.contains("cannot be resumed"), "{plan}");
}

/// A backup bucket that destroy kept (it held records) is taken back by the
/// next create of the same stream instead of being refused.
#[tokio::test(flavor = "multi_thread")]
async fn a_kept_backup_bucket_is_adopted_by_the_next_create() {
    let (aws, name, bucket) = setup("kept").await;
    let tf = Tf::new(&stream_config(&name, "", "      s3_backup {\n      }"));
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    tf.apply().ok();
    let backup = tf.resource("firehose_delivery_stream.this")["destination"][0]["s3_bucket"][0]["s3_backup"][0]
        ["bucket_arn"]
        .as_str()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let body = aws_sdk_s3::primitives::ByteStream::from_static(b"a record");
    aws.s3.put_object().bucket(&backup).key("record").body(body).send().await.unwrap();
    let destroyed = flat(&tf.destroy().ok().all());
    assert!(destroyed.contains("Backup bucket kept"), "{destroyed}");

    let again = flat(&tf.apply().ok().all());
    assert!(!again.contains("already exists"), "{again}");
    let objects = aws.s3.list_objects_v2().bucket(&backup).send().await.unwrap();
    assert_eq!(objects.key_count(), Some(1), "the kept records are still there");
    tf.destroy().ok();
    aws.s3.delete_object().bucket(&backup).key("record").send().await.unwrap();
    aws.s3.delete_bucket().bucket(&backup).send().await.unwrap();
}
