//! Schema building: blocks, attributes and nested blocks with descriptions,
//! the cty type each block implies for the values Terraform sends, and what
//! the framework does with each attribute: its default, its validators (rules
//! as values, which may carry their own arguments) and whether a change
//! replaces the object. The server turns the wire part into tfplugin6
//! (`server::schema_pb`); `walk.rs` applies the rest.

use std::sync::Arc;

use crate::protocol::{Type, Value};

#[derive(Clone, Debug)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub description: String,
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub deprecated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Required,
    Optional,
    Computed,
    OptionalComputed,
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub presence: Presence,
    pub sensitive: bool,
    /// Write-only (tfplugin6 6.10): sent in configuration, never stored.
    pub write_only: bool,
    /// Planned when the configuration leaves the attribute unset.
    pub default: Option<Value>,
    /// Checks of the attribute's value once known and not null.
    pub validators: Vec<Validator>,
    /// A change of the value replaces the object.
    pub requires_replace: bool,
}

/// The rule a validator applies; the framework's walker decides when (the
/// value is known and not null) and reports failures at the attribute.
/// A rule on a number of type `T`: Ok, or why not.
pub type Rule<T> = Arc<dyn Fn(T) -> Result<(), String> + Send + Sync>;
/// The same for a string.
pub type StrRule = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

#[derive(Clone)]
pub enum Check {
    /// A string; the empty string is refused first ("omit it instead").
    Str(StrRule),
    /// A whole number; a fraction is refused first.
    Whole(Rule<i64>),
    /// Any number.
    Number(Rule<f64>),
}

/// A single-attribute rule: the summary of its diagnostic and its check.
/// Rules across attributes stay with the resource's own validation.
#[derive(Clone)]
pub struct Validator {
    pub summary: &'static str,
    pub check: Check,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Validator({:?})", self.summary)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
}

#[derive(Clone, Debug)]
pub struct NestedBlock {
    pub name: String,
    pub nesting: Nesting,
    pub block: Block,
    pub min_items: i64,
    pub max_items: i64,
}

impl Attribute {
    fn new(name: &str, ty: Type, presence: Presence, description: &str) -> Attribute {
        Attribute {
            name: name.into(),
            ty,
            description: description.into(),
            presence,
            sensitive: false,
            write_only: false,
            default: None,
            validators: Vec::new(),
            requires_replace: false,
        }
    }
    pub fn required(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute::new(name, ty, Presence::Required, description)
    }
    pub fn optional(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute::new(name, ty, Presence::Optional, description)
    }
    pub fn computed(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute::new(name, ty, Presence::Computed, description)
    }
    pub fn optional_computed(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute::new(name, ty, Presence::OptionalComputed, description)
    }
    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }
    pub fn write_only(mut self) -> Attribute {
        self.write_only = true;
        self
    }
    /// The value planned when unset (the attribute must be optional and computed).
    pub fn default(mut self, v: Value) -> Attribute {
        self.default = Some(v);
        self
    }
    pub fn check_str(
        mut self,
        summary: &'static str,
        f: impl Fn(&str) -> Result<(), String> + Send + Sync + 'static,
    ) -> Attribute {
        self.validators.push(Validator { summary, check: Check::Str(Arc::new(f)) });
        self
    }
    pub fn check_whole(
        mut self,
        summary: &'static str,
        f: impl Fn(i64) -> Result<(), String> + Send + Sync + 'static,
    ) -> Attribute {
        self.validators.push(Validator { summary, check: Check::Whole(Arc::new(f)) });
        self
    }
    pub fn check_number(
        mut self,
        summary: &'static str,
        f: impl Fn(f64) -> Result<(), String> + Send + Sync + 'static,
    ) -> Attribute {
        self.validators.push(Validator { summary, check: Check::Number(Arc::new(f)) });
        self
    }
    pub fn requires_replace(mut self) -> Attribute {
        self.requires_replace = true;
        self
    }
    pub fn is_computed(&self) -> bool {
        matches!(self.presence, Presence::Computed | Presence::OptionalComputed)
    }
}

impl Block {
    pub fn new(description: &str) -> Block {
        Block { description: description.into(), ..Block::default() }
    }
    pub fn attr(mut self, a: Attribute) -> Block {
        self.attributes.push(a);
        self
    }
    pub fn block(mut self, name: &str, nesting: Nesting, min_items: i64, max_items: i64, block: Block) -> Block {
        self.blocks.push(NestedBlock { name: name.into(), nesting, block, min_items, max_items });
        self
    }

    /// The object type of this block's values on the wire.
    pub fn value_type(&self) -> Type {
        let attrs = self.attributes.iter().map(|a| (a.name.clone(), a.ty.clone()));
        let blocks = self.blocks.iter().map(|b| {
            let obj = b.block.value_type();
            let t = match b.nesting {
                Nesting::Single => obj,
                Nesting::List => Type::list(obj),
                Nesting::Set => Type::set(obj),
                Nesting::Map => Type::map(obj),
            };
            (b.name.clone(), t)
        });
        Type::object(attrs.chain(blocks))
    }

    /// A copy without write-only attributes, at every depth: what a read
    /// can report of objects of this kind.
    pub fn without_write_only(&self) -> Block {
        let mut b = self.clone();
        b.attributes.retain(|a| !a.write_only);
        for n in &mut b.blocks {
            n.block = n.block.without_write_only();
        }
        b
    }

    /// Drops from `v`, an object of this block or a collection of them, the
    /// keys this block does not have.
    pub fn retain_own(&self, v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.retain(|k, _| self.attribute(k).is_some() || self.nested(k).is_some());
                for n in &self.blocks {
                    if let Some(x) = m.get_mut(&n.name) {
                        n.block.retain_own(x);
                    }
                }
            }
            Value::List(items) | Value::Set(items) => items.iter_mut().for_each(|x| self.retain_own(x)),
            _ => {}
        }
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn nested(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.name == name)
    }

    /// An object of this block with every attribute and nested block null,
    /// to be filled in.
    pub fn null_object(&self) -> Value {
        let names = self.attributes.iter().map(|a| &a.name).chain(self.blocks.iter().map(|b| &b.name));
        Value::Object(names.map(|n| (n.clone(), Value::Null)).collect())
    }

    /// Terraform represents an absent list, set or map block as an empty
    /// collection, never null; values the provider builds are brought to
    /// that form before they are sent.
    pub fn normalize(&self, v: &mut Value) {
        let Value::Object(m) = v else { return };
        for b in &self.blocks {
            let slot = m.entry(b.name.clone()).or_insert(Value::Null);
            match (b.nesting, &mut *slot) {
                (Nesting::List, Value::Null) => *slot = Value::List(Vec::new()),
                (Nesting::Set, Value::Null) => *slot = Value::Set(Vec::new()),
                (Nesting::Map, Value::Null) => *slot = Value::Map(Default::default()),
                (Nesting::List | Nesting::Set, Value::List(items) | Value::Set(items)) => {
                    items.iter_mut().for_each(|i| b.block.normalize(i))
                }
                (Nesting::Map, Value::Map(items)) => items.values_mut().for_each(|i| b.block.normalize(i)),
                (Nesting::Single, item) => b.block.normalize(item),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_blocks_become_empty_collections() {
        let inner = Block::new("inner").attr(Attribute::optional("x", Type::String, "x"));
        let outer = Block::new("outer")
            .block("items", Nesting::List, 0, 0, inner.clone().block("deep", Nesting::Set, 0, 0, inner.clone()))
            .block("single", Nesting::Single, 0, 1, inner);
        let mut v = Value::object([
            ("items", Value::List(vec![Value::object([("x", Value::string("a"))])])),
            ("single", Value::Null),
        ]);
        outer.normalize(&mut v);
        assert_eq!(v.attr("items").elements()[0].attr("deep"), &Value::Set(vec![]));
        assert!(v.attr("single").is_null(), "an absent single block stays null");
        let mut empty = Value::object([("items", Value::Null)]);
        outer.normalize(&mut empty);
        assert_eq!(empty.attr("items"), &Value::List(vec![]));
    }
}
