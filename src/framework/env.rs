//! What every operation of a resource, data source or action is given.

use std::sync::Arc;

use tokio::sync::watch;

/// Everything an operation may use: the provider's clients (absent while the
/// provider configuration is still unknown during plan) and the stop signal.
pub struct Env<C> {
    pub clients: Option<Arc<C>>,
    pub stop: watch::Receiver<bool>,
}

impl<C> Clone for Env<C> {
    fn clone(&self) -> Self {
        Env { clients: self.clients.clone(), stop: self.stop.clone() }
    }
}

impl<C> Env<C> {
    pub fn clients(&self) -> Result<&Arc<C>, String> {
        self.clients.as_ref().ok_or_else(|| {
            "the provider is not configured: its configuration depends on values not known yet".to_string()
        })
    }

    /// Resolves when Terraform asks the provider to stop (StopProvider).
    pub async fn stopped(&self) {
        let mut rx = self.stop.clone();
        let _ = rx.wait_for(|s| *s).await;
    }
}
