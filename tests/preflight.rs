//! What AWS reports only at delivery time is caught at plan time: a missing
//! bucket or function, a disabled or asymmetric key, a source stream in
//! another region each fail the plan at their line; `preflight = "warn"`
//! makes them warnings; a reference made by another resource of the same
//! apply is checked at apply; an unchanged plan reads nothing.

mod support;

use aws_config::{BehaviorVersion, Region};
use support::aws::Aws;
use support::aws_provider::{aws_provider_zip, install_both};
use support::proxy::Proxy;
use support::{checked_endpoint, flat, line_of, moto, unique, Output, Tf};

const HEADER: &str = r#"terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}
"#;

struct Broken {
    aws: Aws,
    name: String,
    main: String,
}

/// A stream whose bucket and function do not exist, whose destination key
/// is asymmetric and whose backup key is disabled.
async fn broken(provider: &str) -> Broken {
    let aws = support::aws::clients(moto()).await;
    let name = unique("pre");
    let backup = aws.create_bucket(&format!("{name}-backup")).await;
    let asym = aws
        .kms
        .create_key()
        .key_spec(aws_sdk_kms::types::KeySpec::Rsa2048)
        .key_usage(aws_sdk_kms::types::KeyUsageType::SignVerify)
        .send()
        .await
        .unwrap();
    let asym = asym.key_metadata().unwrap().arn().unwrap().to_string();
    let made = aws.kms.create_key().send().await.unwrap();
    let disabled = made.key_metadata().unwrap().arn().unwrap().to_string();
    // moto disables a key by its ID only.
    aws.kms.disable_key().key_id(made.key_metadata().unwrap().key_id()).send().await.unwrap();
    let main = format!(
        r#"{HEADER}
{provider}
resource "firehose_delivery_stream" "this" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn         = "arn:aws:s3:::{name}-missing"
      encryption_key_arn = "{asym}"
      processor {{
        lambda {{
          function_arn = "arn:aws:lambda:us-east-1:123456789012:function:{name}-missing"
        }}
      }}
      s3_backup {{
        bucket_arn         = "{backup}"
        encryption_key_arn = "{disabled}"
      }}
    }}
  }}
}}
"#
    );
    Broken { aws, name, main }
}

#[track_caller]
fn diagnostic_at(text: &str, main: &str, kind: &str, needle: &str, says: &str) {
    let line = line_of(main, needle);
    let at = format!("on main.tf line {line},");
    let block = text
        .split(&format!("{kind}: "))
        .find(|d| flat(d).contains(&at))
        .unwrap_or_else(|| panic!("no {kind} at line {line} ({needle}):\n{text}"));
    assert!(flat(block).contains(says), "{kind} at line {line} should say {says:?}:\n{block}");
}

#[tokio::test(flavor = "multi_thread")]
async fn references_that_cannot_work_fail_the_plan_at_their_lines() {
    let b = broken("").await;
    let text = Tf::new(&b.main).plan().failed().all();
    assert_eq!(text.matches("Error: ").count(), 4, "{text}");
    let name = &b.name;
    diagnostic_at(
        &text,
        &b.main,
        "Error",
        &format!("{name}-missing\""),
        &format!("bucket {name}-missing does not exist"),
    );
    diagnostic_at(&text, &b.main, "Error", "function_arn", "does not exist");
    diagnostic_at(&text, &b.main, "Error", "encryption_key_arn = \"arn:aws:kms", "RSA_2048 key for SIGN_VERIFY");
    let backup_key_line = b.main.lines().filter(|l| l.contains("encryption_key_arn")).nth(1).unwrap();
    diagnostic_at(&text, &b.main, "Error", backup_key_line, "is Disabled, not Enabled");
    drop(b.aws);
}

#[tokio::test(flavor = "multi_thread")]
async fn preflight_warn_turns_each_error_into_a_warning() {
    let b = broken("provider \"firehose\" {\n  preflight = \"warn\"\n}\n").await;
    let text = Tf::new(&b.main).plan().ok().all();
    for says in ["does not exist", "RSA_2048", "Disabled"] {
        assert!(text.contains("Warning: ") && flat(&text).contains(says), "{says:?}:\n{text}");
    }
    assert!(!text.contains("similar warning"), "each warning says its own problem:\n{text}");
    assert!(!text.contains("Error:"), "{text}");
    let off = b.main.replace("\"warn\"", "\"off\"");
    let text = Tf::new(&off).plan().ok().all();
    assert!(!text.contains("does not exist") && !text.contains("Disabled"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_bucket_is_one_diagnostic_at_bucket_arn() {
    let name = unique("nobucket");
    let main = support::stream_config(&name, "", "");
    let tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("bucket_arn = \"arn:aws:s3:::{name}-nowhere\"\n"));
    let text = tf.plan().failed().all();
    assert_eq!(text.matches("Error:").count(), 1, "{text}");
    assert!(text.contains(&format!("on main.tf line {},", line_of(&main, "bucket_arn ="))), "{text}");
    assert!(flat(&text).contains(&format!("bucket {name}-nowhere does not exist")), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_source_stream_in_another_region_fails_at_its_line() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("west");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .endpoint_url(moto())
        .credentials_provider(aws_credential_types::Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await;
    let west = aws_sdk_kinesis::Client::new(&conf);
    west.create_stream().stream_name(&name).shard_count(1).send().await.unwrap();
    let arn = format!("arn:aws:kinesis:us-west-2:123456789012:stream/{name}");
    let main = support::stream_config(&name, &format!("  source_stream_arn = \"{arn}\""), "");
    let tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    let text = tf.plan().failed().all();
    diagnostic_at(
        &text,
        &main,
        "Error",
        "source_stream_arn",
        "Firehose reads only a stream in its own account and region",
    );
}

/// Nothing is read again when the references did not change.
#[tokio::test(flavor = "multi_thread")]
async fn an_unchanged_plan_reads_no_references() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("quiet");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let function = aws.create_function(&format!("{name}-fn")).await;
    let proxy = Proxy::in_front_of(moto());
    let main = support::stream_config(
        &name,
        "",
        &format!(
            "      processor {{\n        lambda {{\n          function_arn = \"{function}\"\n        }}\n      }}"
        ),
    );
    let tf = Tf::with_endpoint(&main, proxy.url());
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    proxy.reset();
    tf.plan().ok();
    let stats = proxy.stats();
    assert_eq!(stats["by_action"]["s3:HEAD"], 1, "a create reads its bucket: {stats}");
    tf.apply().ok();
    proxy.reset();
    tf.assert_no_changes();
    let stats = proxy.stats();
    let actions: Vec<&String> = stats["by_action"].as_object().unwrap().keys().collect();
    assert!(
        actions.iter().all(|a| !a.starts_with("lambda:") && a.as_str() != "s3:HEAD"),
        "an unchanged plan read references: {actions:?}"
    );
    tf.destroy().ok();
}

/// A bucket that hashicorp/aws makes in the same apply is unknown at plan:
/// the plan passes, and the check runs at apply, before the stream is made.
#[tokio::test(flavor = "multi_thread")]
async fn a_bucket_made_in_the_same_apply_is_checked_at_apply() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("sameapply");
    let main = format!(
        r#"terraform {{
  required_providers {{
    aws      = {{ source = "hashicorp/aws", version = "3.39.0" }}
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

provider "aws" {{
  region = "us-east-1"
}}

resource "aws_s3_bucket" "data" {{
  bucket        = "{name}-made-now"
  force_destroy = true
}}

resource "firehose_delivery_stream" "this" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn = aws_s3_bucket.data.arn
    }}
  }}
}}
"#
    );
    let tf = Tf::new(&main);
    install_both(&tf, &aws_provider_zip(), moto());
    let plan: Output = tf.plan().ok();
    assert!(plan.all().contains("Plan: 2 to add"), "{}", plan.all());
    tf.apply().ok();
    aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.expect("stream made");
    tf.destroy().ok();
}

// ---------------------------------------------------------------- every other reference

/// A plan of `main` that fails with exactly the errors `expected` names,
/// each as (a text on its line, what it says), and creates nothing.
async fn fails_at(main: &str, name: &str, expected: &[(&str, &str)]) {
    let text = Tf::new(main).plan().failed().all();
    assert_eq!(text.matches("Error: ").count(), expected.len(), "{text}");
    for (needle, says) in expected {
        diagnostic_at(&text, main, "Error", needle, says);
    }
    let aws = support::aws::clients(moto()).await;
    assert!(aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await.is_err(), "made {name}");
}

fn stream(name: &str, body: &str) -> String {
    format!("{HEADER}\nresource \"firehose_delivery_stream\" \"this\" {{\n  name = \"{name}\"\n{body}\n}}\n")
}

/// Format conversion's Glue table, and the alarms' SNS topics.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_glue_table_and_alarm_topic_fail_at_their_lines() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("glue");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let db = name.replace('-', "_");
    aws.create_glue_table(&db, "events");
    let topic = aws.create_topic(&format!("{name}-ops"));
    let body = format!(
        r#"  alarms {{
    actions    = ["{topic}", "arn:aws:sns:us-east-1:123456789012:{name}-nobody"]
  }}
  destination {{
    s3_bucket {{
      bucket_arn = "{bucket}"
      data_format_conversion {{
        input {{
          openx_json {{}}
        }}
        output {{
          parquet {{}}
        }}
        schema {{
          database_name = "{db}"
          table_name    = "missing"
        }}
      }}
    }}
  }}"#
    );
    let main = stream(&name, &body);
    fails_at(&main, &name, &[("table_name", "Glue table"), ("-nobody", "notify no one")]).await;
    // With the table there, the plan passes.
    let ok = main
        .replace("\"missing\"", "\"events\"")
        .replace(&format!(", \"arn:aws:sns:us-east-1:123456789012:{name}-nobody\""), "");
    assert!(Tf::new(&ok).plan().ok().all().contains("Plan: 1 to add"));
}

/// A Redshift cluster named by the JDBC URL, a secret without the keys
/// Firehose reads, and a Serverless workgroup.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_redshift_cluster_or_workgroup_and_a_secret_without_keys_fail() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("rsfl");
    let staging = aws.create_bucket(&format!("{name}-staging")).await;
    let secret = support::aws::create_secret(moto(), &format!("{name}-creds"), r#"{"username": "loader"}"#);
    let redshift = |url: &str, secret: &str| {
        stream(
            &name,
            &format!(
                r#"  destination {{
    redshift {{
      cluster_jdbc_url = "{url}"
      secret_arn       = "{secret}"
      data_table_name  = "events"
      s3_staging {{
        bucket_arn = "{staging}"
      }}
    }}
  }}"#
            ),
        )
    };
    let nowhere = "jdbc:redshift://nowhere.abc123xyz.us-east-1.redshift.amazonaws.com:5439/dev";
    fails_at(
        &redshift(nowhere, &secret),
        &name,
        &[("cluster_jdbc_url", "Redshift cluster nowhere"), ("secret_arn", "lacks the JSON key \"password\"")],
    )
    .await;
    let wg = "jdbc:redshift://nowg.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev";
    let missing = format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}-none-AbCdEf");
    fails_at(
        &redshift(wg, &missing),
        &name,
        &[("cluster_jdbc_url", "Redshift Serverless workgroup nowg"), ("secret_arn", "does not exist")],
    )
    .await;
    // A real cluster, and a secret with both keys: the plan passes.
    let url = support::aws::create_redshift_cluster(moto(), &format!("{name}-c"));
    let good = support::aws::create_secret(moto(), &format!("{name}-ok"), r#"{"username": "u", "password": "p"}"#);
    assert!(Tf::new(&redshift(&url, &good)).plan().ok().all().contains("Plan: 1 to add"));
}

/// An OpenSearch domain by endpoint, subnets and security groups in two
/// VPCs, and a Serverless collection.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_domain_or_collection_and_a_split_vpc_fail_at_their_lines() {
    let name = unique("osfl");
    let (subnet, _, elsewhere) = support::aws::create_vpc_parts(moto());
    let body = format!(
        r#"  destination {{
    opensearch {{
      cluster_endpoint = "https://search-nodomain-abc123.us-east-1.es.amazonaws.com"
      index_name       = "events"
      vpc {{
        subnet_ids         = ["{subnet}"]
        security_group_ids = ["{elsewhere}"]
      }}
      s3_backup {{}}
    }}
  }}"#
    );
    fails_at(
        &stream(&name, &body),
        &name,
        &[("cluster_endpoint", "domain nodomain does not exist"), ("subnet_ids", "2 VPCs")],
    )
    .await;
    let body = r#"  destination {
    opensearch_serverless {
      collection_endpoint = "https://nosuchcollection1.us-east-1.aoss.amazonaws.com"
      index_name          = "events"
      s3_backup {}
    }
  }"#;
    fails_at(&stream(&name, body), &name, &[("collection_endpoint", "collection nosuchcollection1 does not exist")])
        .await;
    let body = r#"  destination {
    opensearch {
      domain_arn = "arn:aws:es:us-east-1:123456789012:domain/nodomain"
      index_name = "events"
      s3_backup {}
    }
  }"#;
    fails_at(&stream(&name, body), &name, &[("domain_arn", "domain nodomain does not exist")]).await;
}

/// Iceberg tables, and, with `table_creation`, their database.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_iceberg_table_or_database_fails_at_its_line() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("icefl");
    let lake = aws.create_bucket(&format!("{name}-lake")).await;
    let db = name.replace('-', "_");
    aws.create_glue_table(&db, "orders");
    let iceberg = |creation: bool, database: &str| {
        stream(
            &name,
            &format!(
                r#"  destination {{
    iceberg {{
      warehouse_location = "s3://{}/w/"
      table_creation     = {creation}
      table {{
        database = "{db}"
        name     = "orders"
      }}
      table {{
        database = "{database}"
        name     = "refunds"
      }}
      s3_backup {{}}
    }}
  }}"#,
                lake.trim_start_matches("arn:aws:s3:::")
            ),
        )
    };
    fails_at(&iceberg(false, &db), &name, &[("\"refunds\"", "Glue table")]).await;
    // Firehose creates missing tables then; only the database must exist.
    assert!(Tf::new(&iceberg(true, &db)).plan().ok().all().contains("Plan: 1 to add"));
    let main = iceberg(true, "nodb");
    fails_at(&main, &name, &[("\"nodb\"", "Glue database nodb")]).await;
}

/// The MSK cluster, and its authentication against `connectivity`.
#[tokio::test(flavor = "multi_thread")]
async fn an_msk_cluster_must_exist_and_allow_the_connectivity() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("mskfl");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let private_only = support::aws::create_msk_cluster(checked_endpoint(), &format!("{name}-p"), true, false);
    let no_iam = support::aws::create_msk_cluster(checked_endpoint(), &format!("{name}-n"), false, true);
    let msk = |cluster: &str, connectivity: &str| {
        stream(
            &name,
            &format!(
                r#"  source_msk {{
    cluster_arn  = "{cluster}"
    topic_name   = "orders"
    connectivity = "{connectivity}"
  }}
  destination {{
    s3_bucket {{
      bucket_arn = "{bucket}"
    }}
  }}"#
            ),
        )
    };
    let missing = private_only.replace(&format!("{name}-p/"), &format!("{name}-x/"));
    fails_at(&msk(&missing, "PRIVATE"), &name, &[("cluster_arn", "does not exist")]).await;
    fails_at(&msk(&private_only, "PUBLIC"), &name, &[("cluster_arn", "public access off")]).await;
    fails_at(&msk(&no_iam, "PUBLIC"), &name, &[("cluster_arn", "IAM access control")]).await;
    assert!(Tf::new(&msk(&private_only, "PRIVATE")).plan().ok().all().contains("Plan: 1 to add"));
}

/// A secret of a Splunk or HTTP endpoint stream, and the same references
/// unknown at plan (made by another resource in the same apply): the plan
/// passes, and the check waits for apply.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_secret_fails_and_unknown_references_plan() {
    let name = unique("secfl");
    let missing = format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}-none-AbCdEf");
    let splunk = |secret: &str| {
        stream(
            &name,
            &format!(
                r#"  destination {{
    splunk {{
      hec_endpoint = "https://http-inputs.example.splunkcloud.com:443"
      secret_arn   = {secret}
      s3_backup {{}}
    }}
  }}"#
            ),
        )
    };
    fails_at(&splunk(&format!("\"{missing}\"")), &name, &[("secret_arn", "does not exist")]).await;
    let token = support::aws::create_secret(moto(), &format!("{name}-hec"), r#"{"HEC_TOKEN": "t"}"#);
    fails_at(&splunk(&format!("\"{token}\"")), &name, &[("secret_arn", "lacks the JSON key \"hec_token\"")]).await;

    // terraform_data's output is unknown until it is applied.
    let unknown = |value: &str| format!("resource \"terraform_data\" \"later\" {{\n  input = \"{value}\"\n}}\n");
    let main = format!("{}{}", splunk("terraform_data.later.output"), unknown(&missing));
    let plan = Tf::new(&main).plan().ok().all();
    assert!(plan.contains("Plan: 2 to add") && !plan.contains("does not exist"), "{plan}");
    let wg = "jdbc:redshift://nowg.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev";
    let later = |attr: &str| format!("{attr} = terraform_data.later.output");
    let main = format!(
        "{}{}",
        stream(
            &name,
            &format!(
                "  destination {{\n    redshift {{\n      {}\n      username = \"u\"\n      password_wo = \"password\"\n      \
                 data_table_name = \"t\"\n      s3_staging {{\n        bucket_arn = \"arn:aws:s3:::{name}-nowhere\"\n      \
                 }}\n    }}\n  }}",
                later("cluster_jdbc_url")
            )
        ),
        unknown(wg)
    );
    let text = Tf::new(&main).plan().failed().all();
    // The staging bucket is known and missing; the unknown URL is not read.
    assert_eq!(text.matches("Error: ").count(), 1, "{text}");
    assert!(flat(&text).contains("does not exist") && !text.contains("workgroup"), "{text}");
}
