//! Source kinds: where a stream's records come from. Each kind is one module
//! implementing `kind::Source` (its attribute or block, rules, the stream
//! role's statements, metrics, preflight references, API shape and
//! read-back); the rest of the resource goes through the functions here and
//! never names a kind. Adding a kind means its module and one line in the
//! registry (docs/architecture.md, "Where a change goes").

use crate::framework::schema::Block;
use crate::protocol::{AttrPath, Value};

use super::kind::{Checker, Reference, Source};

// One line per kind: its module and its entry in `KINDS`; direct puts, what a
// stream is when no other kind is set, last.
super::kind::registry! {Source:
    kinesis::Kinesis,
    msk::Msk,
    direct_put::DirectPut,
}

fn selecting() -> impl Iterator<Item = &'static dyn Source> {
    KINDS.iter().copied().filter(|k| k.attr().is_some())
}

/// The stream's schema with every kind's attribute or block.
pub fn extend(b: Block) -> Block {
    KINDS.iter().fold(b, |b, k| k.extend(b))
}

/// The first kind `set` says is set, or direct puts once `set` says none
/// is; None while that is unknown.
fn first_set(set: impl Fn(&dyn Source) -> Option<bool>) -> Option<&'static dyn Source> {
    let mut undecided = false;
    for k in selecting() {
        match set(k) {
            Some(true) => return Some(k),
            None => undecided = true,
            Some(false) => {}
        }
    }
    (!undecided).then_some(&direct_put::DirectPut as &dyn Source)
}

/// The source a stream object reads from.
pub fn of(v: &Value) -> Option<&'static dyn Source> {
    first_set(|k| k.selected(v))
}

/// The source a configuration sets, as validation sees it (`Source::given`).
pub fn given(config: &Value) -> Option<&'static dyn Source> {
    first_set(|k| k.given(config))
}

/// The same as `of`, but only once every kind's setting is known.
pub fn decided(v: &Value) -> Option<&'static dyn Source> {
    selecting().all(|k| k.selected(v).is_some()).then(|| of(v)).flatten()
}

/// At most one source; then the rules of each source set.
pub fn validate(config: &Value, c: &mut Checker) {
    let set: Vec<&dyn Source> = selecting().filter(|k| k.given(config) == Some(true)).collect();
    if let [first, ..] = set.as_slice() {
        if set.len() > 1 {
            let alternatives: Vec<String> =
                selecting().map(|k| format!("{} ({})", k.what(), k.attr().unwrap_or_default())).collect();
            c.d.error_at(
                AttrPath::attr(first.attr().unwrap_or_default()),
                "Two sources",
                format!("a stream reads either {}, not both", alternatives.join(" or ")),
            );
        }
    }
    for k in set {
        k.validate(config, c);
    }
    if let Some(other) = given(config).filter(|k| !k.takes_puts()) {
        direct_put::refuse_hint(other, config, c);
    }
}

/// Paths whose change from `prior` replaces the stream: a source switched
/// on or off (a change within one is declared on its schema).
pub fn requires_replace(prior: &Value, planned: &Value) -> Vec<AttrPath> {
    selecting().flat_map(|k| k.requires_replace(prior, planned)).collect()
}

/// The references of whichever kinds are set (unknown ones included).
pub fn refs(v: &Value) -> Vec<Reference> {
    selecting().flat_map(|k| k.refs(v)).collect()
}

/// Sets every kind's attribute or block on `v` from a description, and
/// returns the role the stream reads its source with, if it has one.
pub fn read(
    d: Option<&aws_sdk_firehose::types::SourceDescription>,
    v: &mut Value,
    prior: Option<&Value>,
) -> Option<String> {
    KINDS.iter().fold(None, |role, k| k.read(d, v, prior).or(role))
}

#[cfg(test)]
mod tests;
