//! The provider: its configuration, the AWS clients built from it, and the
//! resource and data source types it serves.

pub mod clients;
pub mod config;
pub mod diagnose;
pub mod pacer;
pub mod schema;

use std::sync::{Arc, RwLock};

use tokio::sync::watch;

use crate::framework::schema::Schema;
use crate::framework::{Action, DataSource, Resource};
use crate::protocol::{Diagnostics, Value};

pub use clients::AwsClients;

/// What resources and data sources of this provider are given.
pub type Env = crate::framework::Env<AwsClients>;

pub struct FirehoseProvider {
    pub resources: Vec<Arc<dyn Resource<AwsClients>>>,
    pub data_sources: Vec<Arc<dyn DataSource<AwsClients>>>,
    pub actions: Vec<Arc<dyn Action<AwsClients>>>,
    aws: RwLock<Option<Arc<AwsClients>>>,
    stop_tx: watch::Sender<bool>,
    stop_rx: watch::Receiver<bool>,
}

impl FirehoseProvider {
    pub fn new(
        resources: Vec<Arc<dyn Resource<AwsClients>>>,
        data_sources: Vec<Arc<dyn DataSource<AwsClients>>>,
        actions: Vec<Arc<dyn Action<AwsClients>>>,
    ) -> FirehoseProvider {
        let (stop_tx, stop_rx) = watch::channel(false);
        FirehoseProvider { resources, data_sources, actions, aws: RwLock::new(None), stop_tx, stop_rx }
    }

    pub fn schema(&self) -> Schema {
        schema::provider_schema()
    }

    pub fn resource(&self, type_name: &str) -> Option<&Arc<dyn Resource<AwsClients>>> {
        self.resources.iter().find(|r| r.type_name() == type_name)
    }

    pub fn data_source(&self, type_name: &str) -> Option<&Arc<dyn DataSource<AwsClients>>> {
        self.data_sources.iter().find(|r| r.type_name() == type_name)
    }

    pub fn action(&self, type_name: &str) -> Option<&Arc<dyn Action<AwsClients>>> {
        self.actions.iter().find(|a| a.type_name() == type_name)
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
        Env { clients: aws, stop: self.stop_rx.clone() }
    }

    pub fn stop(&self) {
        let _ = self.stop_tx.send(true);
    }
}
