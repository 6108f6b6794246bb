//! cty values as the provider sees them: possibly null, possibly unknown.

use std::collections::BTreeMap;

use super::cty_type::Type;

/// A cty number. cty numbers are arbitrary-precision; on the wire they travel
/// as integers, float64 or decimal strings, so we keep whichever form is exact.
#[derive(Clone, Debug)]
pub enum Number {
    Int(i64),
    Float(f64),
    /// A decimal string for values neither i64 nor f64 hold exactly.
    Big(String),
}

impl Number {
    pub fn from_f64(f: f64) -> Number {
        if f.fract() == 0.0 && f >= -(2f64.powi(63)) && f < 2f64.powi(63) {
            Number::Int(f as i64)
        } else {
            Number::Float(f)
        }
    }

    /// Parses a decimal string the way cty does, keeping it exact.
    pub fn parse(s: &str) -> Option<Number> {
        let t = s.trim();
        if let Ok(i) = t.parse::<i64>() {
            return Some(Number::Int(i));
        }
        let f: f64 = t.parse().ok()?;
        if f.is_nan() {
            return None;
        }
        // Accept the float only if it prints back to the same digits;
        // otherwise precision would be lost, so keep the text.
        if f.is_infinite() || format_f64(f) == t {
            Some(Number::from_f64(f))
        } else {
            Some(Number::Big(t.to_string()))
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            Number::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
            Number::Float(_) => None,
            Number::Big(s) => s.parse().ok(),
        }
    }

    pub fn as_f64(&self) -> f64 {
        match self {
            Number::Int(i) => *i as f64,
            Number::Float(f) => *f,
            Number::Big(s) => s.parse().unwrap_or(f64::NAN),
        }
    }

    pub fn to_text(&self) -> String {
        match self {
            Number::Int(i) => i.to_string(),
            Number::Float(f) => format_f64(*f),
            Number::Big(s) => s.clone(),
        }
    }
}

fn format_f64(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    format!("{f}")
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::Big(a), Number::Big(b)) => a == b,
            (a, b) => {
                let (x, y) = (a.as_f64(), b.as_f64());
                x == y && a.as_i64() == b.as_i64()
            }
        }
    }
}

/// What Terraform already knows about an unknown value (cty refinements).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Refinements {
    pub not_null: bool,
    pub string_prefix: Option<String>,
    pub number_lower: Option<(Number, bool)>,
    pub number_upper: Option<(Number, bool)>,
    pub length_lower: Option<u64>,
    pub length_upper: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Unknown(Option<Box<Refinements>>),
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    /// A value that stood where the schema allows any type, kept with the
    /// concrete type it arrived with so that it re-encodes identically.
    Dynamic(Type, Box<Value>),
}

static NULL: Value = Value::Null;

impl Value {
    pub const UNKNOWN: Value = Value::Unknown(None);

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }
    pub fn int(i: i64) -> Value {
        Value::Number(Number::Int(i))
    }
    pub fn float(f: f64) -> Value {
        Value::Number(Number::from_f64(f))
    }
    pub fn opt_string(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, |s| Value::String(s.into()))
    }
    pub fn object<I, K>(attrs: I) -> Value
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// Strips the dynamic wrapper, so callers can match on the content.
    pub fn inner(&self) -> &Value {
        match self {
            Value::Dynamic(_, v) => v.inner(),
            v => v,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.inner(), Value::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self.inner(), Value::Unknown(_))
    }
    pub fn is_known(&self) -> bool {
        !self.is_unknown()
    }

    /// True when no unknown hides anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self.inner() {
            Value::Unknown(_) => false,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v.iter().all(Value::is_wholly_known),
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// An object attribute; null for anything else, so lookups chain.
    pub fn attr(&self, name: &str) -> &Value {
        match self.inner() {
            Value::Object(m) => m.get(name).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.inner() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self.inner() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match self.inner() {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    /// Elements of a list, set or tuple; empty for null.
    pub fn elements(&self) -> &[Value] {
        match self.inner() {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v,
            _ => &[],
        }
    }
    /// Entries of a map or object; None for anything else.
    pub fn entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self.inner() {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn set_attr(&mut self, name: &str, v: Value) {
        if let Value::Object(m) = self {
            m.insert(name.to_string(), v);
        }
    }
}
