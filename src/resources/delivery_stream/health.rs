//! `delivery_health`: at refresh, the delivery errors the stream logged in
//! the last hour, as a warning on the resource. One FilterLogEvents call
//! per stream (its first page), and only when the attribute is set, so the
//! refresh of other streams costs nothing more.

use crate::aws::call_error;
use crate::aws::delivery_log::{self, DeliveryError};
use crate::protocol::{AttrPath, Diagnostics, Value};
use crate::provider::AwsClients;

/// How far back errors are read: the last hour.
pub const WINDOW_MS: i64 = 60 * 60 * 1000;

/// Now, in milliseconds since the epoch, as CloudWatch stamps events.
pub fn now_ms() -> i64 {
    aws_smithy_types::DateTime::from(std::time::SystemTime::now()).to_millis().unwrap_or_default()
}

/// The delivery errors about `stream` in `group` since `since_ms`, from one
/// call; the flag says more events exist than that call returned.
pub async fn logged_errors(
    aws: &AwsClients,
    stream: &str,
    group: &str,
    log_streams: &[String],
    since_ms: i64,
) -> Result<(Vec<DeliveryError>, bool), String> {
    let mut call = aws.logs.filter_log_events().log_group_name(group).start_time(since_ms);
    if !log_streams.is_empty() {
        call = call.set_log_stream_names(Some(log_streams.to_vec()));
    }
    let out = match call.send().await {
        Ok(o) => o,
        // A log stream Firehose has not written yet: read the whole group;
        // the records name their stream.
        Err(e) if crate::aws::error_code(&e) == Some("ResourceNotFoundException") && !log_streams.is_empty() => {
            return Box::pin(logged_errors(aws, stream, group, &[], since_ms)).await;
        }
        // A log group deleted outside Terraform holds no errors; the refresh
        // reports the group itself as drift.
        Err(e) if crate::aws::error_code(&e) == Some("ResourceNotFoundException") => return Ok((Vec::new(), false)),
        Err(e) => return Err(call_error("FilterLogEvents", group, &e)),
    };
    let errors = out
        .events()
        .iter()
        .filter_map(|e| delivery_log::parse(stream, e.message().unwrap_or_default(), e.timestamp().unwrap_or_default()))
        .collect();
    Ok((errors, out.next_token().is_some()))
}

/// The warning for errors found, or nothing when there are none.
pub fn warn(stream: &str, errors: &[DeliveryError], more: bool, diags: &mut Diagnostics) {
    let Some(s) = delivery_log::summarize(errors) else { return };
    let count = if more { format!("at least {}", s.count) } else { s.count.to_string() };
    let times = if s.count == 1 && !more { "once".to_string() } else { format!("{count} times") };
    diags.warning_at(
        AttrPath::attr("delivery_health"),
        format!("{stream} has failed to deliver {times} in the last hour: {}", s.latest.code),
        format!(
            "Error codes: {}.\nLatest: {}\n{}\nThe errors are in the stream's log group; `delivery_health = false` stops this check.",
            s.code_list(),
            s.latest.message,
            delivery_log::fix_for(&s.latest.code)
        ),
    );
}

/// Whether the state asks for the check, and the log group it reads.
pub fn wanted(state: &Value) -> Option<&str> {
    if state.attr("delivery_health").as_bool() != Some(true) {
        return None;
    }
    state.attr("log_group_name").as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(code: &str, at_ms: i64) -> DeliveryError {
        DeliveryError { code: code.into(), message: format!("{code} message"), at_ms }
    }

    #[test]
    fn the_warning_gives_count_codes_and_latest_message() {
        let mut d = Diagnostics::new();
        warn("orders", &[e("S3.AccessDenied", 1), e("S3.AccessDenied", 2), e("S3.KMS.AccessDenied", 3)], false, &mut d);
        let text = format!("{d:?}");
        assert!(text.contains("orders has failed to deliver 3 times in the last hour: S3.KMS.AccessDenied"), "{text}");
        assert!(text.contains("S3.AccessDenied (2), S3.KMS.AccessDenied (1)"), "{text}");
        assert!(text.contains("S3.KMS.AccessDenied message"), "{text}");
        assert!(!d.has_errors());
    }

    #[test]
    fn a_page_cut_short_says_at_least_and_none_says_nothing() {
        let mut d = Diagnostics::new();
        warn("orders", &[e("S3.AccessDenied", 1)], true, &mut d);
        assert!(format!("{d:?}").contains("at least 1 times"));
        let mut none = Diagnostics::new();
        warn("orders", &[], false, &mut none);
        assert!(format!("{none:?}") == format!("{:?}", Diagnostics::new()));
    }
}
