//! Resource identity (Terraform 1.12+): the few attributes that name a
//! remote object, stored beside its state and usable in `import` blocks.
//! Every identity attribute here is a string.

use crate::protocol::{Type, Value};

pub struct IdentityAttr {
    pub name: &'static str,
    /// Required in an `import { identity = {...} }` block; else optional.
    pub required: bool,
    pub description: &'static str,
}

pub struct IdentitySchema {
    pub version: i64,
    pub attrs: Vec<IdentityAttr>,
}

impl IdentitySchema {
    pub fn value_type(&self) -> Type {
        Type::object(self.attrs.iter().map(|a| (a.name, Type::String)))
    }

    /// An identity value from each attribute's string (None: unknown yet).
    pub fn value(&self, get: impl Fn(&str) -> Option<String>) -> Value {
        Value::object(self.attrs.iter().map(|a| (a.name, get(a.name).map_or(Value::UNKNOWN, Value::string))))
    }
}
