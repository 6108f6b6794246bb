//! Arbitrary bytes read as JSON state against a schema type never panic; what
//! decodes re-encodes to JSON and decodes to the same value.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use terraform_provider_firehose::protocol::json::{from_json, to_json};
use terraform_provider_firehose::protocol::Type;
use terraform_provider_firehose_fuzz::{pick, types};

static TYPES: OnceLock<Vec<Type>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let types = TYPES.get_or_init(types);
    let Some((ty, bytes)) = pick(types, data) else { return };
    let Ok(j) = serde_json::from_slice::<serde_json::Value>(bytes) else { return };
    let Ok(v) = from_json(&j, ty) else { return };
    let again = match to_json(&v, ty) {
        Ok(again) => again,
        // The one thing state can name but not hold: "Inf" read as a number.
        Err(e) if e.contains("infinite") => return,
        Err(e) => panic!("a decoded value does not re-encode: {e}"),
    };
    let text = again.to_string();
    let reparsed: serde_json::Value = serde_json::from_str(&text).expect("our JSON parses");
    let back = from_json(&reparsed, ty).expect("a re-encoded value decodes");
    assert_eq!(back, v, "JSON round trip changed the value");
});
