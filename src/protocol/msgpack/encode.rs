//! Encoding a value of a known type as cty's msgpack.

use super::format::{
    infer_type, kind_name, EXT_REFINED_UNKNOWN, EXT_UNKNOWN, MAX_DEPTH, REFINE_LENGTH_LOWER, REFINE_LENGTH_UPPER,
    REFINE_NULLNESS, REFINE_NUMBER_LOWER, REFINE_NUMBER_UPPER, REFINE_STRING_PREFIX,
};
use crate::protocol::cty_type::Type;
use crate::protocol::value::{Number, Refinements, Value};

pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(64);
    Encoder { out: &mut out }.value(v, ty, 0)?;
    Ok(out)
}

struct Encoder<'a> {
    out: &'a mut Vec<u8>,
}

impl Encoder<'_> {
    fn value(&mut self, v: &Value, ty: &Type, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("value nested too deeply".into());
        }
        match v {
            Value::Null => {
                self.out.push(0xc0);
                return Ok(());
            }
            Value::Unknown(refs) => {
                self.unknown(refs.as_deref());
                return Ok(());
            }
            _ => {}
        }
        if let Type::Dynamic = ty {
            let (vty, inner) = match v {
                Value::Dynamic(t, inner) => (t.clone(), inner.as_ref()),
                other => (infer_type(other), other),
            };
            self.array_len(2);
            self.bin(&vty.to_json_bytes());
            return self.value(inner, &vty, depth + 1);
        }
        let v = match v {
            Value::Dynamic(_, inner) => inner.as_ref(),
            other => other,
        };
        match (ty, v) {
            (_, Value::Null) => self.out.push(0xc0),
            (_, Value::Unknown(r)) => self.unknown(r.as_deref()),
            (Type::Bool, Value::Bool(b)) => self.out.push(if *b { 0xc3 } else { 0xc2 }),
            (Type::Number, Value::Number(n)) => self.number(n),
            (Type::String, Value::String(s)) => self.str(s),
            (Type::List(et), Value::List(items)) | (Type::Set(et), Value::Set(items)) => {
                self.array_len(items.len());
                for item in items {
                    self.value(item, et, depth + 1)?;
                }
            }
            (Type::Map(et), Value::Map(m)) => {
                self.map_len(m.len());
                for (k, item) in m {
                    self.str(k);
                    self.value(item, et, depth + 1)?;
                }
            }
            (Type::Object(attrs), Value::Object(m)) => {
                if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                    return Err(format!("object has attribute {extra:?} that its type lacks"));
                }
                // Terraform requires every attribute of the type to be present.
                self.map_len(attrs.len());
                for (k, aty) in attrs {
                    self.str(k);
                    self.value(m.get(k).unwrap_or(&Value::Null), aty, depth + 1)?;
                }
            }
            (Type::Tuple(etys), Value::Tuple(items)) => {
                if etys.len() != items.len() {
                    return Err(format!("tuple of {} elements for a type of {}", items.len(), etys.len()));
                }
                self.array_len(items.len());
                for (item, et) in items.iter().zip(etys) {
                    self.value(item, et, depth + 1)?;
                }
            }
            (ty, v) => return Err(format!("cannot encode {} as {ty}", kind_name(v))),
        }
        Ok(())
    }

    fn unknown(&mut self, refs: Option<&Refinements>) {
        // No refinements at all is a plain unknown (cty writes it so, and an
        // empty refinement map would come back as one anyway).
        let Some(r) = refs.filter(|r| **r != Refinements::default()) else {
            self.out.extend_from_slice(&[0xd4, EXT_UNKNOWN as u8, 0]);
            return;
        };
        let mut payload = Vec::new();
        let mut e = Encoder { out: &mut payload };
        let count = usize::from(r.not_null)
            + usize::from(r.string_prefix.is_some())
            + usize::from(r.number_lower.is_some())
            + usize::from(r.number_upper.is_some())
            + usize::from(r.length_lower.is_some())
            + usize::from(r.length_upper.is_some());
        e.map_len(count);
        if r.not_null {
            e.uint(REFINE_NULLNESS);
            e.out.push(0xc2); // "is null" = false
        }
        if let Some(p) = &r.string_prefix {
            e.uint(REFINE_STRING_PREFIX);
            e.str(p);
        }
        for (key, bound) in [(REFINE_NUMBER_LOWER, &r.number_lower), (REFINE_NUMBER_UPPER, &r.number_upper)] {
            if let Some((n, inclusive)) = bound {
                e.uint(key);
                e.array_len(2);
                e.number(n);
                e.out.push(if *inclusive { 0xc3 } else { 0xc2 });
            }
        }
        for (key, bound) in [(REFINE_LENGTH_LOWER, r.length_lower), (REFINE_LENGTH_UPPER, r.length_upper)] {
            if let Some(n) = bound {
                e.uint(key);
                e.uint(n);
            }
        }
        let n = payload.len();
        if n <= 0xff {
            self.out.extend_from_slice(&[0xc7, n as u8]);
        } else if n <= 0xffff {
            self.out.push(0xc8);
            self.out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.out.push(0xc9);
            self.out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        self.out.push(EXT_REFINED_UNKNOWN as u8);
        self.out.extend_from_slice(&payload);
    }

    fn number(&mut self, n: &Number) {
        match n {
            Number::Int(i) => self.int(*i),
            Number::Float(f) => {
                self.out.push(0xcb);
                self.out.extend_from_slice(&f.to_be_bytes());
            }
            Number::Big(s) => self.str(s),
        }
    }

    fn int(&mut self, i: i64) {
        if i >= 0 {
            self.uint(i as u64);
        } else if i >= -32 {
            self.out.push(i as i8 as u8);
        } else if i >= i8::MIN as i64 {
            self.out.extend_from_slice(&[0xd0, i as i8 as u8]);
        } else if i >= i16::MIN as i64 {
            self.out.push(0xd1);
            self.out.extend_from_slice(&(i as i16).to_be_bytes());
        } else if i >= i32::MIN as i64 {
            self.out.push(0xd2);
            self.out.extend_from_slice(&(i as i32).to_be_bytes());
        } else {
            self.out.push(0xd3);
            self.out.extend_from_slice(&i.to_be_bytes());
        }
    }

    fn uint(&mut self, u: u64) {
        if u < 0x80 {
            self.out.push(u as u8);
        } else if u <= 0xff {
            self.out.extend_from_slice(&[0xcc, u as u8]);
        } else if u <= 0xffff {
            self.out.push(0xcd);
            self.out.extend_from_slice(&(u as u16).to_be_bytes());
        } else if u <= 0xffff_ffff {
            self.out.push(0xce);
            self.out.extend_from_slice(&(u as u32).to_be_bytes());
        } else {
            self.out.push(0xcf);
            self.out.extend_from_slice(&u.to_be_bytes());
        }
    }

    fn str(&mut self, s: &str) {
        let n = s.len();
        if n < 32 {
            self.out.push(0xa0 | n as u8);
        } else if n <= 0xff {
            self.out.extend_from_slice(&[0xd9, n as u8]);
        } else if n <= 0xffff {
            self.out.push(0xda);
            self.out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.out.push(0xdb);
            self.out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        self.out.extend_from_slice(s.as_bytes());
    }

    fn bin(&mut self, b: &[u8]) {
        let n = b.len();
        if n <= 0xff {
            self.out.extend_from_slice(&[0xc4, n as u8]);
        } else if n <= 0xffff {
            self.out.push(0xc5);
            self.out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.out.push(0xc6);
            self.out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        self.out.extend_from_slice(b);
    }

    fn array_len(&mut self, n: usize) {
        self.len_header(n, 0x90, 0xdc, 0xdd);
    }

    fn map_len(&mut self, n: usize) {
        self.len_header(n, 0x80, 0xde, 0xdf);
    }

    fn len_header(&mut self, n: usize, fix: u8, m16: u8, m32: u8) {
        if n < 16 {
            self.out.push(fix | n as u8);
        } else if n <= 0xffff {
            self.out.push(m16);
            self.out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.out.push(m32);
            self.out.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }
}
