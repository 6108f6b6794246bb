//! The parts a stream expands into, each created idempotently: a part that
//! already exists is adopted when it carries this stream's ownership tag, so
//! an interrupted apply can simply run again. Which existing parts a create
//! may adopt at all is decided before it writes anything (`claim`). Deletion
//! likewise touches only parts carrying the tag; what the user supplied is
//! never deleted.

use std::collections::BTreeMap;

use super::names::OWNER_TAG;

mod bucket;
mod key;
mod logs;
mod role;

pub use bucket::*;
pub use key::*;
pub use logs::*;
pub use role::*;

pub type Tags = BTreeMap<String, String>;

fn owned<'a>(mut tags: impl Iterator<Item = (&'a str, &'a str)>, stream: &str) -> bool {
    tags.any(|(k, v)| k == OWNER_TAG && v == stream)
}

fn not_ours(kind: &str, name: &str, stream: &str) -> String {
    format!(
        "{kind} {name:?} already exists and was not created for delivery stream {stream:?} (it lacks the tag {OWNER_TAG}={stream}); \
         choose another stream name or remove the {kind}"
    )
}

/// What it takes to bring `current` tags to `desired`: the keys to remove
/// and the entries to set. Every part, and the stream, syncs tags this way.
pub struct TagChanges {
    pub stale: Vec<String>,
    pub set: Tags,
}

pub fn tag_changes(current: &Tags, desired: &Tags) -> TagChanges {
    TagChanges {
        stale: current.keys().filter(|k| !desired.contains_key(*k)).cloned().collect(),
        set: desired.iter().filter(|(k, v)| current.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_changes_remove_stale_keys_and_set_only_what_differs() {
        let t = |p: &[(&str, &str)]| p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Tags>();
        let c = tag_changes(&t(&[("a", "1"), ("b", "2"), ("gone", "x")]), &t(&[("a", "1"), ("b", "3"), ("new", "y")]));
        assert_eq!(c.stale, ["gone"]);
        assert_eq!(c.set, t(&[("b", "3"), ("new", "y")]));
        let same = tag_changes(&t(&[("a", "1")]), &t(&[("a", "1")]));
        assert!(same.stale.is_empty() && same.set.is_empty());
    }
}
