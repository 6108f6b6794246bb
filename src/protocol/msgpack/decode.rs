//! Decoding cty's msgpack, driven by the expected type; never panics.

use std::collections::BTreeMap;

use super::format::{
    EXT_REFINED_UNKNOWN, EXT_UNKNOWN, MAX_DEPTH, REFINE_LENGTH_LOWER, REFINE_LENGTH_UPPER, REFINE_NULLNESS,
    REFINE_NUMBER_LOWER, REFINE_NUMBER_UPPER, REFINE_STRING_PREFIX,
};
use crate::protocol::cty_type::Type;
use crate::protocol::value::{Number, Refinements, Value};

pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, String> {
    let mut r = Reader { b: bytes, pos: 0 };
    let v = r.value(ty, 0)?;
    if r.pos != bytes.len() {
        return Err(format!("{} trailing bytes after msgpack value", bytes.len() - r.pos));
    }
    Ok(v)
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

/// One msgpack item header, before its payload is read.
enum Head {
    Nil,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(usize),
    Bin(usize),
    Array(usize),
    Map(usize),
    Ext(i8, usize),
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.b.len());
        let Some(end) = end else {
            return Err(format!("msgpack data ends early at byte {}", self.pos));
        };
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn be<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn head(&mut self) -> Result<Head, String> {
        let m = self.byte()?;
        Ok(match m {
            0x00..=0x7f => Head::UInt(m as u64),
            0x80..=0x8f => Head::Map((m & 0x0f) as usize),
            0x90..=0x9f => Head::Array((m & 0x0f) as usize),
            0xa0..=0xbf => Head::Str((m & 0x1f) as usize),
            0xc0 => Head::Nil,
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4 => Head::Bin(self.byte()? as usize),
            0xc5 => Head::Bin(u16::from_be_bytes(self.be()?) as usize),
            0xc6 => Head::Bin(u32::from_be_bytes(self.be()?) as usize),
            0xc7 => {
                let n = self.byte()? as usize;
                Head::Ext(self.byte()? as i8, n)
            }
            0xc8 => {
                let n = u16::from_be_bytes(self.be()?) as usize;
                Head::Ext(self.byte()? as i8, n)
            }
            0xc9 => {
                let n = u32::from_be_bytes(self.be()?) as usize;
                Head::Ext(self.byte()? as i8, n)
            }
            0xca => Head::Float(f32::from_be_bytes(self.be()?) as f64),
            0xcb => Head::Float(f64::from_be_bytes(self.be()?)),
            0xcc => Head::UInt(self.byte()? as u64),
            0xcd => Head::UInt(u16::from_be_bytes(self.be()?) as u64),
            0xce => Head::UInt(u32::from_be_bytes(self.be()?) as u64),
            0xcf => Head::UInt(u64::from_be_bytes(self.be()?)),
            0xd0 => Head::Int(self.byte()? as i8 as i64),
            0xd1 => Head::Int(i16::from_be_bytes(self.be()?) as i64),
            0xd2 => Head::Int(i32::from_be_bytes(self.be()?) as i64),
            0xd3 => Head::Int(i64::from_be_bytes(self.be()?)),
            0xd4 => Head::Ext(self.byte()? as i8, 1),
            0xd5 => Head::Ext(self.byte()? as i8, 2),
            0xd6 => Head::Ext(self.byte()? as i8, 4),
            0xd7 => Head::Ext(self.byte()? as i8, 8),
            0xd8 => Head::Ext(self.byte()? as i8, 16),
            0xd9 => Head::Str(self.byte()? as usize),
            0xda => Head::Str(u16::from_be_bytes(self.be()?) as usize),
            0xdb => Head::Str(u32::from_be_bytes(self.be()?) as usize),
            0xdc => Head::Array(u16::from_be_bytes(self.be()?) as usize),
            0xdd => Head::Array(u32::from_be_bytes(self.be()?) as usize),
            0xde => Head::Map(u16::from_be_bytes(self.be()?) as usize),
            0xdf => Head::Map(u32::from_be_bytes(self.be()?) as usize),
            0xe0..=0xff => Head::Int(m as i8 as i64),
            0xc1 => return Err(format!("invalid msgpack marker 0xc1 at byte {}", self.pos - 1)),
        })
    }

    fn text(&mut self, n: usize) -> Result<String, String> {
        let raw = self.take(n)?;
        String::from_utf8(raw.to_vec()).map_err(|_| "msgpack string is not valid UTF-8".to_string())
    }

    fn number(&mut self, head: Head) -> Result<Number, String> {
        match head {
            // Above i64::MAX: a float when exactly one (as cty would have sent
            // it), otherwise the digits, so that re-encoding is stable.
            Head::UInt(u) => Ok(match i64::try_from(u) {
                Ok(i) => Number::Int(i),
                Err(_) => Number::parse(&u.to_string()).unwrap_or_else(|| Number::Big(u.to_string())),
            }),
            Head::Int(i) => Ok(Number::Int(i)),
            Head::Float(f) if !f.is_nan() => Ok(Number::from_f64(f)),
            Head::Str(n) => {
                let s = self.text(n)?;
                Number::parse(&s).ok_or_else(|| format!("{s:?} is not a number"))
            }
            _ => Err("expected a number".into()),
        }
    }

    fn string_head(&mut self, what: &str) -> Result<String, String> {
        match self.head()? {
            Head::Str(n) | Head::Bin(n) => self.text(n),
            _ => Err(format!("expected a string for {what}")),
        }
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("value nested too deeply".into());
        }
        let head = self.head()?;
        match head {
            Head::Nil => return Ok(Value::Null),
            Head::Ext(code, n) => return self.unknown(code, n, depth),
            _ => {}
        }
        match ty {
            Type::Dynamic => {
                let Head::Array(2) = head else {
                    return Err("a dynamic value must be a [type, value] pair".into());
                };
                let tjson = match self.head()? {
                    Head::Str(n) | Head::Bin(n) => self.take(n)?,
                    _ => return Err("the type of a dynamic value must be JSON bytes".into()),
                };
                let vty = Type::from_json_bytes(tjson)?;
                if nesting(&vty) > MAX_DEPTH {
                    return Err("type nested too deeply".into());
                }
                let inner = self.value(&vty, depth + 1)?;
                Ok(match inner {
                    Value::Null | Value::Unknown(_) => inner,
                    v => Value::Dynamic(vty, Box::new(v)),
                })
            }
            Type::Bool => match head {
                Head::Bool(b) => Ok(Value::Bool(b)),
                _ => Err("expected a bool".into()),
            },
            Type::Number => self.number(head).map(Value::Number),
            Type::String => match head {
                Head::Str(n) => Ok(Value::String(self.text(n)?)),
                _ => Err("expected a string".into()),
            },
            Type::List(et) | Type::Set(et) => {
                let Head::Array(n) = head else {
                    return Err("expected an array for a list or set".into());
                };
                let items = self.items(n, |r| r.value(et, depth + 1))?;
                Ok(if matches!(ty, Type::List(_)) { Value::List(items) } else { Value::Set(items) })
            }
            Type::Tuple(etys) => {
                let Head::Array(n) = head else {
                    return Err("expected an array for a tuple".into());
                };
                if n != etys.len() {
                    return Err(format!("tuple of {n} elements for a type of {}", etys.len()));
                }
                let mut items = Vec::with_capacity(n);
                for et in etys {
                    items.push(self.value(et, depth + 1)?);
                }
                Ok(Value::Tuple(items))
            }
            Type::Map(et) => {
                let Head::Map(n) = head else {
                    return Err("expected a map".into());
                };
                let mut m = BTreeMap::new();
                for _ in 0..n {
                    let k = self.string_head("a map key")?;
                    let v = self.value(et, depth + 1)?;
                    m.insert(k, v);
                }
                Ok(Value::Map(m))
            }
            Type::Object(attrs) => {
                let Head::Map(n) = head else {
                    return Err("expected a map for an object".into());
                };
                let mut m = BTreeMap::new();
                for _ in 0..n {
                    let k = self.string_head("an attribute name")?;
                    let Some(aty) = attrs.get(&k) else {
                        return Err(format!("unsupported attribute {k:?}"));
                    };
                    let v = self.value(aty, depth + 1)?;
                    m.insert(k, v);
                }
                for k in attrs.keys() {
                    m.entry(k.clone()).or_insert(Value::Null);
                }
                Ok(Value::Object(m))
            }
        }
    }

    /// Reads n items without trusting n for the allocation size.
    fn items(&mut self, n: usize, mut f: impl FnMut(&mut Self) -> Result<Value, String>) -> Result<Vec<Value>, String> {
        let mut items = Vec::with_capacity(n.min(self.b.len() - self.pos));
        for _ in 0..n {
            items.push(f(self)?);
        }
        Ok(items)
    }

    fn unknown(&mut self, code: i8, n: usize, depth: usize) -> Result<Value, String> {
        let payload = self.take(n)?;
        // cty reads any extension of at most one byte as a plain unknown,
        // whatever its type code; longer payloads must be refinements.
        if n <= 1 {
            return Ok(Value::Unknown(None));
        }
        match code {
            EXT_UNKNOWN => Ok(Value::Unknown(None)),
            EXT_REFINED_UNKNOWN => {
                let mut r = Reader { b: payload, pos: 0 };
                let refs = r.refinements(depth)?;
                Ok(Value::Unknown((refs != Refinements::default()).then(|| Box::new(refs))))
            }
            other => Err(format!("unsupported msgpack extension type {other}")),
        }
    }

    fn refinements(&mut self, depth: usize) -> Result<Refinements, String> {
        let mut out = Refinements::default();
        if self.b.is_empty() {
            return Ok(out);
        }
        let Head::Map(n) = self.head()? else {
            return Err("unknown-value refinements must be a map".into());
        };
        for _ in 0..n {
            let key = match self.head()? {
                Head::UInt(k) => k,
                Head::Int(k) => k as u64,
                _ => return Err("refinement keys must be integers".into()),
            };
            match key {
                REFINE_NULLNESS => match self.head()? {
                    Head::Bool(is_null) => out.not_null = !is_null,
                    _ => return Err("nullness refinement must be a bool".into()),
                },
                REFINE_STRING_PREFIX => out.string_prefix = Some(self.string_head("a string prefix")?),
                REFINE_NUMBER_LOWER | REFINE_NUMBER_UPPER => {
                    let Head::Array(2) = self.head()? else {
                        return Err("a number bound must be a [number, inclusive] pair".into());
                    };
                    // Read directly, not through `value`: a bound that was
                    // itself a (refined) unknown used to recurse without limit.
                    let head = self.head()?;
                    let n = self.number(head).map_err(|_| "a number bound must be a known number".to_string())?;
                    let Head::Bool(inclusive) = self.head()? else {
                        return Err("a number bound's inclusiveness must be a bool".into());
                    };
                    let slot = if key == REFINE_NUMBER_LOWER { &mut out.number_lower } else { &mut out.number_upper };
                    *slot = Some((n, inclusive));
                }
                REFINE_LENGTH_LOWER | REFINE_LENGTH_UPPER => {
                    let n = match self.head()? {
                        Head::UInt(u) => u,
                        Head::Int(i) if i >= 0 => i as u64,
                        _ => return Err("a length bound must be a non-negative integer".into()),
                    };
                    if key == REFINE_LENGTH_LOWER {
                        out.length_lower = Some(n);
                    } else {
                        out.length_upper = Some(n);
                    }
                }
                // Refinements from a newer Terraform that we do not know are
                // safe to drop: the value stays unknown either way.
                _ => self.skip(depth + 1)?,
            }
        }
        Ok(out)
    }

    fn skip(&mut self, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("value nested too deeply".into());
        }
        match self.head()? {
            Head::Str(n) | Head::Bin(n) | Head::Ext(_, n) => {
                self.take(n)?;
            }
            Head::Array(n) => {
                for _ in 0..n {
                    self.skip(depth + 1)?;
                }
            }
            Head::Map(n) => {
                for _ in 0..n {
                    self.skip(depth + 1)?;
                    self.skip(depth + 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn nesting(t: &Type) -> usize {
    match t {
        Type::List(e) | Type::Set(e) | Type::Map(e) => 1 + nesting(e),
        Type::Object(a) => 1 + a.values().map(nesting).max().unwrap_or(0),
        Type::Tuple(e) => 1 + e.iter().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}
