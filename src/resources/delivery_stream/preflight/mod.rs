//! Preflight: what AWS only reports at delivery time, checked before apply.
//! CreateDeliveryStream accepts a bucket, a function, a key, a secret, a
//! Glue table, a domain or a cluster that does not exist (or cannot work);
//! the stream then goes ACTIVE and silently delivers nothing. So every
//! resource the configuration references is read, all at once, and judged
//! by the rules in `rules.rs`, each from an AWS documentation page
//! (docs/resources/delivery_stream.md, "What is checked before apply").
//!
//! A reference is checked when it is new: on create, or when its value
//! changed (`refs.rs`). One known at plan is checked at plan; one known
//! only at apply (made by another resource in the same apply) is checked
//! at apply, before anything is written. Refreshes and unchanged plans read
//! nothing.

mod reads;
mod refs;
pub mod rules;

pub use refs::{new_refs, refs_known_only_at_apply, Ref};
pub use rules::Finding;

use crate::protocol::Diagnostics;
use crate::provider::config::Preflight;
use crate::provider::AwsClients;

use super::kind::Ctx;

/// Runs the reads for `refs` concurrently and reports what the rules find,
/// each at its attribute. A read the runner may not make is a warning that
/// names the permission, never a failure.
pub async fn check(aws: &AwsClients, ctx: &Ctx, refs: &[Ref], diags: &mut Diagnostics) {
    if aws.preflight == Preflight::Off || refs.is_empty() {
        return;
    }
    let results = futures_util::future::join_all(refs.iter().map(|r| judge(aws, ctx, r))).await;
    for (r, found) in refs.iter().zip(results) {
        for f in found {
            match f {
                Finding::Error(m) if aws.preflight == Preflight::Error => {
                    diags.error_at(r.path.clone(), summary(&m), preflight_detail(m))
                }
                Finding::Error(m) | Finding::Warning(m) => {
                    diags.warning_at(r.path.clone(), summary(&m), preflight_detail(m))
                }
            }
        }
    }
}

/// The finding's first clause: Terraform folds warnings that share a
/// summary into one, so each says its own problem.
fn summary(m: &str) -> String {
    let end = [": ", " (", "; ", ", but "].iter().filter_map(|sep| m.find(sep)).min().unwrap_or(m.len());
    let mut c = m[..end].chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn preflight_detail(m: String) -> String {
    format!("{m}. (Checked before apply; the provider setting `preflight` can make this a warning or turn it off.)")
}

async fn judge(aws: &AwsClients, ctx: &Ctx, r: &Ref) -> Vec<Finding> {
    match reads::read(aws, ctx, r).await {
        Ok(f) => f,
        // A denied or failed read says nothing about the reference.
        Err(e) => vec![Finding::Warning(format!("not checked: {e}"))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_the_first_clause() {
        assert_eq!(summary("bucket b does not exist (s3:HeadBucket answered 404)"), "Bucket b does not exist");
        assert_eq!(summary("KMS key k is Disabled, not Enabled"), "KMS key k is Disabled, not Enabled");
        assert_eq!(summary("not checked: x"), "Not checked");
    }
}
