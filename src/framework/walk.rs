//! The one walker that applies what a schema declares on its attributes:
//! defaults, validators and requires-replace, through every nested block,
//! with the attribute path of each finding (in the manner of
//! terraform-plugin-framework's plan modifiers and validators). Resources
//! keep only what spans several attributes.

use crate::framework::schema::{Block, Nesting};
use crate::framework::schema::{Check, NestedBlock};
use crate::protocol::{AttrPath, Diagnostics, Value};

/// Each nested block value of `v` with its path.
fn nested<'a>(nb: &NestedBlock, v: &'a Value, at: &AttrPath) -> Vec<(AttrPath, &'a Value)> {
    let inner = v.attr(&nb.name);
    let base = at.at(&nb.name);
    match (nb.nesting, inner) {
        (Nesting::Single, x) if !x.is_null() => vec![(base, x)],
        (Nesting::Map, x) => x.entries().map(|m| m.iter().map(|(k, e)| (base.key(k), e)).collect()).unwrap_or_default(),
        (Nesting::List | Nesting::Set, x) => x.elements().iter().enumerate().map(|(i, e)| (base.index(i), e)).collect(),
        _ => Vec::new(),
    }
}

/// Runs `f` on each value of a nested block (`slot` is the block's value
/// in its parent object).
fn each_nested_mut(nb: &NestedBlock, slot: Option<&mut Value>, f: fn(&Block, &mut Value)) {
    match slot {
        Some(Value::List(items) | Value::Set(items)) => items.iter_mut().for_each(|i| f(&nb.block, i)),
        Some(Value::Map(items)) => items.values_mut().for_each(|i| f(&nb.block, i)),
        Some(single) if nb.nesting == Nesting::Single => f(&nb.block, single),
        _ => {}
    }
}

/// Sets every unset (null, not unknown) attribute that declares a default.
pub fn apply_defaults(b: &Block, v: &mut Value) {
    if !matches!(v, Value::Object(_)) {
        return;
    }
    for a in &b.attributes {
        if let (Some(d), true) = (&a.default, v.attr(&a.name).is_null()) {
            v.set_attr(&a.name, d.clone());
        }
    }
    let Value::Object(m) = v else { return };
    for nb in &b.blocks {
        each_nested_mut(nb, m.get_mut(&nb.name), apply_defaults);
    }
}

/// Runs every validator whose attribute is known and not null.
pub fn validate(b: &Block, v: &Value, at: &AttrPath, d: &mut Diagnostics) {
    if !matches!(v.inner(), Value::Object(_)) {
        return;
    }
    for a in &b.attributes {
        let val = v.attr(&a.name);
        for vd in &a.validators {
            if let Err(e) = check(&vd.check, &a.name, val) {
                d.error_at(at.at(&a.name), vd.summary, e);
                break;
            }
        }
    }
    for nb in &b.blocks {
        for (p, item) in nested(nb, v, at) {
            validate(&nb.block, item, &p, d);
        }
    }
}

fn check(c: &Check, name: &str, v: &Value) -> Result<(), String> {
    match c {
        Check::Str(f) => match v.as_str() {
            Some(s) => {
                f(s)?;
                if s.is_empty() {
                    return Err(format!("{name} must not be empty; omit it instead"));
                }
                Ok(())
            }
            None => Ok(()),
        },
        Check::Whole(f) => match v.as_number() {
            Some(n) => match n.as_i64() {
                Some(i) => f(i),
                None => Err(format!("{name} must be a whole number, given {}", n.to_text())),
            },
            None => Ok(()),
        },
        Check::Number(f) => v.as_number().map_or(Ok(()), |n| f(n.as_f64())),
    }
}

/// Nulls every write-only attribute: Terraform sends their values in the
/// configuration only, and they must never reach a plan or a state.
pub fn null_write_only(b: &Block, v: &mut Value) {
    let Value::Object(m) = v else { return };
    for a in b.attributes.iter().filter(|a| a.write_only) {
        m.insert(a.name.clone(), Value::Null);
    }
    for nb in &b.blocks {
        each_nested_mut(nb, m.get_mut(&nb.name), null_write_only);
    }
}

/// The paths of write-only attributes set in `v` (not null).
pub fn write_only_set(b: &Block, v: &Value, at: &AttrPath) -> Vec<AttrPath> {
    if !matches!(v.inner(), Value::Object(_)) {
        return Vec::new();
    }
    let mut out: Vec<AttrPath> =
        b.attributes.iter().filter(|a| a.write_only && !v.attr(&a.name).is_null()).map(|a| at.at(&a.name)).collect();
    for nb in &b.blocks {
        for (p, item) in nested(nb, v, at) {
            out.extend(write_only_set(&nb.block, item, &p));
        }
    }
    out
}

/// Turns a state into the configuration that would plan it: attributes
/// only the provider sets (computed, not optional), write-only ones, and
/// optional ones equal to their declared default are left unset.
pub fn config_from_state(b: &Block, v: &mut Value) {
    use crate::framework::schema::Presence;
    let Value::Object(m) = v else { return };
    for a in &b.attributes {
        let drop = a.write_only
            || a.presence == Presence::Computed
            || a.default.as_ref().is_some_and(|d| m.get(&a.name) == Some(d));
        if drop {
            m.insert(a.name.clone(), Value::Null);
        }
    }
    for nb in &b.blocks {
        each_nested_mut(nb, m.get_mut(&nb.name), config_from_state);
    }
}

/// The paths of attributes declared requires-replace whose planned value is
/// known and differs from the prior one. Nested blocks pair by position.
pub fn requires_replace(b: &Block, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
    let mut out = Vec::new();
    for a in b.attributes.iter().filter(|a| a.requires_replace) {
        let (p, n) = (prior.attr(&a.name), planned.attr(&a.name));
        if n.is_known() && p != n {
            out.push(at.at(&a.name));
        }
    }
    for nb in &b.blocks {
        let before = nested(nb, prior, at);
        for (path, item) in nested(nb, planned, at) {
            if let Some((_, old)) = before.iter().find(|(p, _)| *p == path) {
                out.extend(requires_replace(&nb.block, old, item, &path));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::Attribute as A;
    use crate::protocol::Type;

    fn even(i: i64) -> Result<(), String> {
        if i % 2 == 0 {
            Ok(())
        } else {
            Err(format!("{i} is odd"))
        }
    }

    fn block() -> Block {
        let inner = Block::new("inner")
            .attr(A::optional_computed("n", Type::Number, "").default(Value::int(2)).check_whole("Odd", even))
            .attr(A::optional("s", Type::String, "").check_str("Bad", |s| {
                if s == "x" {
                    Err("no x".into())
                } else {
                    Ok(())
                }
            }));
        Block::new("root")
            .attr(A::optional("id", Type::String, "").requires_replace())
            .attr(A::optional_computed("k", Type::String, "").default(Value::string("d")))
            .block("items", Nesting::List, 0, 0, inner)
    }

    fn obj(items: Vec<Value>) -> Value {
        let mut v = block().null_object();
        v.set_attr("items", Value::List(items));
        v
    }

    fn item(n: Value, s: Value) -> Value {
        Value::object([("n", n), ("s", s)])
    }

    #[test]
    fn defaults_fill_nulls_at_every_depth_but_not_unknowns() {
        let mut v = obj(vec![item(Value::Null, Value::Null), item(Value::UNKNOWN, Value::Null)]);
        apply_defaults(&block(), &mut v);
        assert_eq!(v.attr("k"), &Value::string("d"));
        assert_eq!(v.attr("items").elements()[0].attr("n"), &Value::int(2));
        assert!(v.attr("items").elements()[1].attr("n").is_unknown());
    }

    #[test]
    fn validators_report_at_the_attribute_path() {
        let v = obj(vec![item(Value::int(2), Value::string("ok")), item(Value::float(1.5), Value::string(""))]);
        let mut d = Diagnostics::new();
        validate(&block(), &v, &AttrPath::root(), &mut d);
        let got: Vec<(String, String)> =
            d.0.iter().map(|x| (x.path.as_ref().unwrap().to_string(), x.detail.clone())).collect();
        assert_eq!(
            got,
            [
                ("items[1].n".to_string(), "n must be a whole number, given 1.5".to_string()),
                ("items[1].s".to_string(), "s must not be empty; omit it instead".to_string()),
            ]
        );
        let mut d = Diagnostics::new();
        validate(&block(), &obj(vec![item(Value::int(3), Value::string("x"))]), &AttrPath::root(), &mut d);
        assert_eq!(d.0.iter().map(|x| x.summary.as_str()).collect::<Vec<_>>(), ["Odd", "Bad"]);
        let mut d = Diagnostics::new();
        validate(&block(), &obj(vec![item(Value::UNKNOWN, Value::UNKNOWN)]), &AttrPath::root(), &mut d);
        assert!(d.0.is_empty(), "unknown values pass");
    }

    #[test]
    fn write_only_values_are_found_and_nulled_at_any_depth() {
        let b = Block::new("root").attr(A::optional("secret", Type::String, "").write_only()).block(
            "items",
            Nesting::List,
            0,
            0,
            Block::new("i").attr(A::optional("key", Type::String, "").write_only()),
        );
        let mut v = b.null_object();
        v.set_attr("secret", Value::string("s"));
        v.set_attr(
            "items",
            Value::List(vec![Value::object([("key", Value::Null)]), Value::object([("key", Value::UNKNOWN)])]),
        );
        let set: Vec<String> = write_only_set(&b, &v, &AttrPath::root()).iter().map(|p| p.to_string()).collect();
        assert_eq!(set, ["secret", "items[1].key"]);
        null_write_only(&b, &mut v);
        assert!(v.attr("secret").is_null() && v.attr("items").elements()[1].attr("key").is_null());
    }

    #[test]
    fn replacement_only_for_known_changes_of_declared_attributes() {
        let mut prior = obj(vec![]);
        prior.set_attr("id", Value::string("a"));
        let mut planned = prior.clone();
        planned.set_attr("k", Value::string("other"));
        assert!(requires_replace(&block(), &prior, &planned, &AttrPath::root()).is_empty());
        planned.set_attr("id", Value::UNKNOWN);
        assert!(requires_replace(&block(), &prior, &planned, &AttrPath::root()).is_empty());
        planned.set_attr("id", Value::string("b"));
        let r = requires_replace(&block(), &prior, &planned, &AttrPath::root());
        assert_eq!(r.iter().map(|p| p.to_string()).collect::<Vec<_>>(), ["id"]);
    }
}
