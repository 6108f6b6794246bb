use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::super::testing::{self};
use super::{api, rules, Redshift};
use crate::protocol::Value;
use crate::resources::delivery_stream::derive;
use crate::resources::delivery_stream::kind::Destination;

const URL: &str = "jdbc:redshift://analytics.abc123xyz.us-east-1.redshift.amazonaws.com:5439/events";
const STAGING: &str = "arn:aws:s3:::redshift-staging";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-creds-AbCdEf";

fn config(block: serde_json::Value) -> Value {
    testing::config(
        "redshift",
        json!({"cluster_jdbc_url": URL, "data_table_name": "events", "username": "firehose",
               "password_wo": "s3cret-pass", "s3_staging": [{"bucket_arn": STAGING}]}),
        block,
    )
}

fn errors(c: &Value) -> Vec<(String, String)> {
    testing::errors(c, "redshift")
}

#[test]
fn jdbc_urls_of_clusters_and_workgroups() {
    assert!(rules::jdbc_url(URL).is_ok());
    assert!(
        rules::jdbc_url("jdbc:redshift://wg.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev").is_ok()
    );
    for (bad, why) in [
        ("jdbc:mysql://a.redshift.amazonaws.com:5439/db", "must start with jdbc:redshift://"),
        ("jdbc:redshift://a.redshift.amazonaws.com/db", "no :<port>"),
        ("jdbc:redshift://a.redshift.amazonaws.com:54x9/db", "not a number"),
        ("jdbc:redshift://a.redshift.amazonaws.com:5439", "no /<database>"),
        ("jdbc:redshift://db.example.com:5439/db", "not a Redshift endpoint"),
        ("jdbc:redshift://-a.redshift.amazonaws.com:5439/db", "not a Redshift endpoint"),
        ("jdbc:redshift://a.redshift.amazonaws.com:5439/my db", "database name"),
    ] {
        let e = rules::jdbc_url(bad).unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn rules_with_their_paths() {
    assert!(errors(&config(json!({}))).is_empty(), "{:?}", errors(&config(json!({}))));
    let cases = [
        (json!({"cluster_jdbc_url": "jdbc:redshift://db.example.com:5439/x"}), "cluster_jdbc_url", "Redshift endpoint"),
        (json!({"copy_options": "JSON 'auto'; DROP TABLE events"}), "copy_options", "';'"),
        (json!({"copy_options": "CREDENTIALS 'aws_iam_role=x'"}), "copy_options", "CREDENTIALS"),
        (json!({"copy_options": "json 'auto' manifest"}), "copy_options", "MANIFEST"),
        (json!({"copy_options": "JSON 'auto' GZIP"}), "copy_options", "compression is UNCOMPRESSED"),
        (
            json!({"s3_staging": [{"bucket_arn": STAGING, "compression": "GZIP"}], "copy_options": "JSON 'auto'"}),
            "copy_options",
            "must include GZIP",
        ),
        (
            json!({"s3_staging": [{"bucket_arn": STAGING, "compression": "SNAPPY"}]}),
            "s3_staging[0].compression",
            "UNCOMPRESSED or GZIP",
        ),
        (json!({"data_table_columns": "a,,b"}), "data_table_columns", "separated by commas"),
        (json!({"retry_duration": 7201}), "retry_duration", "between 0 and 7200"),
        (
            json!({"s3_backup": [{"mode": "FAILED"}]}),
            "s3_backup[0].mode",
            "a redshift destination backs up all source records or none",
        ),
        (json!({"s3_backup": [{"mode": "all"}]}), "s3_backup[0].mode", "did you mean \"ALL\"?"),
        (json!({"secret_arn": SECRET, "password_wo": null}), "username", "secret holds the user name"),
        (json!({"password_wo": null}), "destination[0].redshift[0]", "password_wo"),
        (json!({"username": null}), "destination[0].redshift[0]", "set username"),
        (json!({"secret_arn": SECRET}), "secret_arn", "not both"),
        (
            json!({"processor": [{"metadata_extraction": [{"query": "{a: .a}"}]}]}),
            "processor[0].metadata_extraction",
            "dynamic partitioning",
        ),
    ];
    for (cfg, path, fragment) in cases {
        let e = errors(&config(cfg.clone()));
        assert!(e.iter().any(|(p, d)| p == path && d.contains(fragment)), "{cfg}: {e:?}");
    }
    // The secret alone is enough, and GZIP on both sides is consistent.
    let ok = config(json!({"secret_arn": SECRET, "username": null, "password_wo": null,
        "s3_staging": [{"bucket_arn": STAGING, "compression": "GZIP"}], "copy_options": "JSON 'auto' gzip"}));
    assert!(errors(&ok).is_empty(), "{:?}", errors(&ok));
}

#[test]
fn plan_grants_the_staging_and_backup_buckets_the_key_and_the_secret() {
    let key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let p = testing::planned(&config(json!({
        "secret_arn": SECRET, "username": null, "password_wo": null,
        "s3_staging": [{"bucket_arn": STAGING, "encryption_key_arn": key}],
        "s3_backup": [{}],
    })));
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let st = |sid: &str| doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == sid).cloned().unwrap();
    let backup = derive::dest(&p).attr("s3_backup").elements()[0].attr("bucket_arn").as_str().unwrap().to_string();
    assert_eq!(
        st("S3Delivery")["Resource"],
        json!([STAGING, format!("{STAGING}/*"), backup.clone(), format!("{backup}/*")])
    );
    assert_eq!(st("S3Encryption")["Resource"], json!(key));
    assert_eq!(st("EndpointSecret")["Resource"], json!(SECRET));
    assert!(!doc.to_string().contains("\"*\""), "{doc}");
    let metrics = p.attr("metrics").entries().unwrap();
    assert!(
        metrics.contains_key("delivery_to_redshift_success") && metrics.contains_key("delivery_to_s3_data_freshness")
    );
}

/// Config → SDK input → description → state; the password is taken from the
/// configuration only and never read back.
#[test]
fn redshift_round_trips_through_the_api() {
    let c = config(json!({
        "password_wo_version": 2,
        "data_table_columns": "id,amount",
        "copy_options": "JSON 'auto' GZIP",
        "retry_duration": 600,
        "s3_staging": [{"bucket_arn": STAGING, "compression": "GZIP", "data_output_prefix": "staging/", "buffering_interval": 60}],
        "s3_backup": [{"bucket_arn": "arn:aws:s3:::redshift-backup"}],
        "processor": [{"append_delimiter_to_record": [{}]}],
    }));
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let p = testing::planned(&c);
    let spec = testing::spec(&p, &c);
    let role = spec.destination_role_arn.clone();
    let bound = testing::bound(&spec);
    let sent = api::create(&bound).unwrap();
    assert_eq!(sent.password(), Some("s3cret-pass"));
    assert_eq!(sent.username(), Some("firehose"));
    assert_eq!(sent.s3_backup_mode(), Some(&fh::RedshiftS3BackupMode::Enabled));
    let staging = sent.s3_configuration().unwrap();
    assert_eq!(staging.compression_format(), Some(&fh::CompressionFormat::Gzip));
    let logs = staging.cloud_watch_logging_options().unwrap();
    assert_eq!(logs.log_stream_name(), Some("RedshiftDelivery"), "staging errors are logged with the destination's");
    let update = api::update(&bound).unwrap();
    assert_eq!(update.copy_command().and_then(|c| c.copy_options()), Some("JSON 'auto' GZIP"));

    let desc = fh::RedshiftDestinationDescription::builder()
        .role_arn(sent.role_arn())
        .cluster_jdbcurl(sent.cluster_jdbcurl())
        .copy_command(sent.copy_command().unwrap().clone())
        .set_username(sent.username().map(str::to_string))
        .set_retry_options(sent.retry_options().cloned())
        .s3_destination_description(testing::described_backup(staging))
        .set_processing_configuration(sent.processing_configuration().cloned())
        .set_s3_backup_mode(sent.s3_backup_mode().cloned())
        .s3_backup_description(testing::described_backup(sent.s3_backup_configuration().unwrap()))
        .set_cloud_watch_logging_options(sent.cloud_watch_logging_options().cloned())
        .set_secrets_manager_configuration(sent.secrets_manager_configuration().cloned())
        .build()
        .unwrap();
    let d = fh::DestinationDescription::builder()
        .destination_id("d")
        .redshift_destination_description(desc)
        .build()
        .unwrap();
    let (read, _) = Redshift.read(&d, "s", &role, Some(derive::dest(&p))).unwrap();
    assert_eq!(&read, derive::dest(&p));
    assert!(!format!("{read:?}").contains("s3cret"));
}

#[test]
fn with_a_secret_no_user_or_password_is_sent() {
    let c = config(json!({"secret_arn": SECRET, "username": null, "password_wo": null}));
    let p = testing::planned(&c);
    let spec = testing::spec(&p, &c);
    let role = spec.destination_role_arn.clone();
    let bound = testing::bound(&spec);
    let sent = api::create(&bound).unwrap();
    assert_eq!((sent.username(), sent.password()), (None, None));
    let sm = sent.secrets_manager_configuration().unwrap();
    assert_eq!((sm.enabled(), sm.secret_arn(), sm.role_arn()), (true, Some(SECRET), Some(role.as_str())));
    assert_eq!(sent.s3_backup_mode(), Some(&fh::RedshiftS3BackupMode::Disabled));
}
