//! Which references a stream object holds, and which of them are new: on
//! create, or where the value changed. A destination or source kind names
//! its own (`Destination::refs`, `Source::refs`); the parts every kind has
//! (role, log group, processors, backup) and the stream's own (SSE key,
//! alarm topics) are named here.

use std::collections::BTreeSet;

use crate::protocol::{AttrPath, Value};

use super::super::derive;
use super::super::kind::RefKind;

/// One referenced resource and where the configuration names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub kind: RefKind,
    pub value: String,
    pub path: AttrPath,
}

/// Every reference in `v` (a planned or prior object), known or not: the
/// value is None while unknown.
fn refs(v: &Value) -> Vec<(RefKind, AttrPath, Option<String>)> {
    let mut found: Vec<(RefKind, AttrPath, Value)> = Vec::new();
    let mut add = |kind: RefKind, path: AttrPath, val: &Value| found.push((kind, path, val.clone()));
    add(RefKind::Key, AttrPath::attr("encryption_key_arn"), v.attr("encryption_key_arn"));
    add(RefKind::Role, AttrPath::attr("role_arn"), v.attr("role_arn"));
    if let Some(alarms) = v.block("alarms") {
        for attr in ["actions", "ok_actions"] {
            let at = AttrPath::attr("alarms").index(0).at(attr);
            if alarms.attr(attr).is_unknown() {
                add(RefKind::Topic, at.clone(), &Value::UNKNOWN);
            }
            for (i, topic) in alarms.attr(attr).elements().iter().enumerate() {
                add(RefKind::Topic, at.clone().index(i), topic);
            }
        }
    }
    found.extend(super::super::sources::refs(v));
    if let Some((dest_kind, s3)) = super::super::destinations::of(v) {
        let s3_path = super::super::destinations::path(dest_kind);
        found.extend(dest_kind.refs(s3, &s3_path));
        let mut add = |kind: RefKind, path: AttrPath, val: &Value| found.push((kind, path, val.clone()));
        add(RefKind::LogGroup, s3_path.clone().at("log_group_name"), s3.attr("log_group_name"));
        add(RefKind::Role, s3_path.clone().at("role_arn"), s3.attr("role_arn"));
        for (i, p) in s3.attr("processor").elements().iter().enumerate() {
            if let Some(l) = p.block(super::super::processors::LAMBDA) {
                let at = s3_path
                    .clone()
                    .at("processor")
                    .index(i)
                    .at(super::super::processors::LAMBDA)
                    .index(0)
                    .at("function_arn");
                add(RefKind::Function, at, l.attr("function_arn"));
            }
        }
        if let Some(b) = derive::backup(v) {
            let bp = s3_path.at("s3_backup").index(0);
            add(RefKind::Bucket, bp.clone().at("bucket_arn"), b.attr("bucket_arn"));
            add(RefKind::Key, bp.clone().at("encryption_key_arn"), b.attr("encryption_key_arn"));
            add(RefKind::LogGroup, bp.at("log_group_name"), b.attr("log_group_name"));
        }
    }
    found
        .into_iter()
        .filter_map(|(kind, path, val)| {
            if val.is_unknown() {
                Some((kind, path, None))
            } else {
                val.as_str().map(|s| (kind, path, Some(s.to_string())))
            }
        })
        .collect()
}

/// The references of `config` that are known, were not in `prior`, and are
/// not the resource's own parts (a created key or backup bucket appears in
/// the planned object but only the configuration names user references).
pub fn new_refs(config: &Value, prior: Option<&Value>) -> Vec<Ref> {
    let before: BTreeSet<(RefKind, String)> =
        prior.map(|p| refs(p).into_iter().filter_map(|(k, _, v)| v.map(|v| (k, v))).collect()).unwrap_or_default();
    let mut out: Vec<Ref> = refs(config)
        .into_iter()
        .filter_map(|(kind, path, v)| v.map(|value| Ref { kind, value, path }))
        .filter(|r| !before.contains(&(r.kind, r.value.clone())))
        .collect();
    // One read per resource, reported at the first place that names it.
    let mut seen = BTreeSet::new();
    out.retain(|r| seen.insert((r.kind, r.value.clone())));
    out
}

/// References unknown in the plan, known now: checked at apply. A list
/// unknown at plan (say all of an alarm's topics) covers its elements.
pub fn refs_known_only_at_apply(planned_config_unknowns: &Value, config: &Value) -> Vec<Ref> {
    let unknown: Vec<String> = refs(planned_config_unknowns)
        .into_iter()
        .filter(|(_, _, v)| v.is_none())
        .map(|(_, p, _)| p.to_string())
        .collect();
    let under = |path: &AttrPath| {
        let p = path.to_string();
        unknown.iter().any(|u| p == *u || p.strip_prefix(u.as_str()).is_some_and(|rest| rest.starts_with('[')))
    };
    new_refs(config, None).into_iter().filter(|r| under(&r.path)).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn config(bucket: Value, key: Value) -> Value {
        let mut s3 = std::collections::BTreeMap::new();
        s3.insert("bucket_arn".to_string(), bucket);
        s3.insert("encryption_key_arn".to_string(), key);
        let mut dest = std::collections::BTreeMap::new();
        dest.insert("s3_bucket".to_string(), Value::List(vec![Value::Object(s3)]));
        let mut top = std::collections::BTreeMap::new();
        top.insert("destination".to_string(), Value::List(vec![Value::Object(dest)]));
        Value::Object(top)
    }

    /// A stream configuration (JSON in the resource's schema), normalized.
    fn stream(j: serde_json::Value) -> Value {
        let b = crate::resources::delivery_stream::schema::block();
        let mut v = crate::protocol::json::from_json(&j, &b.value_type()).unwrap();
        b.normalize(&mut v);
        v
    }

    /// Sets the value at `path` (attribute names and list indices) in `v`.
    fn set(v: &mut Value, path: &[&str], to: Value) {
        let (last, inner) = path.split_last().unwrap();
        let mut at = v;
        for p in inner {
            at = match (p.parse::<usize>(), at) {
                (Ok(i), at) => &mut at.elements_mut()[i],
                (Err(_), Value::Object(m)) => m.get_mut(*p).unwrap(),
                (Err(_), other) => panic!("no attribute {p} in {other:?}"),
            };
        }
        at.set_attr(last, to);
    }

    /// Each reference of the other services: found where the configuration
    /// writes it when known; when unknown at plan, not read (the plan
    /// passes) but read at apply once known.
    #[test]
    fn every_kind_of_reference_is_read_when_known_and_waits_when_unknown() {
        let secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf";
        let backup = json!([{"bucket_arn": "arn:aws:s3:::bkt"}]);
        let cases: Vec<(serde_json::Value, RefKind, Vec<&str>)> = vec![
            (
                json!({"alarms": [{"actions": ["arn:aws:sns:us-east-1:123456789012:t"]}],
                       "destination": [{"s3_bucket": [{"bucket_arn": "arn:aws:s3:::bkt"}]}]}),
                RefKind::Topic,
                vec!["alarms", "0", "actions"],
            ),
            (
                json!({"destination": [{"splunk": [{"hec_endpoint": "https://h.example.com", "secret_arn": secret,
                                                    "s3_backup": backup}]}]}),
                RefKind::Secret(&["hec_token"]),
                vec!["destination", "0", "splunk", "0", "secret_arn"],
            ),
            (
                json!({"destination": [{"redshift": [{
                    "cluster_jdbc_url": "jdbc:redshift://c.abc.us-east-1.redshift.amazonaws.com:5439/d",
                    "data_table_name": "t", "secret_arn": secret, "s3_staging": [{"bucket_arn": "arn:aws:s3:::bkt"}]}]}]}),
                RefKind::Redshift,
                vec!["destination", "0", "redshift", "0", "cluster_jdbc_url"],
            ),
            (
                json!({"destination": [{"opensearch": [{"domain_arn": "arn:aws:es:us-east-1:123456789012:domain/dom",
                                                        "index_name": "i", "s3_backup": backup}]}]}),
                RefKind::Domain,
                vec!["destination", "0", "opensearch", "0", "domain_arn"],
            ),
            (
                json!({"destination": [{"opensearch_serverless": [{
                    "collection_endpoint": "https://abc123.us-east-1.aoss.amazonaws.com", "index_name": "i",
                    "s3_backup": backup}]}]}),
                RefKind::Collection,
                vec!["destination", "0", "opensearch_serverless", "0", "collection_endpoint"],
            ),
            (
                json!({"source_msk": [{"cluster_arn": "arn:aws:kafka:us-east-1:123456789012:cluster/c/u-1",
                                       "topic_name": "t"}],
                       "destination": [{"s3_bucket": [{"bucket_arn": "arn:aws:s3:::bkt"}]}]}),
                RefKind::MskCluster,
                vec!["source_msk", "0", "cluster_arn"],
            ),
            (
                json!({"destination": [{"iceberg": [{"warehouse_location": "s3://bkt/w",
                                                     "table": [{"database": "d", "name": "t"}], "s3_backup": backup}]}]}),
                RefKind::GlueTable,
                vec!["destination", "0", "iceberg", "0", "table", "0", "name"],
            ),
        ];
        for (config, kind, path) in cases {
            let known = stream(config.clone());
            let found: Vec<Ref> = new_refs(&known, None).into_iter().filter(|r| r.kind == kind).collect();
            assert_eq!(found.len(), 1, "{kind:?} in {config}");
            let mut unknown = known.clone();
            set(&mut unknown, &path, Value::UNKNOWN);
            assert!(new_refs(&unknown, None).iter().all(|r| r.kind != kind), "{kind:?} read while unknown");
            let later = refs_known_only_at_apply(&unknown, &known);
            assert_eq!(later.iter().map(|r| r.kind).collect::<Vec<_>>(), [kind], "{kind:?} at apply");
        }
        // Parts joined into one reference: the Glue table of format conversion.
        let conv = stream(json!({"destination": [{"s3_bucket": [{"bucket_arn": "arn:aws:s3:::bkt",
            "data_format_conversion": [{"input": [{"openx_json": [{}]}], "output": [{"parquet": [{}]}],
                                        "schema": [{"database_name": "db", "table_name": "t"}]}]}]}]}));
        let table: Vec<Ref> = new_refs(&conv, None).into_iter().filter(|r| r.kind == RefKind::GlueTable).collect();
        assert_eq!(table[0].value, "\n\ndb\nt");
    }

    #[test]
    fn only_new_known_references_are_checked() {
        let a = config(Value::string("arn:aws:s3:::a"), Value::Null);
        let refs = new_refs(&a, None);
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].kind, RefKind::Bucket);
        // Unchanged: nothing to read.
        assert!(new_refs(&a, Some(&a)).is_empty());
        // A new key is checked, the unchanged bucket is not.
        let b = config(Value::string("arn:aws:s3:::a"), Value::string("arn:aws:kms:us-east-1:1:key/k"));
        assert_eq!(new_refs(&b, Some(&a)).iter().map(|r| r.kind).collect::<Vec<_>>(), [RefKind::Key]);
        // Unknown at plan, known at apply.
        let planned = config(Value::UNKNOWN, Value::Null);
        let at_apply = refs_known_only_at_apply(&planned, &a);
        assert_eq!(at_apply.iter().map(|r| r.value.as_str()).collect::<Vec<_>>(), ["arn:aws:s3:::a"]);
        assert!(new_refs(&planned, None).is_empty());
    }
}
