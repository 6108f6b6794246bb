//! The action RPCs over a scripted action: progress lines stream in order
//! and the completion, with the action's diagnostics, comes last.

use std::sync::Arc;

use futures_util::StreamExt;

use super::*;
use crate::framework::schema::{Attribute, Block, Schema};
use crate::framework::Env;
use crate::protocol::wire::encode_dynamic;
use crate::protocol::Type;
use crate::provider::FirehoseProvider;

struct Scripted;

#[tonic::async_trait]
impl Action<AwsClients> for Scripted {
    fn type_name(&self) -> &'static str {
        "firehose_scripted"
    }

    fn schema(&self) -> Schema {
        Schema { version: 0, block: Block::new("test").attr(Attribute::required("word", Type::String, "a word")) }
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        if config.attr("word").as_str() == Some("") {
            d.error("Empty word", "word must not be empty");
        }
        d
    }

    async fn invoke(&self, _env: &Env<AwsClients>, config: &Value, progress: &Progress) -> Diagnostics {
        let word = config.attr("word").as_str().unwrap_or_default().to_string();
        progress.say(format!("first {word}"));
        tokio::task::yield_now().await;
        progress.say(format!("second {word}"));
        let mut d = Diagnostics::new();
        d.warning("Done", word);
        d
    }
}

fn service() -> ProviderService {
    ProviderService::new(Arc::new(FirehoseProvider::new(vec![], vec![], vec![Arc::new(Scripted)])))
}

fn config(word: &str) -> Option<pb::DynamicValue> {
    let ty = Scripted.schema().block.value_type();
    Some(encode_dynamic(&Value::object([("word", Value::string(word))]), &ty).unwrap())
}

fn describe(e: &pb::invoke_action::Event) -> String {
    use pb::invoke_action::event::Type as T;
    match &e.r#type {
        Some(T::Progress(p)) => format!("progress: {}", p.message),
        Some(T::Completed(c)) => {
            format!("completed: {}", c.diagnostics.iter().map(|d| d.summary.clone()).collect::<Vec<_>>().join(", "))
        }
        None => "empty".into(),
    }
}

#[tokio::test]
async fn progress_streams_in_order_and_the_completion_comes_last() {
    let s = service();
    let req = pb::invoke_action::Request {
        action_type: "firehose_scripted".into(),
        config: config("ok"),
        client_capabilities: None,
    };
    let events: Vec<String> = s.action_invoke(req).map(|e| describe(&e.unwrap())).collect().await;
    assert_eq!(events, ["progress: first ok", "progress: second ok", "completed: Done"]);
}

#[tokio::test]
async fn an_unknown_action_or_a_bad_configuration_is_a_diagnostic() {
    let s = service();
    let req = pb::invoke_action::Request {
        action_type: "firehose_nope".into(),
        config: config("x"),
        client_capabilities: None,
    };
    let events: Vec<String> = s.action_invoke(req).map(|e| describe(&e.unwrap())).collect().await;
    assert_eq!(events, ["completed: Invalid request from Terraform"]);
    let plan = s
        .action_plan(pb::plan_action::Request {
            action_type: "firehose_scripted".into(),
            config: config(""),
            client_capabilities: None,
        })
        .await;
    assert!(plan.has_errors());
    let valid = s.action_validate(pb::validate_action_config::Request {
        type_name: "firehose_scripted".into(),
        config: config("w"),
    });
    assert!(!valid.has_errors());
}

#[test]
fn metadata_and_schema_list_the_action() {
    let s = service();
    assert_eq!(s.metadata().actions[0].type_name, "firehose_scripted");
    let schema = s.provider_schema();
    assert!(schema.action_schemas["firehose_scripted"].schema.is_some());
}
