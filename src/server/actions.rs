//! The action RPCs (Terraform 1.14+): ValidateActionConfig, PlanAction and
//! InvokeAction, whose answer is a stream of progress lines ending in one
//! completion with the action's diagnostics.

use std::pin::Pin;

use futures_util::Stream;
use tonic::Status;

use super::codec::{decode, error, TypedBlock};
use super::service::ProviderService;
use crate::framework::{Action, Progress};
use crate::proto::tfplugin6 as pb;
use crate::protocol::wire::diagnostics_to_pb;
use crate::protocol::{Diagnostics, Value};
use crate::provider::AwsClients;

pub(super) type InvokeStream = Pin<Box<dyn Stream<Item = Result<pb::invoke_action::Event, Status>> + Send>>;

impl ProviderService {
    fn action(&self, name: &str) -> Result<(&std::sync::Arc<dyn Action<AwsClients>>, &TypedBlock), Diagnostics> {
        match (self.provider.action(name), self.action_types.get(name)) {
            (Some(a), Some(t)) => Ok((a, t)),
            _ => Err(error(format!("The provider has no action type {name:?}."))),
        }
    }

    /// The action and its decoded configuration.
    fn action_config(
        &self,
        name: &str,
        config: Option<&pb::DynamicValue>,
    ) -> Result<(std::sync::Arc<dyn Action<AwsClients>>, Value), Diagnostics> {
        let (a, ty) = self.action(name)?;
        Ok((a.clone(), decode(config, ty, "the action configuration")?))
    }

    pub(super) fn action_validate(&self, req: pb::validate_action_config::Request) -> Diagnostics {
        match self.action_config(&req.type_name, req.config.as_ref()) {
            Ok((a, config)) => a.validate(&config),
            Err(d) => d,
        }
    }

    pub(super) async fn action_plan(&self, req: pb::plan_action::Request) -> Diagnostics {
        match self.action_config(&req.action_type, req.config.as_ref()) {
            Ok((a, config)) => a.plan(&self.provider.env(), &config).await,
            Err(d) => d,
        }
    }

    /// Runs the action in its own task and streams its progress lines as
    /// they come, then its completion.
    pub(super) fn action_invoke(&self, req: pb::invoke_action::Request) -> InvokeStream {
        let completed = |d: &Diagnostics| pb::invoke_action::Event {
            r#type: Some(pb::invoke_action::event::Type::Completed(pb::invoke_action::event::Completed {
                diagnostics: diagnostics_to_pb(d),
            })),
        };
        let (action, config) = match self.action_config(&req.action_type, req.config.as_ref()) {
            Ok(x) => x,
            Err(d) => return Box::pin(futures_util::stream::iter([Ok(completed(&d))])),
        };
        let env = self.provider.env();
        let (progress, lines) = Progress::channel();
        let run = tokio::spawn(async move { action.invoke(&env, &config, &progress).await });
        let progress_events = futures_util::stream::unfold(lines, |mut lines| async move {
            let line = lines.recv().await?;
            let event = pb::invoke_action::Event {
                r#type: Some(pb::invoke_action::event::Type::Progress(pb::invoke_action::event::Progress {
                    message: line,
                })),
            };
            Some((Ok(event), lines))
        });
        // The progress channel closes when the action returns (its sender is
        // dropped with it), so the completion always comes last.
        let end = futures_util::stream::once(async move {
            let d = run.await.unwrap_or_else(|e| {
                let mut d = Diagnostics::new();
                d.error("The action failed", format!("it stopped unexpectedly: {e}"));
                d
            });
            Ok(completed(&d))
        });
        use futures_util::StreamExt;
        Box::pin(progress_events.chain(end))
    }
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
