//! The HTTP endpoint kind behind the `Destination` trait: what the registry
//! calls, tying together the block and rules (`mod.rs`, `rules.rs`) and the
//! SDK shapes (`api.rs`). Nothing in the kind imports this file back.

use super::*;

impl Destination for HttpEndpoint {
    fn name(&self) -> &'static str {
        "http_endpoint"
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

    /// The preset's vendor names the endpoint when no name is given.
    fn apply_defaults(&self, v: &mut Value) {
        if v.attr("name").is_null() {
            let name = match v.attr("preset") {
                p if p.is_unknown() => Value::UNKNOWN,
                p => p.as_str().and_then(presets::find).map_or(Value::Null, |p| Value::string(p.name)),
            };
            v.set_attr("name", name);
        }
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        let given = |n: &str| crate::resources::delivery_stream::kind::is_given(v.attr(n));
        match (given("url"), given("preset")) {
            (Some(true), Some(true)) => {
                c.d.error_at(at.at("preset"), "Both url and preset", "give either url or preset, not both")
            }
            (Some(false), Some(false)) => c.d.error_at(
                at.clone(),
                "No endpoint",
                "an http_endpoint needs url (your HTTPS endpoint) or preset (a vendor's documented endpoint)",
            ),
            _ => {}
        }
        shared::validate(v, at, "access_key_wo", "access_key_wo_version", c);
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
        http_endpoint_destination_configuration,
        http_endpoint_destination_update,
        http_endpoint_destination_description
    );
}
