//! The canary record: a small JSON document with an id no other record
//! carries, so finding the id in an object proves this record got there.
//! It is documented in docs/guides/delivery-check.md, so consumers of the
//! destination can recognise and drop it.

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use sha2::{Digest, Sha256};

/// The field that marks a canary record.
pub const FIELD: &str = "firehose_delivery_check";

/// A fresh canary id: 24 hex digits from the stream, the time and the
/// process, hashed so two checks never share one.
pub fn new_id(stream: &str) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(stream.as_bytes());
    h.update(now.as_nanos().to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.finalize()[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// The record put into the stream, newline-terminated so it stays one line
/// among others in an object.
pub fn record(id: &str, stream: &str, at_ms: i64) -> Vec<u8> {
    let at = DateTime::from_millis(at_ms).fmt(Format::DateTime).unwrap_or_default();
    let doc = serde_json::json!({ FIELD: id, "stream": stream, "sent_at": at });
    format!("{doc}\n").into_bytes()
}

/// Whether an object's bytes hold the canary; GZIP objects are read
/// decompressed, up to a bound so a huge object cannot exhaust memory.
pub fn found_in(body: &[u8], encoding: &str, id: &str) -> bool {
    const LIMIT: u64 = 64 * 1024 * 1024;
    let text = if encoding == "GZIP" {
        let mut out = Vec::new();
        let mut reader = flate2::read::MultiGzDecoder::new(body).take(LIMIT);
        if reader.read_to_end(&mut out).is_err() {
            return false;
        }
        out
    } else {
        body.to_vec()
    };
    let needle = id.as_bytes();
    text.windows(needle.len()).any(|w| w == needle)
}

/// `YYYY/MM/DD/HH/` of a time (UTC), the part Firehose appends to a prefix
/// without expressions.
pub fn hour_prefix(at_ms: i64) -> String {
    let s = DateTime::from_millis(at_ms).fmt(Format::DateTime).unwrap_or_default();
    // "2026-12-07T22:10:00Z"
    if s.len() < 13 {
        return String::new();
    }
    format!("{}/{}/{}/{}/", &s[0..4], &s[5..7], &s[8..10], &s[11..13])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn ids_differ_and_the_record_is_one_json_line() {
        let (a, b) = (new_id("orders"), new_id("orders"));
        assert_eq!(a.len(), 24);
        assert_ne!(a, b);
        let r = record(&a, "orders", 1_796_940_000_000);
        let text = String::from_utf8(r).unwrap();
        assert!(text.ends_with('\n') && text.matches('\n').count() == 1);
        let doc: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(doc[FIELD], a.as_str());
        assert_eq!(doc["stream"], "orders");
        assert!(doc["sent_at"].as_str().unwrap().starts_with("2026-12-10T"));
    }

    #[test]
    fn finds_the_canary_plain_and_gzipped_and_not_elsewhere() {
        let body = [b"{\"a\":1}\n".as_slice(), &record("abc123", "s", 0), b"{\"b\":2}\n"].concat();
        assert!(found_in(&body, "UNCOMPRESSED", "abc123"));
        assert!(!found_in(&body, "UNCOMPRESSED", "abc124"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&body).unwrap();
        let gz = gz.finish().unwrap();
        assert!(found_in(&gz, "GZIP", "abc123"));
        assert!(!found_in(&gz, "UNCOMPRESSED", "abc123"), "compressed bytes do not hold the id as text");
        assert!(!found_in(b"not gzip", "GZIP", "abc123"));
    }

    #[test]
    fn the_hour_prefix_is_utc() {
        assert_eq!(hour_prefix(0), "1970/01/01/00/");
        assert_eq!(hour_prefix(1_796_940_000_000), "2026/12/10/22/");
    }
}
