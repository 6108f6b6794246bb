//! Arbitrary bytes decoded as msgpack against a schema type never panic; what
//! decodes re-encodes, decodes to the same value, and re-encodes identically.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use terraform_provider_firehose::protocol::msgpack::{decode, encode};
use terraform_provider_firehose::protocol::Type;
use terraform_provider_firehose_fuzz::{pick, types};

static TYPES: OnceLock<Vec<Type>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let types = TYPES.get_or_init(types);
    let Some((ty, bytes)) = pick(types, data) else { return };
    let Ok(v) = decode(bytes, ty) else { return };
    let once = encode(&v, ty).expect("a decoded value re-encodes");
    let back = decode(&once, ty).expect("a re-encoded value decodes");
    assert_eq!(back, v, "msgpack round trip changed the value");
    assert_eq!(encode(&back, ty).expect("re-encodes"), once, "msgpack encoding is not stable");
});
