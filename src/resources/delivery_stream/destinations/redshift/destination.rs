//! The Redshift kind behind the `Destination` trait: what the registry
//! calls, tying together the block and rules (`mod.rs`, `rules.rs`) and the
//! SDK shapes (`api.rs`). Nothing in the kind imports this file back.

use super::*;

impl Destination for Redshift {
    fn name(&self) -> &'static str {
        "redshift"
    }

    fn log_stream(&self) -> &'static str {
        LOG_STREAM
    }

    fn block(&self) -> Block {
        block()
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        shared::validate(v, at, "password_wo", "password_wo_version", c);
        rules::validate(v, at, c);
    }

    fn grants(&self, v: &Value, _stream: &str, _ctx: &Ctx, g: &mut Grants) -> Option<()> {
        let staging = v.block("s3_staging")?;
        g.bucket_arns.push(known(staging.attr("bucket_arn"))?.unwrap_or_default());
        g.s3_key_arns.extend(known(staging.attr("encryption_key_arn"))?);
        g.secret_arns.extend(shared::secret_grant(v)?);
        Some(())
    }

    fn metrics(&self, _v: &Value) -> Vec<&'static str> {
        METRICS.to_vec()
    }

    fn buffering_interval<'v>(&self, v: &'v Value) -> &'v Value {
        v.block("s3_staging").map_or(&Value::Null, |s| s.attr("buffering_interval"))
    }

    fn refs(&self, v: &Value, at: &AttrPath) -> Vec<Reference> {
        let mut out = vec![(RefKind::Redshift, at.at("cluster_jdbc_url"), v.attr("cluster_jdbc_url").clone())];
        out.extend(shared::secret_refs(v, at, super::SECRET_KEYS));
        if let Some(staging) = v.block("s3_staging") {
            let st = at.at("s3_staging").index(0);
            out.push((RefKind::Bucket, st.at("bucket_arn"), staging.attr("bucket_arn").clone()));
            out.push((RefKind::Key, st.at("encryption_key_arn"), staging.attr("encryption_key_arn").clone()));
        }
        out
    }

    crate::resources::delivery_stream::kind::sdk_methods!(
        api,
        redshift_destination_configuration,
        redshift_destination_update,
        redshift_destination_description
    );
}
