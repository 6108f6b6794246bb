//! The service's state: the provider, and the value type of every schema
//! computed once; and how an RPC finds its resource.

use std::collections::HashMap;
use std::sync::Arc;

use super::codec::{decode_change, error, TypedBlock};
use crate::framework::schema::Block;
use crate::framework::{DataSource, Resource};
use crate::proto::tfplugin6 as pb;
use crate::protocol::{Diagnostics, Value};
use crate::provider::{AwsClients, FirehoseProvider};

pub struct ProviderService {
    pub(super) provider: Arc<FirehoseProvider>,
    /// Value types per resource, computed once: every RPC decodes with them.
    pub(super) resource_types: HashMap<&'static str, TypedBlock>,
    pub(super) data_source_types: HashMap<&'static str, TypedBlock>,
    pub(super) action_types: HashMap<&'static str, TypedBlock>,
    pub(super) provider_type: TypedBlock,
}

impl ProviderService {
    /// The resource of a change RPC with its prior state, next state and
    /// configuration decoded.
    #[allow(clippy::type_complexity)]
    pub(super) fn change(
        &self,
        type_name: &str,
        prior: Option<&pb::DynamicValue>,
        next: (Option<&pb::DynamicValue>, &str),
        config: Option<&pb::DynamicValue>,
    ) -> Result<(&Arc<dyn Resource<AwsClients>>, &TypedBlock, Value, Value, Value), Diagnostics> {
        let (r, ty) = self.resource(type_name)?;
        let (prior, next, config) = decode_change(ty, prior, next, config)?;
        Ok((r, ty, prior, next, config))
    }

    pub fn new(provider: Arc<FirehoseProvider>) -> ProviderService {
        let typed = |b: Block| (b.value_type(), b);
        let resource_types = provider.resources.iter().map(|r| (r.type_name(), typed(r.schema().block))).collect();
        let data_source_types =
            provider.data_sources.iter().map(|r| (r.type_name(), typed(r.schema().block))).collect();
        let action_types = provider.actions.iter().map(|a| (a.type_name(), typed(a.schema().block))).collect();
        let provider_type = typed(provider.schema().block);
        ProviderService { provider, resource_types, data_source_types, action_types, provider_type }
    }

    pub(super) fn resource(&self, name: &str) -> Result<(&Arc<dyn Resource<AwsClients>>, &TypedBlock), Diagnostics> {
        match (self.provider.resource(name), self.resource_types.get(name)) {
            (Some(r), Some(t)) => Ok((r, t)),
            _ => Err(error(format!("The provider has no resource type {name:?}."))),
        }
    }

    pub(super) fn data_source(
        &self,
        name: &str,
    ) -> Result<(&Arc<dyn DataSource<AwsClients>>, &TypedBlock), Diagnostics> {
        match (self.provider.data_source(name), self.data_source_types.get(name)) {
            (Some(r), Some(t)) => Ok((r, t)),
            _ => Err(error(format!("The provider has no data source {name:?}."))),
        }
    }
}
