//! MoveResourceState: `moved { from = aws_kinesis_firehose_delivery_stream.x
//! to = firehose_delivery_stream.x }`. Terraform moves state before it
//! configures the provider, so nothing is read here: the moved state names
//! the stream, and the refresh that follows reads every setting back from
//! AWS exactly as an import does. The roles, log group and key that the
//! hashicorp/aws configuration made are then taken as given (`role_arn`,
//! `log_group_name`, `encryption_key_arn`), and nothing is re-created
//! (docs/guides/migration.md).

use crate::framework::{MoveSource, Outcome};
use crate::protocol::Value;
use crate::provider::Env;

/// The one source this resource accepts.
const AWS_PROVIDER: &str = "registry.terraform.io/hashicorp/aws";
const AWS_TYPE: &str = "aws_kinesis_firehose_delivery_stream";

pub async fn move_from(_env: &Env, source: MoveSource<'_>) -> Outcome {
    let mut out = Outcome::default();
    if source.provider != AWS_PROVIDER || source.type_name != AWS_TYPE {
        out.diags.error(
            "Cannot move this resource into firehose_delivery_stream",
            format!(
                "only {AWS_TYPE} of {AWS_PROVIDER} can be moved here, not {} of {}; import the stream instead",
                source.type_name, source.provider
            ),
        );
        return out;
    }
    match stream_of(source.state) {
        Ok(id) => out.state = moved_state(&id, source.state),
        Err(e) => out.diags.error("Cannot move the delivery stream", e),
    }
    out
}

/// Enough for the refresh to find the stream: its name, and the version and
/// destination the moved state recorded.
fn moved_state(id: &str, state: &serde_json::Value) -> Value {
    let name = id.rsplit_once("deliverystream/").map_or(id, |(_, n)| n);
    let mut v = super::schema::block().null_object();
    v.set_attr("name", Value::string(name));
    // As an import has it: a log group made elsewhere keeps its retention.
    v.set_attr("log_retention_days", Value::int(super::defaults::LOG_RETENTION_DAYS));
    for attr in ["version_id", "destination_id"] {
        if let Some(s) = state.get(attr).and_then(|x| x.as_str()).filter(|s| !s.is_empty()) {
            v.set_attr(attr, Value::string(s));
        }
    }
    v
}

/// The stream's name (or ARN) from the hashicorp/aws state: `name`, else
/// `arn`, else `id` (the ARN in that provider).
fn stream_of(state: &serde_json::Value) -> Result<String, String> {
    ["name", "arn", "id"]
        .iter()
        .find_map(|f| state.get(*f).and_then(|v| v.as_str()).filter(|s| !s.is_empty()).map(str::to_string))
        .ok_or_else(|| format!("the {AWS_TYPE} state has no `name`, `arn` or `id` to find the stream by"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_found_by_name_then_arn() {
        let s = serde_json::json!({"name": "events", "arn": "arn:aws:firehose:us-east-1:1:deliverystream/x"});
        assert_eq!(stream_of(&s).unwrap(), "events");
        let s = serde_json::json!({"arn": "arn:aws:firehose:us-east-1:1:deliverystream/x"});
        assert_eq!(stream_of(&s).unwrap(), "arn:aws:firehose:us-east-1:1:deliverystream/x");
        let e = stream_of(&serde_json::json!({"destination": "extended_s3"})).unwrap_err();
        assert!(e.contains("`name`, `arn` or `id`"), "{e}");
    }

    #[test]
    fn the_moved_state_names_the_stream_for_the_refresh() {
        let s = serde_json::json!({"arn": "arn:aws:firehose:us-east-1:1:deliverystream/events", "version_id": "3", "destination_id": "destinationId-000000000001"});
        let v = moved_state(&stream_of(&s).unwrap(), &s);
        assert_eq!(v.attr("name").as_str(), Some("events"));
        assert_eq!(v.attr("version_id").as_str(), Some("3"));
        assert_eq!(v.attr("destination_id").as_str(), Some("destinationId-000000000001"));
    }
}
