//! The Snowflake kind behind the `Destination` trait: what the registry
//! calls, tying together the block and rules (`mod.rs`, `rules.rs`) and the
//! SDK shapes (`api.rs`). Nothing in the kind imports this file back.

use super::*;

impl Destination for Snowflake {
    fn name(&self) -> &'static str {
        "snowflake"
    }

    fn log_stream(&self) -> &'static str {
        LOG_STREAM
    }

    fn block(&self) -> Block {
        block()
    }

    fn refs(&self, v: &Value, at: &AttrPath) -> Vec<crate::resources::delivery_stream::kind::Reference> {
        shared::secret_refs(v, at, SECRET_KEYS)
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        shared::validate(v, at, "private_key_wo", "private_key_wo_version", c);
        rules::validate(v, at, c);
    }

    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        let mut out = shared::backup_mode_replaces(prior, planned, at);
        let vpce = planned.attr("private_link_vpce_id");
        if vpce.is_known() && vpce != prior.attr("private_link_vpce_id") {
            out.push(at.at("private_link_vpce_id"));
        }
        out
    }

    fn grants(&self, v: &Value, _stream: &str, _ctx: &Ctx, g: &mut Grants) -> Option<()> {
        g.secret_arns.extend(shared::secret_grant(v)?);
        Some(())
    }

    fn metrics(&self, _v: &Value) -> Vec<&'static str> {
        METRICS.to_vec()
    }

    crate::resources::delivery_stream::kind::sdk_methods!(
        api,
        snowflake_destination_configuration,
        snowflake_destination_update,
        snowflake_destination_description
    );
}
