//! Property and fixed-vector tests for the cty value codecs: msgpack (the
//! `DynamicValue` wire form) and JSON (stored state), and for type JSON.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::json;
use terraform_provider_firehose::protocol::json::{from_json, to_json};
use terraform_provider_firehose::protocol::msgpack::{decode, encode};
use terraform_provider_firehose::protocol::value::Refinements;
use terraform_provider_firehose::protocol::{Number, Type, Value};

// ---------------------------------------------------------------- strategies

fn attr_name() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,7}"
}

/// Any type, nested at most `depth` levels below the root.
fn arb_type(depth: u32) -> BoxedStrategy<Type> {
    let leaf = prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool), Just(Type::Dynamic)];
    leaf.prop_recursive(depth, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map(attr_name(), inner.clone(), 0..4).prop_map(Type::Object),
            prop::collection::vec(inner, 0..4).prop_map(Type::Tuple),
        ]
    })
    .boxed()
}

/// The type a dynamic value can really arrive with: anything but dynamic
/// itself at the top (it may contain dynamic inside).
fn arb_concrete_type(depth: u32) -> BoxedStrategy<Type> {
    arb_type(depth).prop_filter("concrete", |t| *t != Type::Dynamic).boxed()
}

/// Decimal strings that no i64 or f64 holds exactly, so they stay `Big`: a
/// fraction ending in a digit other than 0 or 5 is never dyadic, and an odd
/// integer beyond 2^53 is never a float64.
fn arb_big() -> impl Strategy<Value = String> {
    let fraction = ("-?(0|[1-9][0-9]{0,25})", "[0-9]{0,20}[12346789]").prop_map(|(i, f)| format!("{i}.{f}"));
    let integer = "-?[1-9][0-9]{19,40}[13579]";
    let exponent = ("-?[1-9]\\.[0-9]{0,10}[12346789]", "[4-9][0-9]{2}").prop_map(|(m, e)| format!("{m}e{e}"));
    prop_oneof![fraction, integer, exponent]
}

fn arb_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::Int),
        // from_f64 keeps the canonical form: integral floats become Int.
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Number::from_f64),
        (-1_000_000i64..1_000_000, 1u32..12).prop_map(|(m, k)| Number::from_f64(m as f64 / f64::from(1u32 << k))),
        arb_big().prop_map(Number::Big),
    ]
}

fn arb_refinements() -> impl Strategy<Value = Option<Box<Refinements>>> {
    (
        any::<bool>(),
        proptest::option::of(any::<String>()),
        proptest::option::of((arb_number(), any::<bool>())),
        proptest::option::of((arb_number(), any::<bool>())),
        proptest::option::of(any::<u64>()),
        proptest::option::of(any::<u64>()),
    )
        .prop_map(|(not_null, string_prefix, number_lower, number_upper, length_lower, length_upper)| {
            let r = Refinements { not_null, string_prefix, number_lower, number_upper, length_lower, length_upper };
            // A refinement that says nothing is a plain unknown.
            (r != Refinements::default()).then(|| Box::new(r))
        })
}

/// A value of type `ty`; `unknowns` allows unknowns (msgpack only);
/// `dyn_depth` bounds how many dynamic values nest.
fn arb_value(ty: &Type, unknowns: bool, dyn_depth: u32) -> BoxedStrategy<Value> {
    let known = arb_present(ty, unknowns, dyn_depth);
    if unknowns {
        prop_oneof![
            1 => Just(Value::Null),
            1 => Just(Value::Unknown(None)),
            1 => arb_refinements().prop_map(Value::Unknown),
            6 => known,
        ]
        .boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 5 => known].boxed()
    }
}

/// A value of type `ty` that is neither null nor unknown at the top.
fn arb_present(ty: &Type, unknowns: bool, dyn_depth: u32) -> BoxedStrategy<Value> {
    let elems = |et: &Type| prop::collection::vec(arb_value(et, unknowns, dyn_depth), 0..4);
    match ty {
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Number => arb_number().prop_map(Value::Number).boxed(),
        Type::String => any::<String>().prop_map(Value::String).boxed(),
        Type::List(et) => elems(et).prop_map(Value::List).boxed(),
        Type::Set(et) => elems(et).prop_map(Value::Set).boxed(),
        Type::Map(et) => prop::collection::btree_map(any::<String>(), arb_value(et, unknowns, dyn_depth), 0..4)
            .prop_map(Value::Map)
            .boxed(),
        Type::Object(attrs) => {
            // Every attribute is present: the decoder fills absent ones with null.
            let parts: Vec<_> = attrs
                .iter()
                .map(|(k, t)| {
                    let k = k.clone();
                    arb_value(t, unknowns, dyn_depth).prop_map(move |v| (k.clone(), v))
                })
                .collect();
            parts.prop_map(|kv| Value::Object(kv.into_iter().collect())).boxed()
        }
        Type::Tuple(etys) => {
            let parts: Vec<_> = etys.iter().map(|t| arb_value(t, unknowns, dyn_depth)).collect();
            parts.prop_map(Value::Tuple).boxed()
        }
        Type::Dynamic => {
            let depth = dyn_depth.saturating_sub(1);
            let ty_depth = if dyn_depth == 0 { 0 } else { 2 };
            arb_concrete_type(ty_depth)
                .prop_flat_map(move |t| {
                    arb_present(&t, unknowns, depth).prop_map(move |v| Value::Dynamic(t.clone(), Box::new(v)))
                })
                .boxed()
        }
    }
}

fn typed_value(unknowns: bool) -> impl Strategy<Value = (Type, Value)> {
    arb_type(3).prop_flat_map(move |t| {
        let v = arb_value(&t, unknowns, 2);
        (Just(t), v)
    })
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(config())]

    /// msgpack round trip; Number equality is numeric (and exact).
    #[test]
    fn msgpack_round_trips((ty, v) in typed_value(true)) {
        let bytes = encode(&v, &ty).expect("a conforming value encodes");
        let back = decode(&bytes, &ty).map_err(|e| TestCaseError::fail(format!("{e}: {bytes:02x?}")))?;
        prop_assert_eq!(&back, &v);
        // The generated numbers are in cty's canonical form, so the bytes are too.
        prop_assert_eq!(encode(&back, &ty).unwrap(), bytes);
    }

    /// JSON (state) round trip, for wholly known values.
    #[test]
    fn json_round_trips((ty, v) in typed_value(false)) {
        prop_assert!(v.is_wholly_known());
        let j = to_json(&v, &ty).expect("a known value has a JSON form");
        // Through text, as state really travels.
        let j2: serde_json::Value = serde_json::from_str(&j.to_string()).unwrap();
        let back = from_json(&j2, &ty).map_err(|e| TestCaseError::fail(format!("{e}: {j}")))?;
        prop_assert_eq!(back, v);
    }

    /// Arbitrary bytes never panic the decoder.
    #[test]
    fn msgpack_decode_never_panics(ty in arb_type(3), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = decode(&bytes, &ty);
    }

    /// Nor do small corruptions of valid encodings, which get much further in.
    #[test]
    fn msgpack_decode_of_corrupted_values_never_panics(
        (ty, v) in typed_value(true),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = encode(&v, &ty).unwrap();
        for (i, b) in edits {
            let i = i.index(bytes.len());
            bytes[i] = b;
        }
        let _ = decode(&bytes, &ty);
        let cut = cut.index(bytes.len() + 1);
        let _ = decode(&bytes[..cut], &ty);
    }

    /// Arbitrary JSON never panics the state decoder.
    #[test]
    fn json_decode_never_panics(ty in arb_type(3), text in "[\\[\\]{}\",:0-9a-z.e\\- ]{0,40}") {
        if let Ok(j) = serde_json::from_str::<serde_json::Value>(&text) {
            let _ = from_json(&j, &ty);
        }
    }

    #[test]
    fn type_json_round_trips(ty in arb_type(4)) {
        prop_assert_eq!(Type::from_json(&ty.to_json()), Ok(ty.clone()));
        prop_assert_eq!(Type::from_json_bytes(&ty.to_json_bytes()), Ok(ty));
    }

    /// Number::parse is exact for integers and decimal strings; a float's
    /// text is its shortest form, which reads back as the same float64.
    #[test]
    fn number_text_round_trips(n in arb_number()) {
        let back = Number::parse(&n.to_text()).unwrap();
        match n {
            Number::Float(f) => prop_assert_eq!(back.as_f64(), f),
            n => prop_assert_eq!(back, n),
        }
    }
}

// ---------------------------------------------------------------- fixed vectors

fn obj(attrs: &[(&str, Type)]) -> Type {
    Type::object(attrs.iter().map(|(k, t)| (*k, t.clone())))
}

#[test]
fn unknown_is_extension_zero() {
    assert_eq!(encode(&Value::UNKNOWN, &Type::String).unwrap(), [0xd4, 0x00, 0x00]);
    assert_eq!(decode(&[0xd4, 0x00, 0x00], &Type::String).unwrap(), Value::UNKNOWN);
    // An unknown with refinements that say nothing is written plainly too.
    let empty = Value::Unknown(Some(Box::default()));
    assert_eq!(encode(&empty, &Type::String).unwrap(), [0xd4, 0x00, 0x00]);
}

#[test]
fn refined_unknown_decodes() {
    // ext 12, payload {1: false (not null), 2: "ar"}
    let bytes = [0xc7, 0x07, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa2, b'a', b'r'];
    let v = decode(&bytes, &Type::String).unwrap();
    let want = Refinements { not_null: true, string_prefix: Some("ar".into()), ..Refinements::default() };
    assert_eq!(v, Value::Unknown(Some(Box::new(want))));
    assert_eq!(encode(&v, &Type::String).unwrap(), bytes);
    // Number bounds and length bounds, plus a refinement from the future that is skipped.
    let bytes = [0xc7, 0x0d, 0x0c, 0x84, 0x03, 0x92, 0x05, 0xc3, 0x06, 0x0a, 0x09, 0x91, 0xa1, b'x', 0x01, 0xc2];
    let v = decode(&bytes, &Type::list(Type::Number)).unwrap();
    let Value::Unknown(Some(r)) = v else { panic!("{v:?}") };
    assert_eq!(r.number_lower, Some((Number::Int(5), true)));
    assert_eq!(r.length_upper, Some(10));
    assert!(r.not_null);
}

#[test]
fn missing_attribute_decodes_to_null_and_extra_is_an_error() {
    let ty = obj(&[("a", Type::String), ("b", Type::list(Type::String))]);
    let v = decode(&[0x81, 0xa1, b'a', 0xa1, b'x'], &ty).unwrap();
    assert_eq!(v, Value::object([("a", Value::string("x")), ("b", Value::Null)]));
    let err = decode(&[0x81, 0xa1, b'z', 0xa1, b'x'], &ty).unwrap_err();
    assert!(err.contains("unsupported attribute"), "{err}");
    // And every attribute is written, absent ones as null.
    let bytes = encode(&Value::object([("a", Value::string("x"))]), &ty).unwrap();
    assert_eq!(bytes, [0x82, 0xa1, b'a', 0xa1, b'x', 0xa1, b'b', 0xc0]);
}

#[test]
fn dynamic_value_is_type_json_and_value() {
    // ["\"string\"" as bytes, "hi"]
    let mut bytes = vec![0x92, 0xc4, 8];
    bytes.extend_from_slice(b"\"string\"");
    bytes.extend_from_slice(&[0xa2, b'h', b'i']);
    let v = decode(&bytes, &Type::Dynamic).unwrap();
    assert_eq!(v, Value::Dynamic(Type::String, Box::new(Value::string("hi"))));
    assert_eq!(v.as_str(), Some("hi"));
    assert_eq!(encode(&v, &Type::Dynamic).unwrap(), bytes);
    // Also accepted with the type JSON as a msgpack string.
    let mut as_str = vec![0x92, 0xa8];
    as_str.extend_from_slice(b"\"string\"");
    as_str.extend_from_slice(&[0xa2, b'h', b'i']);
    assert_eq!(decode(&as_str, &Type::Dynamic).unwrap(), v);
}

#[test]
fn big_unsigned_decodes_to_big_number() {
    let mut bytes = vec![0xcf];
    bytes.extend_from_slice(&u64::MAX.to_be_bytes());
    let v = decode(&bytes, &Type::Number).unwrap();
    assert!(matches!(v, Value::Number(Number::Big(ref s)) if s == "18446744073709551615"), "{v:?}");
    assert_eq!(v.as_number().unwrap().as_i64(), None);
    // Re-encoded as a decimal string, which cty reads exactly.
    assert_eq!(decode(&encode(&v, &Type::Number).unwrap(), &Type::Number).unwrap(), v);
    // The same through JSON state, where it used to round to a float.
    let j: serde_json::Value = serde_json::from_str("18446744073709551615").unwrap();
    assert_eq!(from_json(&j, &Type::Number).unwrap(), v);
}

#[test]
fn float32_input_decodes() {
    let mut bytes = vec![0xca];
    bytes.extend_from_slice(&1.5f32.to_be_bytes());
    assert_eq!(decode(&bytes, &Type::Number).unwrap(), Value::float(1.5));
    let mut bytes = vec![0xca];
    bytes.extend_from_slice(&3.0f32.to_be_bytes());
    assert!(matches!(decode(&bytes, &Type::Number).unwrap(), Value::Number(Number::Int(3))));
    let mut bytes = vec![0xca];
    bytes.extend_from_slice(&f32::NAN.to_be_bytes());
    assert!(decode(&bytes, &Type::Number).is_err());
}

#[test]
fn deeply_nested_dynamic_type_is_an_error_not_a_stack_overflow() {
    let mut ty = String::from("\"string\"");
    for _ in 0..10_000 {
        ty = format!("[\"list\",{ty}]");
    }
    let mut bytes = vec![0x92, 0xc6];
    bytes.extend_from_slice(&(ty.len() as u32).to_be_bytes());
    bytes.extend_from_slice(ty.as_bytes());
    bytes.push(0x90);
    assert!(decode(&bytes, &Type::Dynamic).is_err());
    // Values nested through dynamic pairs ("dynamic" inside "dynamic" ...).
    let mut bytes = Vec::new();
    for _ in 0..100_000 {
        bytes.extend_from_slice(&[0x92, 0xa9]);
        bytes.extend_from_slice(b"\"dynamic\"");
    }
    bytes.push(0xc0);
    assert!(decode(&bytes, &Type::Dynamic).is_err());
    // Arrays nested under list(dynamic)-typed JSON.
    let j: String = "[".repeat(100_000);
    assert!(serde_json::from_str::<serde_json::Value>(&j).is_err());
}

/// Found by reasoning about the decoder, then confirmed: a refined unknown's
/// number bound was decoded at a fixed depth with a fresh reader, so a bound
/// that was itself a refined unknown recursed without limit, overflowing the
/// stack on ~6 bytes per level.
#[test]
fn nested_refined_unknown_bounds_are_an_error_not_a_stack_overflow() {
    // Built outside-in: each level is `c9 <len32> 0c 81 03 92 <inner> c2`,
    // ten bytes more than the level inside it.
    const LEVELS: usize = 200_000;
    let mut bytes = Vec::with_capacity(LEVELS * 10 + 3);
    for k in (1..=LEVELS).rev() {
        let payload_len = 3 + (3 + 10 * (k - 1)) + 1;
        bytes.push(0xc9);
        bytes.extend_from_slice(&(payload_len as u32).to_be_bytes());
        bytes.extend_from_slice(&[0x0c, 0x81, 0x03, 0x92]);
    }
    bytes.extend_from_slice(&[0xd4, 0x00, 0x00]);
    bytes.extend(std::iter::repeat_n(0xc2, LEVELS));
    // Run on a thread with a modest stack, as the server's are.
    let r = std::thread::Builder::new().stack_size(2 << 20).spawn(move || decode(&bytes, &Type::Number).is_err());
    assert!(r.unwrap().join().unwrap());
}

#[test]
fn decimal_strings_stay_exact() {
    // cty sends 0.1 as the string "0.1" (no float64 is exactly 0.1); it used
    // to come back as float64 0.1, which cty reads as a different number.
    let v = decode(&[0xa3, b'0', b'.', b'1'], &Type::Number).unwrap();
    assert!(matches!(v, Value::Number(Number::Big(ref s)) if s == "0.1"), "{v:?}");
    assert_eq!(encode(&v, &Type::Number).unwrap(), [0xa3, b'0', b'.', b'1']);
    assert_ne!(v, Value::Number(Number::Float(0.1)));
    assert_eq!(v.as_number().unwrap().as_f64(), 0.1);
    // A dyadic fraction is a float; a big power of ten too, when exact.
    assert!(matches!(Number::parse("0.5"), Some(Number::Float(f)) if f == 0.5));
    assert!(matches!(Number::parse("1e20"), Some(Number::Float(f)) if f == 1e20));
    assert!(matches!(Number::parse("2.50"), Some(Number::Float(f)) if f == 2.5));
    assert!(matches!(Number::parse("7.000"), Some(Number::Int(7))));
    // Too large for float64 is not infinity.
    assert!(matches!(Number::parse("1e400"), Some(Number::Big(ref s)) if s == "1e400"));
    assert!(matches!(Number::parse("-Inf"), Some(Number::Float(f)) if f == f64::NEG_INFINITY));
    assert_eq!(Number::parse("NaN"), None);
    // Numeric equality is exact.
    assert_eq!(Number::Big("9223372036854775808".into()), Number::Float(2f64.powi(63)));
    assert_ne!(Number::Float(2f64.powi(63)), Number::Int(i64::MAX));
    assert_eq!(Number::Float(2f64.powi(63)).as_i64(), None);
    assert_eq!(Number::Float(-(2f64.powi(63))).as_i64(), Some(i64::MIN));
    assert_eq!(Number::Int(3), Number::Float(3.0));
    // JSON state: the number 0.1 is the decimal 0.1 too.
    let j: serde_json::Value = serde_json::from_str("0.1").unwrap();
    assert_eq!(from_json(&j, &Type::Number).unwrap(), v);
    // And a float that is not a short decimal is written with all its digits.
    let third = Value::Number(Number::Float(1.0 / 3.0));
    let j = to_json(&third, &Type::Number).unwrap();
    assert!(j.as_str().is_some_and(|s| s.starts_with("0.333333333333333314829616256247")), "{j}");
    assert_eq!(from_json(&j, &Type::Number).unwrap(), third);
    assert_eq!(to_json(&Value::float(0.5), &Type::Number).unwrap(), json!(0.5));
}

#[test]
fn json_dynamic_and_dropped_attributes() {
    let ty = obj(&[("d", Type::Dynamic), ("n", Type::Number)]);
    let j = json!({"d": {"value": ["a", "b"], "type": ["list", "string"]}, "n": 1, "old": true});
    let v = from_json(&j, &ty).unwrap();
    let want = BTreeMap::from([
        (
            "d".to_string(),
            Value::Dynamic(
                Type::list(Type::String),
                Box::new(Value::List(vec![Value::string("a"), Value::string("b")])),
            ),
        ),
        ("n".to_string(), Value::int(1)),
    ]);
    assert_eq!(v, Value::Object(want));
    assert_eq!(to_json(&v, &ty).unwrap(), json!({"d": {"value": ["a", "b"], "type": ["list", "string"]}, "n": 1}));
    assert!(to_json(&Value::UNKNOWN, &Type::String).is_err());
}

// ---------------------------------------------------------------- fuzz seeds

#[path = "../fuzz/src/lib.rs"]
mod fuzz_types;

/// A value of `ty` with everything present: one element per collection, and
/// strings that look like what the attribute holds. `fill` picks what leaves
/// are: 0 known, 1 null, 2 unknown.
fn sample(ty: &Type, name: &str, fill: u8) -> Value {
    let leaf = |known: Value| match fill {
        0 => known,
        1 => Value::Null,
        _ => Value::UNKNOWN,
    };
    match ty {
        Type::String => leaf(Value::string(if name.ends_with("arn") {
            if name.contains("role") {
                "arn:aws:iam::123456789012:role/example"
            } else if name.contains("key") {
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            } else if name.contains("lambda") {
                "arn:aws:lambda:us-east-1:123456789012:function:example"
            } else if name.contains("stream") {
                "arn:aws:kinesis:us-east-1:123456789012:stream/example"
            } else {
                "arn:aws:s3:::example-bucket"
            }
        } else if name.contains("prefix") {
            "events/!{timestamp:yyyy/MM/dd}/"
        } else {
            "example"
        })),
        Type::Number => leaf(Value::int(60)),
        Type::Bool => leaf(Value::Bool(true)),
        Type::Dynamic => leaf(Value::Dynamic(Type::String, Box::new(Value::string("example")))),
        Type::List(et) => Value::List(vec![sample(et, name, fill)]),
        Type::Set(et) => Value::Set(vec![sample(et, name, fill)]),
        Type::Map(et) => Value::Map(BTreeMap::from([("app".to_string(), sample(et, name, fill))])),
        Type::Object(attrs) => Value::Object(attrs.iter().map(|(k, t)| (k.clone(), sample(t, k, fill))).collect()),
        Type::Tuple(ts) => Value::Tuple(ts.iter().map(|t| sample(t, name, fill)).collect()),
    }
}

/// Writes the seed corpus for the fuzz targets into `$FUZZ_SEED_DIR/<target>/`
/// (run by `scripts/fuzz`; a no-op without the variable).
#[test]
#[ignore = "writes the fuzz seed corpus; run by scripts/fuzz"]
fn write_fuzz_seeds() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let Some(dir) = std::env::var_os("FUZZ_SEED_DIR") else { return };
    let dir = std::path::PathBuf::from(dir);
    let types = fuzz_types::types();
    let mut runner = TestRunner::deterministic();
    let mut seeds: Vec<(&str, Vec<u8>)> = Vec::new();
    for (i, ty) in types.iter().enumerate() {
        let selector = u8::try_from(i).unwrap();
        let mut values: Vec<Value> = (0..3).map(|fill| sample(ty, "", fill)).collect();
        values.push(Value::Null);
        for _ in 0..8 {
            values.push(arb_value(ty, true, 2).new_tree(&mut runner).unwrap().current());
        }
        for v in values {
            let mut msgpack = vec![selector];
            msgpack.extend(encode(&v, ty).unwrap());
            let (picked, _) = fuzz_types::pick(&types, &msgpack).unwrap();
            assert_eq!(picked, ty);
            if i < 2 {
                seeds.push(("config_validate", msgpack.clone()));
            }
            seeds.push(("msgpack_decode", msgpack));
            if v.is_wholly_known() {
                let mut json = vec![selector];
                json.extend(to_json(&v, ty).unwrap().to_string().into_bytes());
                seeds.push(("json_decode", json));
            }
        }
    }
    for (n, (target, bytes)) in seeds.iter().enumerate() {
        let d = dir.join(target);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(format!("seed-{n:03}")), bytes).unwrap();
    }
    println!("wrote {} seeds to {}", seeds.len(), dir.display());
}

/// Found by `scripts/fuzz` (msgpack_decode): a uint64 above i64::MAX that is
/// exactly a float64 decoded to decimal digits, which re-encoded as a string,
/// which decoded to the float, which re-encoded as float64: the encoding of a
/// decoded value was not stable. Such a uint64 now decodes to the float.
#[test]
fn fuzz_regression_uint64_number_bound_reencodes_stably() {
    // Selector 4 (number) dropped: a refined unknown whose upper bound is the
    // uint64 0xc06f234000000000 = 13866340535481925632, exactly a float64.
    let input = [0xc7, 0x0d, 0x0c, 0x81, 0x04, 0x92, 0xcf, 0xc0, 0x6f, 0x23, 0x40, 0, 0, 0, 0, 0xc3];
    let v = decode(&input, &Type::Number).unwrap();
    let Value::Unknown(Some(r)) = &v else { panic!("{v:?}") };
    let (bound, inclusive) = r.number_upper.clone().unwrap();
    assert!(inclusive);
    assert!(matches!(bound, Number::Float(f) if f == 13866340535481925632.0), "{bound:?}");
    let once = encode(&v, &Type::Number).unwrap();
    let back = decode(&once, &Type::Number).unwrap();
    assert_eq!(back, v);
    assert_eq!(encode(&back, &Type::Number).unwrap(), once);
    // The same as a plain value.
    let mut plain = vec![0xcf];
    plain.extend_from_slice(&0xc06f_2340_0000_0000u64.to_be_bytes());
    let v = decode(&plain, &Type::Number).unwrap();
    let once = encode(&v, &Type::Number).unwrap();
    assert_eq!(encode(&decode(&once, &Type::Number).unwrap(), &Type::Number).unwrap(), once);
}

/// Found by `scripts/fuzz` (json_decode): stored state holding a 17-digit
/// float64 ("4444444444424444.5", exactly a float64) was read one unit in the
/// last place off (as 4444444444424445), because serde_json's default number
/// parser is fast but not correctly rounded; and a number whose exact text is
/// longer than the float's shortest form ("-1234567890123456.75", shortest
/// "-1234567890123456.8") was read back as the shortest form, another value.
/// serde_json now keeps each number's text (`arbitrary_precision`), and state
/// numbers are read from that text.
#[test]
fn fuzz_regression_seventeen_digit_float_in_state_reads_exactly() {
    for text in ["4444444444424444.5", "-1234567890123456.75"] {
        let j: serde_json::Value = serde_json::from_str(text).unwrap();
        let v = from_json(&j, &Type::Number).unwrap();
        let want: f64 = text.parse().unwrap();
        assert_eq!(v, Value::Number(Number::from_f64(want)), "{text}");
        let again = to_json(&v, &Type::Number).unwrap().to_string();
        let back = from_json(&serde_json::from_str(&again).unwrap(), &Type::Number).unwrap();
        assert_eq!(back, v, "{text} -> {again}");
    }
}
