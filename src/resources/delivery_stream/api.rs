//! The Firehose API shapes every destination kind shares: tags and stream
//! encryption. Each kind's own configuration is in its module under
//! `destinations/`.

use std::collections::BTreeMap;

use aws_sdk_firehose::types as fh;

use super::enums::Sse;
use crate::protocol::Value;

pub fn build_err(e: aws_smithy_types::error::operation::BuildError) -> String {
    format!("invalid request: {e}")
}

pub fn tags(t: &BTreeMap<String, String>) -> Result<Vec<fh::Tag>, String> {
    t.iter().map(|(k, v)| fh::Tag::builder().key(k).value(v).build().map_err(build_err)).collect()
}

/// (encryption, key ARN) as our attributes spell them.
pub fn encryption_value(e: Option<&fh::DeliveryStreamEncryptionConfiguration>) -> (Value, Value) {
    // An emulator may report the key type without a status; AWS always
    // reports the status, which is what decides.
    let on = e.is_some_and(|e| match e.status() {
        None => e.key_type().is_some(),
        Some(s) => {
            matches!(s, fh::DeliveryStreamEncryptionStatus::Enabled | fh::DeliveryStreamEncryptionStatus::Enabling)
        }
    });
    match e.filter(|_| on).and_then(|e| e.key_type()) {
        Some(fh::KeyType::CustomerManagedCmk) => (
            Value::string(Sse::CustomerManaged.hcl()),
            Value::opt_string(e.and_then(|e| e.key_arn()).map(str::to_string)),
        ),
        Some(_) => (Value::string(Sse::AwsOwned.hcl()), Value::Null),
        None => (Value::string(Sse::Unencrypted.hcl()), Value::Null),
    }
}
