//! GetMetadata and GetProviderSchema: what the provider serves, and the
//! schema of each resource, data source, list resource and action.

use super::codec::{capabilities, functions_to_pb};
use super::schema_pb::schema_to_pb;
use super::service::ProviderService;
use crate::proto::tfplugin6 as pb;

impl ProviderService {
    pub(super) fn metadata(&self) -> pb::get_metadata::Response {
        let p = &self.provider;
        pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            resources: p
                .resources
                .iter()
                .map(|r| pb::get_metadata::ResourceMetadata { type_name: r.type_name().into() })
                .collect(),
            data_sources: p
                .data_sources
                .iter()
                .map(|r| pb::get_metadata::DataSourceMetadata { type_name: r.type_name().into() })
                .collect(),
            list_resources: p
                .resources
                .iter()
                .filter(|r| r.list_schema().is_some())
                .map(|r| pb::get_metadata::ListResourceMetadata { type_name: r.type_name().into() })
                .collect(),
            actions: p
                .actions
                .iter()
                .map(|a| pb::get_metadata::ActionMetadata { type_name: a.type_name().into() })
                .collect(),
            ..Default::default()
        }
    }

    /// Terraform older than 1.14 does not know field 11 (action schemas) and
    /// skips it, so the same answer serves every release line.
    pub(super) fn provider_schema(&self) -> pb::get_provider_schema::Response {
        let p = &self.provider;
        pb::get_provider_schema::Response {
            provider: Some(schema_to_pb(&p.schema())),
            resource_schemas: p
                .resources
                .iter()
                .map(|r| (r.type_name().to_string(), schema_to_pb(&r.schema())))
                .collect(),
            data_source_schemas: p
                .data_sources
                .iter()
                .map(|r| (r.type_name().to_string(), schema_to_pb(&r.schema())))
                .collect(),
            functions: functions_to_pb(),
            server_capabilities: Some(capabilities()),
            list_resource_schemas: p
                .resources
                .iter()
                .filter_map(|r| r.list_schema().map(|s| (r.type_name().to_string(), schema_to_pb(&s))))
                .collect(),
            action_schemas: p
                .actions
                .iter()
                .map(|a| (a.type_name().to_string(), pb::ActionSchema { schema: Some(schema_to_pb(&a.schema())) }))
                .collect(),
            ..Default::default()
        }
    }
}
