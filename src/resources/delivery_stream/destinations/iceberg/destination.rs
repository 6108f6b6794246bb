//! The Iceberg kind behind the `Destination` trait: what the registry
//! calls, tying together the block and rules (`mod.rs`, `rules.rs`) and the
//! SDK shapes (`api.rs`). Nothing in the kind imports this file back.

use super::*;

impl Destination for Iceberg {
    fn name(&self) -> &'static str {
        "iceberg"
    }

    fn log_stream(&self) -> &'static str {
        LOG_STREAM
    }

    fn block(&self) -> Block {
        block()
    }

    fn refs(&self, v: &Value, at: &AttrPath) -> Vec<crate::resources::delivery_stream::kind::Reference> {
        use crate::resources::delivery_stream::kind::{joined, RefKind};
        // The catalog's account and region, empty for the stream's own.
        let (catalog, region) = match v.attr("catalog_arn") {
            c if c.is_unknown() => (Value::UNKNOWN, Value::UNKNOWN),
            c => match c.as_str().and_then(|a| Arn::parse(a).ok()) {
                Some(arn) => (Value::string(arn.account), Value::string(arn.region)),
                None => (Value::string(""), Value::string("")),
            },
        };
        // Firehose creates missing tables when asked to; their database must exist.
        let creates = v.attr("table_creation");
        v.attr("table")
            .elements()
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let tp = at.at("table").index(i);
                match creates.as_bool() {
                    _ if creates.is_unknown() => (RefKind::GlueDatabase, tp.at("database"), Value::UNKNOWN),
                    Some(true) => (
                        RefKind::GlueDatabase,
                        tp.at("database"),
                        joined(&[&catalog, &region, t.attr("database")]),
                    ),
                    _ => (
                        RefKind::GlueTable,
                        tp.at("name"),
                        joined(&[&catalog, &region, t.attr("database"), t.attr("name")]),
                    ),
                }
            })
            .collect()
    }

    fn derive(&self, v: &mut Value, ctx: Option<&Ctx>) {
        if v.attr("catalog_arn").is_null() {
            let arn = ctx.map_or(Value::UNKNOWN, |c| {
                Value::string(Arn::new(&c.partition, "glue", &c.region, &c.account, "catalog").to_string())
            });
            v.set_attr("catalog_arn", arn);
        }
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        shared::validate_common(v, at, c);
        rules::validate(v, at, c);
    }

    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        shared::backup_mode_replaces(prior, planned, at)
    }

    fn grants(&self, v: &Value, _stream: &str, _ctx: &Ctx, g: &mut Grants) -> Option<()> {
        if !v.attr("table").is_wholly_known()
            || !v.attr("table_creation").is_known()
            || !v.attr("lake_formation").is_known()
        {
            return None;
        }
        let mut actions: Vec<&str> = GLUE_ACTIONS.to_vec();
        if v.attr("table_creation").as_bool() == Some(true) {
            actions.push("glue:CreateTable");
        }
        g.statements
            .push(json!({"Sid": "IcebergCatalog", "Effect": "Allow", "Action": actions, "Resource": glue_arns(v)?}));
        let bucket = rules::warehouse_bucket(v.attr("warehouse_location").as_str()?)?;
        let arn =
            Arn::new(&Arn::parse(v.attr("catalog_arn").as_str()?).ok()?.partition, "s3", "", "", bucket).to_string();
        g.statements.push(json!({
            "Sid": "IcebergWarehouse",
            "Effect": "Allow",
            "Action": WAREHOUSE_ACTIONS,
            "Resource": [arn.clone(), format!("{arn}/*")],
        }));
        if v.attr("lake_formation").as_bool() == Some(true) {
            g.statements.push(json!({
                "Sid": "LakeFormation",
                "Effect": "Allow",
                "Action": "lakeformation:GetDataAccess",
                "Resource": "*",
            }));
        }
        Some(())
    }

    fn metrics(&self, _v: &Value) -> Vec<&'static str> {
        METRICS.to_vec()
    }

    crate::resources::delivery_stream::kind::sdk_methods!(
        api,
        iceberg_destination_configuration,
        iceberg_destination_update,
        iceberg_destination_description
    );
}
