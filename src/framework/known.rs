//! `Known<T>`: an attribute's value as a plan sees it — not yet known, known
//! to be unset, or a value — instead of nested `Option`s.

use crate::protocol::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Known<T> {
    /// Decided only at apply (depends on another resource).
    Unknown,
    /// Known to be unset.
    Null,
    Value(T),
}

impl<T> Known<T> {
    /// Reads `v` with `f` (None from `f` counts as unset).
    pub fn read(v: &Value, f: impl FnOnce(&Value) -> Option<T>) -> Known<T> {
        if v.is_unknown() {
            Known::Unknown
        } else {
            f(v).map_or(Known::Null, Known::Value)
        }
    }

    /// Whether it is set, once that is decided: None while unknown. For use
    /// with `?` in derivations that become unknown with their inputs.
    pub fn decided(self) -> Option<Option<T>> {
        match self {
            Known::Unknown => None,
            Known::Null => Some(None),
            Known::Value(t) => Some(Some(t)),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Known<U> {
        match self {
            Known::Unknown => Known::Unknown,
            Known::Null => Known::Null,
            Known::Value(t) => Known::Value(f(t)),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Known::Unknown)
    }
}

/// From "decided" form: None while unknown, then unset or a value.
impl<T> From<Option<Option<T>>> for Known<T> {
    fn from(d: Option<Option<T>>) -> Known<T> {
        match d {
            None => Known::Unknown,
            Some(None) => Known::Null,
            Some(Some(t)) => Known::Value(t),
        }
    }
}

impl Known<String> {
    pub fn string(v: &Value) -> Known<String> {
        Known::read(v, |v| v.as_str().map(str::to_string))
    }

    /// As a cty value: unknown, null or the string.
    pub fn to_value(&self) -> Value {
        match self {
            Known::Unknown => Value::UNKNOWN,
            Known::Null => Value::Null,
            Known::Value(s) => Value::string(s.clone()),
        }
    }
}

impl Known<i64> {
    pub fn int(v: &Value) -> Known<i64> {
        Known::read(v, |v| v.as_number().and_then(|n| n.as_i64()))
    }
}

impl Known<bool> {
    pub fn bool(v: &Value) -> Known<bool> {
        Known::read(v, Value::as_bool)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_states() {
        assert_eq!(Known::string(&Value::UNKNOWN), Known::Unknown);
        assert_eq!(Known::string(&Value::Null), Known::Null);
        assert_eq!(Known::string(&Value::string("a")), Known::Value("a".to_string()));
        assert_eq!(Known::int(&Value::int(3)).decided(), Some(Some(3)));
        assert_eq!(Known::<bool>::bool(&Value::UNKNOWN).decided(), None);
        assert_eq!(Known::string(&Value::string("a")).map(|s| s.len()), Known::Value(1));
        assert_eq!(Known::Value("x".to_string()).to_value(), Value::string("x"));
        assert!(Known::<String>::Unknown.to_value().is_unknown());
    }
}
