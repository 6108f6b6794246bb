//! The Splunk kind behind the `Destination` trait: what the registry
//! calls, tying together the block and rules (`mod.rs`, `rules.rs`) and the
//! SDK shapes (`api.rs`). Nothing in the kind imports this file back.

use super::*;

impl Destination for Splunk {
    fn name(&self) -> &'static str {
        "splunk"
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
        shared::validate(v, at, "hec_token_wo", "hec_token_wo_version", c);
        let given = |n: &str| crate::resources::delivery_stream::kind::is_given(v.attr(n));
        if let (Some(false), Some(false)) = (given("hec_token_wo"), given("secret_arn")) {
            c.d.error_at(
                at.clone(),
                "No HEC token",
                "Firehose needs the HEC token: set hec_token_wo (write-only) or secret_arn (Secrets Manager)",
            );
        }
    }

    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        shared::backup_mode_replaces(prior, planned, at)
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
        splunk_destination_configuration,
        splunk_destination_update,
        splunk_destination_description
    );
}
