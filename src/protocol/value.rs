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

    /// Parses a decimal string the way cty does, keeping it exact: a float
    /// only when the text denotes exactly that float64 (so "0.5" is a float
    /// but "0.1" stays text, as cty sends it), otherwise the text itself.
    pub fn parse(s: &str) -> Option<Number> {
        let t = s.trim();
        if let Ok(i) = t.parse::<i64>() {
            return Some(Number::Int(i));
        }
        let f: f64 = t.parse().ok()?;
        if f.is_nan() {
            return None;
        }
        if f.is_infinite() {
            // "Inf" and friends name infinity; a finite decimal too large for
            // float64 ("1e400") must not silently become infinite.
            return Some(if Decimal::parse(t).is_some() { Number::Big(t.to_string()) } else { Number::Float(f) });
        }
        match (Decimal::parse(t), Decimal::of_f64(f)) {
            (Some(d), Some(exact)) if d == exact => Some(Number::from_f64(f)),
            _ => Some(Number::Big(t.to_string())),
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            Number::Float(f) => float_as_i64(*f),
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

fn float_as_i64(f: f64) -> Option<i64> {
    // The range check matters: `as` saturates, so 2^63 would become i64::MAX.
    (f.fract() == 0.0 && f >= -(2f64.powi(63)) && f < 2f64.powi(63)).then_some(f as i64)
}

/// An exact decimal number: sign, significant digits without leading or
/// trailing zeros, and the power of ten of the last digit. Zero has no digits.
#[derive(PartialEq, Eq, Debug)]
struct Decimal {
    negative: bool,
    digits: String,
    exponent: i64,
}

impl Decimal {
    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (either digit run may be
    /// empty, not both); None for anything else, including infinities.
    fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        let (negative, rest) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (mantissa, exp) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Exponents beyond any float64 are clamped: they only need to compare
        // unequal, and clamping keeps the arithmetic below from overflowing.
        const CLAMP: i64 = 1 << 40;
        let mut exponent: i64 = match exp {
            None => 0,
            Some(e) => {
                let (neg, digits) = match e.as_bytes().first()? {
                    b'-' => (true, &e[1..]),
                    b'+' => (false, &e[1..]),
                    _ => (false, e),
                };
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let v = digits.bytes().fold(0i64, |acc, b| (acc * 10 + i64::from(b - b'0')).min(CLAMP));
                if neg {
                    -v
                } else {
                    v
                }
            }
        };
        exponent -= i64::try_from(frac.len()).ok()?;
        let all = format!("{int}{frac}");
        let significant = all.trim_start_matches('0');
        let digits = significant.trim_end_matches('0');
        if digits.is_empty() {
            return Some(Decimal { negative: false, digits: String::new(), exponent: 0 });
        }
        exponent += i64::try_from(significant.len() - digits.len()).ok()?;
        Some(Decimal { negative, digits: digits.to_string(), exponent })
    }

    /// The exact decimal value of a finite float64 (at most 767 significant
    /// digits, all of which Rust's formatter prints exactly when asked).
    fn of_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        Decimal::parse(&format!("{f:.767e}"))
    }

    fn of(n: &Number) -> Option<Decimal> {
        match n {
            Number::Int(i) => Decimal::parse(&i.to_string()),
            Number::Float(f) => Decimal::of_f64(*f),
            Number::Big(s) => Decimal::parse(s),
        }
    }
}

/// Numeric equality, exact like cty's: a decimal string equals a float only
/// if it denotes exactly that float.
impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::Float(a), Number::Float(b)) => a == b,
            (Number::Int(i), Number::Float(f)) | (Number::Float(f), Number::Int(i)) => float_as_i64(*f) == Some(*i),
            (a, b) => match (Decimal::of(a), Decimal::of(b)) {
                (Some(x), Some(y)) => x == y,
                (None, None) => a.to_text() == b.to_text() || a.as_f64() == b.as_f64(),
                _ => false,
            },
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
    /// The same, mutable; empty for anything but a list, set or tuple.
    pub fn elements_mut(&mut self) -> &mut [Value] {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v,
            _ => &mut [],
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

    /// The first element of a list-nested block (how a block of at most one
    /// item is held); None when the block is absent.
    pub fn block(&self, name: &str) -> Option<&Value> {
        self.attr(name).elements().first()
    }

    /// The same, mutable.
    pub fn block_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => match m.get_mut(name) {
                Some(Value::List(items)) => items.first_mut(),
                _ => None,
            },
            _ => None,
        }
    }
}
