//! The enumerated attributes, each with its HCL spelling (and the Firehose
//! API's, where it differs), so that code matches variants, not strings.

use crate::protocol::Value;

/// `encryption`: server-side encryption of the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sse {
    Unencrypted,
    AwsOwned,
    CustomerManaged,
}

impl Sse {
    pub const ALL: [Sse; 3] = [Sse::Unencrypted, Sse::AwsOwned, Sse::CustomerManaged];

    pub fn hcl(self) -> &'static str {
        match self {
            Sse::Unencrypted => "UNENCRYPTED",
            Sse::AwsOwned => "AWS_OWNED",
            Sse::CustomerManaged => "CUSTOMER_MANAGED",
        }
    }

    pub fn parse(s: &str) -> Option<Sse> {
        Sse::ALL.into_iter().find(|e| e.hcl() == s)
    }

    /// Whether a stream object's `encryption` is `CUSTOMER_MANAGED`.
    pub fn is_customer_managed(stream: &Value) -> bool {
        stream.attr("encryption").as_str().and_then(Sse::parse) == Some(Sse::CustomerManaged)
    }
}

/// `compression` of delivered objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    Uncompressed,
    Gzip,
    Zip,
    Snappy,
    HadoopSnappy,
}

impl Compression {
    pub const ALL: [Compression; 5] = [
        Compression::Uncompressed,
        Compression::Gzip,
        Compression::Zip,
        Compression::Snappy,
        Compression::HadoopSnappy,
    ];

    pub fn hcl(self) -> &'static str {
        match self {
            Compression::Uncompressed => "UNCOMPRESSED",
            Compression::Gzip => "GZIP",
            Compression::Zip => "ZIP",
            Compression::Snappy => "SNAPPY",
            Compression::HadoopSnappy => "HADOOP_SNAPPY",
        }
    }

    /// The API's `CompressionFormat`: it spells Snappy in mixed case, which
    /// HCL does not follow.
    pub fn api(self) -> &'static str {
        match self {
            Compression::Snappy => "Snappy",
            other => other.hcl(),
        }
    }

    pub fn parse(s: &str) -> Option<Compression> {
        Compression::ALL.into_iter().find(|c| c.hcl() == s)
    }

    pub fn from_api(s: &str) -> Option<Compression> {
        Compression::ALL.into_iter().find(|c| c.api() == s)
    }
}

/// `s3_backup.mode`: an S3 destination backs up all records or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupMode {
    All,
}

impl BackupMode {
    pub fn hcl(self) -> &'static str {
        match self {
            BackupMode::All => "ALL",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for e in Sse::ALL {
            assert_eq!(Sse::parse(e.hcl()), Some(e));
        }
        for c in Compression::ALL {
            assert_eq!(Compression::parse(c.hcl()), Some(c));
            assert_eq!(Compression::from_api(c.api()), Some(c));
        }
        assert_eq!(Compression::Snappy.api(), "Snappy");
        assert_eq!(Sse::parse("customer_managed"), None);
    }
}
