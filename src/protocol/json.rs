//! The JSON form of cty values, in which Terraform stores resource state and
//! hands it back through `UpgradeResourceState`.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::cty_type::Type;
use super::msgpack::infer_type;
use super::value::{Number, Value};

pub fn to_json(v: &Value, ty: &Type) -> Result<Json, String> {
    if let Type::Dynamic = ty {
        return match v {
            Value::Null => Ok(Json::Null),
            Value::Unknown(_) => Err("unknown values cannot be stored in state".into()),
            Value::Dynamic(t, inner) => Ok(serde_json::json!({"value": to_json(inner, t)?, "type": t.to_json()})),
            other => {
                let t = infer_type(other);
                Ok(serde_json::json!({"value": to_json(other, &t)?, "type": t.to_json()}))
            }
        };
    }
    Ok(match (ty, v.inner()) {
        (_, Value::Null) => Json::Null,
        (_, Value::Unknown(_)) => return Err("unknown values cannot be stored in state".into()),
        (Type::Bool, Value::Bool(b)) => Json::Bool(*b),
        (Type::String, Value::String(s)) => Json::String(s.clone()),
        (Type::Number, Value::Number(n)) => match n {
            Number::Int(i) => Json::from(*i),
            Number::Float(f) => {
                let j = serde_json::Number::from_f64(*f).ok_or("infinite numbers cannot be stored in JSON")?;
                // The shortest text of a float ("0.1") denotes a different
                // decimal unless the float is short and dyadic ("0.5"); write
                // the exact digits then, as text (cty reads numbers from strings).
                if Number::parse(&j.to_string()).is_some_and(|back| back == *n) {
                    Json::Number(j)
                } else {
                    Json::String(exact_digits(*f))
                }
            }
            Number::Big(s) => Json::String(s.clone()),
        },
        (Type::List(et), Value::List(items)) | (Type::Set(et), Value::Set(items)) => {
            Json::Array(items.iter().map(|i| to_json(i, et)).collect::<Result<_, _>>()?)
        }
        (Type::Tuple(etys), Value::Tuple(items)) if etys.len() == items.len() => {
            Json::Array(items.iter().zip(etys).map(|(i, t)| to_json(i, t)).collect::<Result<_, _>>()?)
        }
        (Type::Map(et), Value::Map(m)) => {
            let mut out = Map::new();
            for (k, item) in m {
                out.insert(k.clone(), to_json(item, et)?);
            }
            Json::Object(out)
        }
        (Type::Object(attrs), Value::Object(m)) => {
            let mut out = Map::new();
            for (k, aty) in attrs {
                out.insert(k.clone(), to_json(m.get(k).unwrap_or(&Value::Null), aty)?);
            }
            Json::Object(out)
        }
        (ty, _) => return Err(format!("value does not conform to {ty}")),
    })
}

/// Decodes stored state. Attributes the type no longer has are dropped, so
/// that state written by an older schema can still be read and upgraded.
pub fn from_json(j: &Json, ty: &Type) -> Result<Value, String> {
    if j.is_null() {
        return Ok(Value::Null);
    }
    Ok(match ty {
        Type::Dynamic => {
            let obj = j.as_object().ok_or("a dynamic value must be {\"value\", \"type\"}")?;
            let t = Type::from_json(obj.get("type").ok_or("dynamic value without a type")?)?;
            match from_json(obj.get("value").unwrap_or(&Json::Null), &t)? {
                Value::Null => Value::Null,
                v => Value::Dynamic(t, Box::new(v)),
            }
        }
        Type::Bool => Value::Bool(j.as_bool().ok_or("expected a bool")?),
        Type::String => Value::String(j.as_str().ok_or("expected a string")?.to_string()),
        Type::Number => match j {
            // cty writes a number as its exact decimal text, so "0.1" means
            // the decimal, not the float64 nearest to it. serde_json keeps
            // the text as written (`arbitrary_precision`); parsing that text
            // keeps the number exact, integers beyond i64 included.
            Json::Number(n) => Value::Number(Number::parse(&n.to_string()).ok_or("invalid number")?),
            Json::String(s) => Value::Number(Number::parse(s).ok_or_else(|| format!("{s:?} is not a number"))?),
            _ => return Err("expected a number".into()),
        },
        Type::List(et) | Type::Set(et) => {
            let items = j.as_array().ok_or("expected an array")?;
            let items = items.iter().map(|i| from_json(i, et)).collect::<Result<Vec<_>, _>>()?;
            if matches!(ty, Type::List(_)) {
                Value::List(items)
            } else {
                Value::Set(items)
            }
        }
        Type::Tuple(etys) => {
            let items = j.as_array().ok_or("expected an array")?;
            if items.len() != etys.len() {
                return Err("tuple length does not match its type".into());
            }
            Value::Tuple(items.iter().zip(etys).map(|(i, t)| from_json(i, t)).collect::<Result<_, _>>()?)
        }
        Type::Map(et) => {
            let obj = j.as_object().ok_or("expected an object for a map")?;
            let mut m = BTreeMap::new();
            for (k, v) in obj {
                m.insert(k.clone(), from_json(v, et)?);
            }
            Value::Map(m)
        }
        Type::Object(attrs) => {
            let obj = j.as_object().ok_or("expected an object")?;
            let mut m = BTreeMap::new();
            for (k, aty) in attrs {
                let v = obj.get(k).map_or(Ok(Value::Null), |v| from_json(v, aty)).map_err(|e| format!("{k}: {e}"))?;
                m.insert(k.clone(), v);
            }
            Value::Object(m)
        }
    })
}

/// All the decimal digits of a finite float64, without trailing zeros.
fn exact_digits(f: f64) -> String {
    let s = format!("{f:.1074}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
