//! Actions (Terraform 1.14+): provider operations that are not resources,
//! invoked by `terraform apply -invoke=action.<type>.<name>` or by a
//! resource's `lifecycle { action_trigger { ... } }`. Terraform validates
//! and plans an action's configuration like a resource's, then invokes it;
//! while it runs, the action reports progress lines that Terraform prints.

use tokio::sync::mpsc;

use super::env::Env;
use super::schema::Schema;
use crate::protocol::{Diagnostics, Value};

/// Where a running action sends its progress lines. Sending never blocks and
/// never fails the action: a line Terraform no longer listens for is lost.
#[derive(Clone)]
pub struct Progress(mpsc::UnboundedSender<String>);

impl Progress {
    /// A progress channel and the receiver of its lines.
    pub fn channel() -> (Progress, mpsc::UnboundedReceiver<String>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Progress(tx), rx)
    }

    pub fn say(&self, line: impl Into<String>) {
        let _ = self.0.send(line.into());
    }
}

#[tonic::async_trait]
pub trait Action<C: Send + Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Checks of the configuration alone; unknown values pass here.
    fn validate(&self, config: &Value) -> Diagnostics;
    /// Checks before the invocation, with the provider's clients: an action
    /// that cannot run is refused at plan, before anything is applied.
    async fn plan(&self, _env: &Env<C>, config: &Value) -> Diagnostics {
        self.validate(config)
    }
    /// Runs the action; its outcome is the diagnostics (errors fail the
    /// apply, warnings are shown).
    async fn invoke(&self, env: &Env<C>, config: &Value, progress: &Progress) -> Diagnostics;
}
