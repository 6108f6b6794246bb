//! The provider: its configuration, the AWS clients built from it, and the
//! resource and data source types it serves.

pub mod clients;
pub mod config;
pub mod diagnose;
pub mod schema;

use std::sync::{Arc, RwLock};

use tokio::sync::watch;

use crate::protocol::{Diagnostics, Schema, Value};
use crate::resources::{DataSource, Resource};

pub use clients::AwsClients;

/// Everything a resource operation may use: the AWS clients (absent while the
/// provider configuration is still unknown during plan) and the stop signal.
#[derive(Clone)]
pub struct Env {
    pub aws: Option<Arc<AwsClients>>,
    pub stop: watch::Receiver<bool>,
}

impl Env {
    pub fn aws(&self) -> Result<&Arc<AwsClients>, String> {
        self.aws.as_ref().ok_or_else(|| {
            "the provider is not configured: its configuration depends on values not known yet".to_string()
        })
    }

    /// Resolves when Terraform asks the provider to stop (StopProvider).
    pub async fn stopped(&self) {
        let mut rx = self.stop.clone();
        let _ = rx.wait_for(|s| *s).await;
    }
}

pub struct FirehoseProvider {
    pub resources: Vec<Arc<dyn Resource>>,
    pub data_sources: Vec<Arc<dyn DataSource>>,
    aws: RwLock<Option<Arc<AwsClients>>>,
    stop_tx: watch::Sender<bool>,
    stop_rx: watch::Receiver<bool>,
}

impl FirehoseProvider {
    pub fn new(resources: Vec<Arc<dyn Resource>>, data_sources: Vec<Arc<dyn DataSource>>) -> FirehoseProvider {
        let (stop_tx, stop_rx) = watch::channel(false);
        FirehoseProvider { resources, data_sources, aws: RwLock::new(None), stop_tx, stop_rx }
    }

    pub fn schema(&self) -> Schema {
        schema::provider_schema()
    }

    pub fn resource(&self, type_name: &str) -> Option<&Arc<dyn Resource>> {
        self.resources.iter().find(|r| r.type_name() == type_name)
    }

    pub fn data_source(&self, type_name: &str) -> Option<&Arc<dyn DataSource>> {
        self.data_sources.iter().find(|r| r.type_name() == type_name)
    }

    pub fn validate(&self, config: &Value) -> Diagnostics {
        config::validate(config)
    }

    /// Builds the AWS clients. With unknown values (possible during plan) no
    /// clients are built and no AWS call is made; resources then plan the
    /// AWS-derived values as unknown.
    pub async fn configure(&self, config: &Value) -> Diagnostics {
        let mut d = config::validate(config);
        if d.has_errors() || !config::is_known(config) {
            return d;
        }
        let model = config::from_value(config);
        let clients = match AwsClients::build(&model).await {
            Ok(c) => c,
            Err(p) => {
                d.error(p.summary, p.detail);
                return d;
            }
        };
        if let Err(p) = clients.verify(&model).await {
            d.error(p.summary, p.detail);
            return d;
        }
        if let Ok(mut slot) = self.aws.write() {
            *slot = Some(Arc::new(clients));
        }
        d
    }

    pub fn env(&self) -> Env {
        let aws = self.aws.read().ok().and_then(|g| g.clone());
        Env { aws, stop: self.stop_rx.clone() }
    }

    pub fn stop(&self) {
        let _ = self.stop_tx.send(true);
    }
}
