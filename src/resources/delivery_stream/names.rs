//! Deterministic names of the parts a stream expands into. The same stream
//! name always yields the same part names, so an apply interrupted at any
//! point can find and adopt what it already created.

use sha2::{Digest, Sha256};

/// Tag carried by every part the resource creates; its value is the stream
/// name. Adoption and deletion trust only parts that carry it.
pub const OWNER_TAG: &str = "seedworks:firehose:stream";

/// Carried, beside the ownership tag, by a part that no completed apply
/// holds: one made by a create that has not finished yet, or a backup bucket
/// that destroy kept because it held records. Only such parts may be adopted
/// by a create; a part without it belongs to a stream some Terraform state
/// manages (docs/resources/delivery_stream.md, "What the provider adopts").
pub const ADOPTABLE_TAG: &str = "seedworks:firehose:adoptable";
pub const ADOPTABLE_VALUE: &str = "true";

/// Tags the provider keeps for itself, hidden from `tags_all`.
pub fn is_internal_tag(key: &str) -> bool {
    key == OWNER_TAG || key == ADOPTABLE_TAG
}

pub const IAM_ROLE_NAME_MAX: usize = 64;
pub const IAM_POLICY_NAME_MAX: usize = 128;
pub const BUCKET_NAME_MAX: usize = 63;

fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// `base` + `suffix`, truncated with a hash of the full name when too long so
/// that distinct long names stay distinct.
fn bounded(base: &str, suffix: &str, max: usize) -> String {
    let full = format!("{base}{suffix}");
    if full.len() <= max {
        return full;
    }
    let hash = short_hash(&[base, suffix]);
    let keep = max.saturating_sub(suffix.len() + hash.len() + 1);
    let head: String = base.chars().take(keep).collect();
    format!("{head}-{hash}{suffix}")
}

pub fn destination_role(stream: &str) -> String {
    bounded(stream, "-firehose-dest", IAM_ROLE_NAME_MAX)
}

pub fn stream_role(stream: &str) -> String {
    bounded(stream, "-firehose-source", IAM_ROLE_NAME_MAX)
}

/// Inline policy name on either role, ours or the user's.
pub fn destination_policy(stream: &str) -> String {
    bounded(&format!("firehose-{stream}"), "-destination", IAM_POLICY_NAME_MAX)
}

pub fn stream_policy(stream: &str) -> String {
    bounded(&format!("firehose-{stream}"), "-source", IAM_POLICY_NAME_MAX)
}

pub fn log_group(stream: &str) -> String {
    format!("/aws/kinesisfirehose/{stream}")
}

pub const DESTINATION_LOG_STREAM: &str = "S3Destination";
pub const BACKUP_LOG_STREAM: &str = "S3Backup";

pub fn key_alias(stream: &str) -> String {
    format!("alias/firehose/{stream}")
}

/// Bucket names are global and lowercase; the account and region go into the
/// hash so the same stream name in two accounts does not collide.
pub fn backup_bucket(stream: &str, account: &str, region: &str) -> String {
    let clean: String = stream
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    let clean = clean.trim_matches('-');
    let hash = short_hash(&[stream, account, region]);
    let suffix = format!("-backup-{hash}");
    let keep = BUCKET_NAME_MAX - suffix.len();
    let head: String = clean.chars().take(keep).collect();
    let head = head.trim_end_matches('-');
    if head.is_empty() {
        format!("firehose{suffix}")
    } else {
        format!("{head}{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_readable() {
        assert_eq!(destination_role("events"), "events-firehose-dest");
        assert_eq!(stream_role("events"), "events-firehose-source");
        assert_eq!(log_group("events"), "/aws/kinesisfirehose/events");
        assert_eq!(key_alias("events"), "alias/firehose/events");
    }

    #[test]
    fn long_names_are_truncated_distinctly_and_deterministically() {
        let a = "a".repeat(64);
        let b = format!("{}b", "a".repeat(63));
        let (ra, rb) = (destination_role(&a), destination_role(&b));
        assert!(ra.len() <= IAM_ROLE_NAME_MAX && rb.len() <= IAM_ROLE_NAME_MAX);
        assert_ne!(ra, rb);
        assert_eq!(ra, destination_role(&a));
        assert!(ra.ends_with("-firehose-dest"));
    }

    #[test]
    fn bucket_names_are_valid() {
        for name in ["events", "My.Stream_Name", &"X".repeat(64), "...", "a"] {
            let b = backup_bucket(name, "123456789012", "us-east-1");
            assert!((3..=63).contains(&b.len()), "{b}");
            assert!(b.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{b}");
            assert!(!b.starts_with('-') && !b.ends_with('-'), "{b}");
        }
        assert_ne!(backup_bucket("s", "1", "us-east-1"), backup_bucket("s", "2", "us-east-1"));
    }
}
