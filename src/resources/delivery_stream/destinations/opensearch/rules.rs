//! Plan-time rules of the `opensearch` block: the domain (by ARN or by its
//! endpoint, from which the grants name it), rotation and document IDs.

use crate::aws::arn::Arn;
use crate::protocol::{AttrPath, Value};
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::kind::{is_given, Checker};

fn domain_name(name: &str) -> bool {
    let mut c = name.chars();
    c.next().is_some_and(|f| f.is_ascii_lowercase())
        && (3..=28).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `arn:<partition>:es:<region>:<account>:domain/<name>`.
pub fn domain_arn(s: &str) -> Result<Arn, String> {
    let form = "arn:aws:es:<region>:<account>:domain/<domain name>";
    let a = Arn::parse(s).map_err(|e| format!("expected {form}, given {s:?}: {e}"))?;
    let name = a.resource.strip_prefix("domain/").unwrap_or_default();
    if a.service != "es" || a.region.is_empty() || a.account.len() != 12 || !domain_name(name) {
        return Err(format!(
            "expected {form} (a name of 3 to 28 lowercase letters, digits and '-', starting with a letter), given {s:?}"
        ));
    }
    Ok(a)
}

/// The domain name and region of an OpenSearch Service endpoint,
/// `https://{search,vpc}-<domain>-<id>.<region>.es.amazonaws.com`.
pub fn endpoint_domain(s: &str) -> Result<(String, String), String> {
    let bad = || {
        format!(
            "expected the domain's endpoint, https://search-<domain>-<id>.<region>.es.amazonaws.com (or vpc-...), given {s:?}; \
             for another endpoint give domain_arn, which the role's grants need"
        )
    };
    let host = s.strip_prefix("https://").ok_or_else(bad)?.trim_end_matches('/');
    let mut labels = host.splitn(3, '.');
    let (first, region, rest) = (labels.next(), labels.next(), labels.next());
    let (Some(first), Some(region), Some(rest)) = (first, region, rest) else { return Err(bad()) };
    if !rest.starts_with("es.amazonaws.com") {
        return Err(bad());
    }
    let named = first.strip_prefix("search-").or_else(|| first.strip_prefix("vpc-")).ok_or_else(bad)?;
    let (domain, id) = named.rsplit_once('-').ok_or_else(bad)?;
    if !domain_name(domain) || id.is_empty() {
        return Err(bad());
    }
    Ok((domain.to_string(), region.to_string()))
}

/// The domain's ARN, from `domain_arn` or from the endpoint; None while unknown.
pub fn domain(v: &Value, ctx: &Ctx) -> Option<String> {
    let (arn, endpoint) = (v.attr("domain_arn"), v.attr("cluster_endpoint"));
    if !arn.is_known() || !endpoint.is_known() {
        return None;
    }
    if let Some(a) = arn.as_str() {
        return Some(a.to_string());
    }
    let (name, region) = endpoint_domain(endpoint.as_str()?).ok()?;
    Some(Arn::new(&ctx.partition, "es", &region, &ctx.account, format!("domain/{name}")).to_string())
}

pub fn rotation(s: &str) -> Result<(), String> {
    match s {
        "NoRotation" | "OneHour" | "OneDay" | "OneWeek" | "OneMonth" => Ok(()),
        _ => {
            Err(format!("index_rotation_period must be NoRotation, OneHour, OneDay, OneWeek or OneMonth, given {s:?}"))
        }
    }
}

pub fn document_id(s: &str) -> Result<(), String> {
    match s {
        "FIREHOSE_DEFAULT" | "NO_DOCUMENT_ID" => Ok(()),
        _ => Err(format!("document_id must be FIREHOSE_DEFAULT or NO_DOCUMENT_ID, given {s:?}")),
    }
}

/// Exactly one way to name the domain.
pub fn validate(v: &Value, at: &AttrPath, c: &mut Checker) {
    match (is_given(v.attr("domain_arn")), is_given(v.attr("cluster_endpoint"))) {
        (Some(true), Some(true)) => c.d.error_at(
            at.at("cluster_endpoint"),
            "Two ways to name the domain",
            "give either domain_arn or cluster_endpoint, not both",
        ),
        (Some(false), Some(false)) => {
            c.d.error_at(at.clone(), "No OpenSearch domain", "set domain_arn (or the domain's cluster_endpoint)")
        }
        _ => {}
    }
}
