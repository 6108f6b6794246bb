//! The error records Firehose writes to a stream's CloudWatch log group
//! when a delivery fails (Amazon Data Firehose, "Monitoring with CloudWatch
//! Logs"): one JSON document per event, e.g.
//!
//! ```json
//! {"deliveryStreamARN": "arn:aws:firehose:us-east-1:123456789012:deliverystream/orders",
//!  "destination": "arn:aws:s3:::orders-data", "deliveryStreamVersionId": 1,
//!  "message": "Access was denied. ...", "errorCode": "S3.AccessDenied"}
//! ```
//!
//! Read by the delivery check (`docs/guides/delivery-check.md`) and by
//! `delivery_health` at refresh.

use std::collections::BTreeMap;

/// One delivery error as Firehose logged it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryError {
    pub code: String,
    pub message: String,
    /// Milliseconds since the epoch, as CloudWatch Logs stamps the event.
    pub at_ms: i64,
}

/// The delivery error an event of the log group records, if it is one
/// about stream `stream` (a log group given by the user may hold other
/// streams' errors, or other lines entirely).
pub fn parse(stream: &str, text: &str, at_ms: i64) -> Option<DeliveryError> {
    let doc: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
    let code = doc.get("errorCode")?.as_str()?;
    let arn = doc.get("deliveryStreamARN").and_then(|a| a.as_str()).unwrap_or_default();
    if !arn.is_empty() && arn.rsplit('/').next() != Some(stream) {
        return None;
    }
    let message = doc.get("message").and_then(|m| m.as_str()).unwrap_or_default();
    Some(DeliveryError { code: code.to_string(), message: message.to_string(), at_ms })
}

/// What a run of errors amounts to: how many, each code with its count
/// (most frequent first), and the latest error.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub codes: Vec<(String, usize)>,
    pub latest: DeliveryError,
}

pub fn summarize(errors: &[DeliveryError]) -> Option<Summary> {
    let latest = errors.iter().max_by_key(|e| e.at_ms)?.clone();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in errors {
        *counts.entry(e.code.as_str()).or_default() += 1;
    }
    let mut codes: Vec<(String, usize)> = counts.into_iter().map(|(c, n)| (c.to_string(), n)).collect();
    codes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Some(Summary { count: errors.len(), codes, latest })
}

impl Summary {
    /// "S3.AccessDenied (40), S3.KMS.AccessDenied (2)".
    pub fn code_list(&self) -> String {
        self.codes.iter().map(|(c, n)| format!("{c} ({n})")).collect::<Vec<_>>().join(", ")
    }
}

/// What to look at for an error code: the usual causes of the documented
/// codes, by the part of the code that names the failure.
pub fn fix_for(code: &str) -> &'static str {
    let has = |s: &str| code.contains(s);
    if has("KMS") {
        "Check that the key policy of the KMS key lets the destination role use the key (kms:Decrypt, kms:GenerateDataKey), and that the key is enabled."
    } else if has("AccessDenied") || has("AssumeRole") || has("Unauthorized") {
        "Check the destination role: its trust policy must let firehose.amazonaws.com assume it, and neither its policy nor the target's resource policy (bucket, key, domain) may deny it."
    } else if has("NoSuchBucket") || has("NotFound") || has("DoesNotExist") {
        "The target no longer exists or is in another account or region: check the ARN the stream delivers to."
    } else if code.starts_with("HttpEndpoint") {
        "Check the endpoint's URL and access key, and that it answers Firehose's requests with a 200 and the request ID, within the timeout."
    } else if code.starts_with("Splunk") {
        "Check the HEC token, that the HEC endpoint is reachable from Firehose, and that indexer acknowledgement is enabled for the token."
    } else if code.starts_with("Redshift") {
        "Check the COPY command's table and options, the user's permissions on the table, and that the cluster accepts connections from Firehose's addresses."
    } else if code.starts_with("Lambda") {
        "Check the processing Lambda function: its permissions, its timeout, and that it returns every record with a result."
    } else {
        "Look up the error code in Amazon Data Firehose's list of data delivery errors."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:firehose:us-east-1:123456789012:deliverystream/orders";

    fn record(stream_arn: &str, code: &str) -> String {
        serde_json::json!({
            "deliveryStreamARN": stream_arn, "destination": "arn:aws:s3:::orders-data",
            "deliveryStreamVersionId": 1, "message": format!("{code} happened"), "errorCode": code,
        })
        .to_string()
    }

    #[test]
    fn reads_the_documented_record_of_its_own_stream_only() {
        let e = parse("orders", &record(ARN, "S3.AccessDenied"), 7).unwrap();
        assert_eq!(
            e,
            DeliveryError { code: "S3.AccessDenied".into(), message: "S3.AccessDenied happened".into(), at_ms: 7 }
        );
        assert_eq!(parse("other", &record(ARN, "S3.AccessDenied"), 7), None);
        assert_eq!(parse("orders", "START RequestId: 1", 7), None);
        assert_eq!(parse("orders", r#"{"message": "no code"}"#, 7), None);
    }

    #[test]
    fn a_summary_counts_codes_most_frequent_first_and_keeps_the_latest() {
        let e = |code: &str, at_ms| DeliveryError { code: code.into(), message: format!("{code} at {at_ms}"), at_ms };
        let s = summarize(&[e("S3.KMS.AccessDenied", 5), e("S3.AccessDenied", 1), e("S3.AccessDenied", 3)]).unwrap();
        assert_eq!(s.count, 3);
        assert_eq!(s.code_list(), "S3.AccessDenied (2), S3.KMS.AccessDenied (1)");
        assert_eq!(s.latest.message, "S3.KMS.AccessDenied at 5");
        assert_eq!(summarize(&[]), None);
    }

    #[test]
    fn fixes_name_what_to_check() {
        assert!(fix_for("S3.AccessDenied").contains("trust policy"));
        assert!(fix_for("S3.KMS.AccessDenied").contains("key policy"));
        assert!(fix_for("Splunk.InvalidToken").contains("HEC token"));
        assert!(fix_for("HttpEndpoint.InvalidResponseFromDestination").contains("endpoint"));
    }
}
