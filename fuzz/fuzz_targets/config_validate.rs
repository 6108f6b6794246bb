//! Whatever configuration arrives, validating it never panics: bytes decoded
//! with the delivery stream's schema type go through its validation, and the
//! same bytes decoded with the provider schema type through the provider's.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use terraform_provider_firehose::protocol::msgpack::decode;
use terraform_provider_firehose::protocol::Type;
use terraform_provider_firehose::provider;
use terraform_provider_firehose::resources::delivery_stream;

static TYPES: OnceLock<(Type, Type)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (stream, provider_ty) = TYPES.get_or_init(|| {
        (delivery_stream::schema::schema().block.value_type(), provider::schema::provider_schema().block.value_type())
    });
    // The first byte is the type selector of the other targets' inputs, so
    // their corpora work here too; it is ignored.
    let Some((_, bytes)) = data.split_first() else { return };
    if let Ok(v) = decode(bytes, stream) {
        let _ = delivery_stream::validate::validate(&v);
    }
    if let Ok(v) = decode(bytes, provider_ty) {
        let _ = provider::config::validate(&v);
    }
});
