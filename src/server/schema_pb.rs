//! A schema as tfplugin6 carries it: names, types, descriptions, nesting
//! and how each attribute is set. Defaults, validators and replacement stay
//! with the framework; Terraform never sees them.

use crate::framework::schema::{Attribute, Block, Nesting, Presence, Schema};
use crate::proto::tfplugin6 as pb;

pub fn schema_to_pb(s: &Schema) -> pb::Schema {
    pb::Schema { version: s.version, block: Some(block_to_pb(&s.block)) }
}

fn block_to_pb(b: &Block) -> pb::schema::Block {
    pb::schema::Block {
        version: 0,
        attributes: b.attributes.iter().map(attribute_to_pb).collect(),
        block_types: b
            .blocks
            .iter()
            .map(|nb| pb::schema::NestedBlock {
                type_name: nb.name.clone(),
                block: Some(block_to_pb(&nb.block)),
                nesting: match nb.nesting {
                    Nesting::Single => pb::schema::nested_block::NestingMode::Single,
                    Nesting::List => pb::schema::nested_block::NestingMode::List,
                    Nesting::Set => pb::schema::nested_block::NestingMode::Set,
                    Nesting::Map => pb::schema::nested_block::NestingMode::Map,
                } as i32,
                min_items: nb.min_items,
                max_items: nb.max_items,
            })
            .collect(),
        description: b.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: b.deprecated,
    }
}

fn attribute_to_pb(a: &Attribute) -> pb::schema::Attribute {
    pb::schema::Attribute {
        name: a.name.clone(),
        r#type: a.ty.to_json_bytes(),
        description: a.description.clone(),
        required: a.presence == Presence::Required,
        optional: matches!(a.presence, Presence::Optional | Presence::OptionalComputed),
        computed: a.is_computed(),
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: false,
        nested_type: None,
        write_only: a.write_only,
    }
}
