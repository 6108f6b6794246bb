//! Terraform provider for Kinesis Data Firehose.
//!
//! Layers, from the wire inwards: `transport` (handshake, TLS, auxiliary
//! services), `server` (the tfplugin6 service, translating RPCs), `protocol`
//! (cty values, codecs, diagnostics, schemas), `framework` (the resource and
//! data source traits, their requests and outcomes), `provider`
//! (configuration and AWS clients), `resources` and `data_sources` (one
//! module per type), `actions` (one module per action type) and `aws`
//! (ARNs and errors). docs/architecture.md tells
//! how a plan and an apply flow through them.

pub mod actions;
pub mod aws;
pub mod data_sources;
pub mod framework;
pub mod functions;
pub mod logging;
pub mod proto;
pub mod protocol;
pub mod provider;
pub mod resources;
pub mod server;
pub mod transport;

use std::sync::Arc;

/// The provider with every resource, data source and action it serves.
pub fn provider() -> Arc<provider::FirehoseProvider> {
    Arc::new(provider::FirehoseProvider::new(
        vec![Arc::new(resources::delivery_stream::DeliveryStream), Arc::new(resources::grant::Grant)],
        vec![Arc::new(data_sources::delivery_stream::DeliveryStreamData)],
        vec![Arc::new(actions::delivery_check::DeliveryCheck)],
    ))
}
