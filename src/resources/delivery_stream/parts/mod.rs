//! The parts a stream expands into, each created idempotently: a part that
//! already exists is adopted when it carries this stream's ownership tag, so
//! an interrupted apply can simply run again. Which existing parts a create
//! may adopt at all is decided before it writes anything (`claim`). Deletion
//! likewise touches only parts carrying the tag; what the user supplied is
//! never deleted.

mod alarm;
mod bucket;
mod key;
mod logs;
mod ownership;
mod role;

pub use alarm::*;
pub use bucket::*;
pub use key::*;
pub use logs::*;
pub use ownership::*;
pub use role::*;

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
