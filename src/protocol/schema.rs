//! Schema building: blocks, attributes and nested blocks with descriptions,
//! plus the cty type each block implies for the values Terraform sends.

use super::cty_type::Type;
use super::value::Value;

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
        Attribute { name: name.into(), ty, description: description.into(), presence, sensitive: false }
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
