//! The check against a fake AWS: what it puts where, where it looks, and
//! the verdict and diagnostics each outcome gives.

use std::time::Duration;

use super::*;
use crate::actions::delivery_check::facts::{facts, Objects};
use crate::actions::delivery_check::testing::{http_stream, s3_stream, sourced_stream, FakeAws, OnPut};

fn opts(timeout_ms: u64) -> Options {
    Options { timeout: Some(Duration::from_millis(timeout_ms)), canary: true, poll: Duration::from_millis(10) }
}

async fn run(aws: &FakeAws, o: &Options) -> (Result<Verdict, String>, Vec<String>) {
    let (progress, mut lines) = Progress::channel();
    let v = check(aws, "orders", o, &progress).await;
    drop(progress);
    let mut said = Vec::new();
    while let Some(l) = lines.recv().await {
        said.push(l);
    }
    (v, said)
}

fn deliver(bucket: &str, key: &str, gzip: bool) -> Option<OnPut> {
    Some(OnPut::Deliver { bucket: bucket.into(), key: key.into(), gzip })
}

#[test]
fn facts_read_where_records_land_and_errors_go() {
    let f = facts(&s3_stream("logs/", Some("errors/!{firehose:error-output-type}/"), 300));
    assert_eq!(f.source, Source::DirectPut);
    assert_eq!(
        f.delivered,
        Some(Objects { bucket: "data".into(), prefix: "logs/".into(), dated: true, encoding: "GZIP".into() })
    );
    assert_eq!(
        f.failed,
        Some(Objects {
            bucket: "data".into(),
            prefix: "errors/".into(),
            dated: false,
            encoding: "UNCOMPRESSED".into()
        })
    );
    assert_eq!(f.log_group.as_deref(), Some("/aws/kinesisfirehose/orders"));
    assert_eq!(f.log_streams, vec!["S3Destination".to_string()]);
    assert_eq!((f.buffering_seconds, f.records_metric), (300, "DeliveryToS3.Records"));

    let dynamic = facts(&s3_stream("year=!{timestamp:yyyy}/", None, 60));
    let mut zoned = s3_stream("logs/", None, 60);
    zoned.destinations[0].extended_s3_destination_description.as_mut().unwrap().custom_time_zone =
        Some("Europe/Berlin".into());
    assert_eq!(facts(&zoned).delivered.map(|o| (o.prefix, o.dated)), Some(("logs/".to_string(), false)));
    assert_eq!(dynamic.delivered.map(|o| (o.prefix, o.dated)), Some(("year=".to_string(), false)));

    let http = facts(&http_stream(true));
    assert_eq!(
        (http.destination, http.records_metric, http.buffering_seconds),
        ("HTTP endpoint", "DeliveryToHttpEndpoint.Records", 60)
    );
    assert_eq!(http.backup_all.map(|o| o.bucket), Some("backup".to_string()));
    assert_eq!(http.log_streams, vec!["HttpEndpointDelivery".to_string(), "S3Backup".to_string()]);
    assert_eq!(facts(&http_stream(false)).backup_all, None);

    assert!(matches!(facts(&sourced_stream(true)).source, Source::Closed(_)));
    assert_eq!(
        facts(&sourced_stream(false)).source,
        Source::Kinesis { stream_arn: "arn:aws:kinesis:us-east-1:123456789012:stream/src".into() }
    );
}

#[tokio::test]
async fn a_delivered_canary_is_found_in_its_gzipped_object_under_the_hour_prefix() {
    let aws = FakeAws {
        stream: Some(s3_stream("logs/", None, 300)),
        on_put: deliver("data", "logs/{hour}orders-1.gz", true),
        ..FakeAws::default()
    };
    // An older object in the same prefix is not read.
    aws.objects
        .lock()
        .unwrap()
        .insert(("data".into(), format!("logs/{}old.gz", canary::hour_prefix(now_ms()))), (0, vec![]));
    let (v, said) = run(&aws, &Options { timeout: None, ..opts(0) }).await;
    let Ok(Verdict::Delivered { canary, evidence }) = v else { panic!("{v:?}") };
    let hour = canary::hour_prefix(now_ms());
    assert_eq!(evidence, format!("s3://data/logs/{hour}orders-1.gz"));
    assert!(said[0].contains(&format!("canary {canary} put; waiting up to 420s for Amazon S3")), "{said:?}");
    let calls = aws.calls();
    assert_eq!(calls[..3], ["describe orders", "firehose put orders", "logs /aws/kinesisfirehose/orders"]);
    assert!(calls.contains(&format!("list s3://data/logs/{hour}")), "{calls:?}");
    assert!(!calls.iter().any(|c| c.ends_with("old.gz")), "{calls:?}");
    let put = aws.put.lock().unwrap().clone().unwrap();
    assert!(String::from_utf8(put).unwrap().contains(&format!("\"{}\":\"{canary}\"", canary::FIELD)));

    let (progress, mut lines) = Progress::channel();
    let d = report("orders", &Verdict::Delivered { canary: "c1".into(), evidence: "s3://data/k".into() }, &progress);
    assert_eq!(d, crate::protocol::Diagnostics::new());
    assert_eq!(lines.recv().await.unwrap(), "orders: delivered: canary c1: s3://data/k");
}

#[tokio::test]
async fn a_logged_error_fails_the_check_with_its_code_message_and_fix() {
    let aws = FakeAws {
        stream: Some(s3_stream("logs/", None, 300)),
        on_put: Some(OnPut::Log("S3.AccessDenied", "Access was denied.")),
        ..FakeAws::default()
    };
    let (v, _) = run(&aws, &opts(2_000)).await;
    let v = v.unwrap();
    let Verdict::Failed { error, .. } = &v else { panic!("{v:?}") };
    assert_eq!(error.code, "S3.AccessDenied");
    let (progress, _lines) = Progress::channel();
    let text = format!("{:?}", report("orders", &v, &progress));
    assert!(text.contains("orders failed to deliver: S3.AccessDenied"), "{text}");
    assert!(text.contains("Access was denied.") && text.contains("trust policy"), "{text}");
    assert!(report("orders", &v, &progress).has_errors());
}

#[tokio::test]
async fn nothing_seen_in_time_is_a_warning_naming_what_was_checked() {
    let aws = FakeAws { stream: Some(s3_stream("logs/", Some("errors/"), 300)), ..FakeAws::default() };
    let (v, said) = run(&aws, &opts(60)).await;
    let v = v.unwrap();
    let Verdict::NotSeen { checked, waited, .. } = &v else { panic!("{v:?}") };
    assert!(*waited >= Duration::from_millis(60));
    assert_eq!(checked[..2], ["s3://data/logs/".to_string(), "s3://data/errors/".to_string()]);
    let waiting: Vec<_> = said.iter().filter(|l| l.starts_with("orders: not seen yet after")).collect();
    assert_eq!(waiting.len(), 1, "the first look says so, later ones only every 30 s: {said:?}");
    let (progress, _lines) = Progress::channel();
    let d = report("orders", &v, &progress);
    assert!(!d.has_errors());
    let text = format!("{d:?}");
    assert!(
        text.contains("the canary was not seen within") && text.contains("log group /aws/kinesisfirehose/orders"),
        "{text}"
    );
}

#[tokio::test]
async fn a_canary_under_the_error_prefix_fails_the_check() {
    let aws = FakeAws {
        stream: Some(s3_stream("logs/", Some("errors/"), 300)),
        on_put: deliver("data", "errors/processing-failed/x", false),
        ..FakeAws::default()
    };
    let (v, _) = run(&aws, &opts(2_000)).await;
    let Ok(Verdict::Failed { error, evidence, .. }) = v else { panic!("{v:?}") };
    assert_eq!(error.code, "ProcessingFailed");
    assert_eq!(evidence, "s3://data/errors/processing-failed/x");
}

#[tokio::test]
async fn other_kinds_are_judged_by_the_records_metric_and_the_backup_of_all_records() {
    let aws = FakeAws {
        stream: Some(http_stream(true)),
        on_put: deliver("backup", "bk/{hour}b-1", false),
        metric_after_put: 1.0,
        ..FakeAws::default()
    };
    let (v, _) = run(&aws, &opts(2_000)).await;
    let Ok(Verdict::Delivered { evidence, .. }) = v else { panic!("{v:?}") };
    assert!(evidence.starts_with("DeliveryToHttpEndpoint.Records counted 1 records"), "{evidence}");
    assert!(evidence.contains("the canary is in the backup, s3://backup/bk/"), "{evidence}");
}

#[tokio::test]
async fn a_kinesis_source_gets_the_canary_on_the_kinesis_stream() {
    let aws =
        FakeAws { stream: Some(sourced_stream(false)), on_put: deliver("data", "{hour}k", true), ..FakeAws::default() };
    let (v, _) = run(&aws, &opts(2_000)).await;
    assert!(matches!(v, Ok(Verdict::Delivered { .. })), "{v:?}");
    assert!(aws.calls().contains(&"kinesis put arn:aws:kinesis:us-east-1:123456789012:stream/src".to_string()));
}

#[tokio::test]
async fn msk_streams_and_a_disabled_canary_get_no_record_only_the_log_read() {
    for (stream, canary) in [(sourced_stream(true), true), (s3_stream("", None, 60), false)] {
        let aws = FakeAws { stream: Some(stream), ..FakeAws::default() };
        let (v, said) = run(&aws, &Options { canary, ..opts(50) }).await;
        assert!(matches!(v, Ok(Verdict::Quiet { .. })), "{v:?}");
        assert_eq!(aws.calls(), ["describe orders", "logs /aws/kinesisfirehose/orders"]);
        assert!(said[0].contains("no canary sent"), "{said:?}");
        aws.errors.lock().unwrap().push(crate::aws::delivery_log::DeliveryError {
            code: "S3.AccessDenied".into(),
            message: "denied".into(),
            at_ms: now_ms() - 60_000,
        });
        let (v, _) = run(&aws, &Options { canary, ..opts(50) }).await;
        assert!(matches!(v, Ok(Verdict::Failed { canary: None, .. })), "{v:?}");
        assert!(!aws.calls().iter().any(|c| c.contains("put")));
    }
}

#[tokio::test]
async fn a_missing_or_inactive_stream_is_refused_before_any_put() {
    let aws = FakeAws::default();
    let (v, _) = run(&aws, &opts(50)).await;
    assert_eq!(v, Err("there is no delivery stream named \"orders\"".into()));
    let mut creating = s3_stream("", None, 60);
    creating.delivery_stream_status = aws_sdk_firehose::types::DeliveryStreamStatus::Creating;
    let aws = FakeAws { stream: Some(creating), ..FakeAws::default() };
    let (v, _) = run(&aws, &opts(50)).await;
    assert!(v.unwrap_err().contains("CREATING"));
    assert_eq!(aws.calls(), ["describe orders"]);
}

#[test]
fn hour_prefixes_span_the_canary_to_now() {
    let at = Objects { bucket: "b".into(), prefix: "p/".into(), dated: true, encoding: "GZIP".into() };
    let t = 1_796_940_000_000; // 2026-12-10 22:00 UTC
    assert_eq!(prefixes(&at, t + 60_000, t + 120_000), ["p/2026/12/10/22/"]);
    assert_eq!(prefixes(&at, t - 60_000, t + 60_000), ["p/2026/12/10/21/", "p/2026/12/10/22/"]);
    let flat = Objects { dated: false, ..at };
    assert_eq!(prefixes(&flat, t, t), ["p/"]);
}
