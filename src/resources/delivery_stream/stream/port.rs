//! The seam between the waits and AWS: what waiting for a stream and
//! deleting it ask of Firehose. `AwsClients` answers with real calls
//! (`calls.rs`); unit tests answer from a script (`fake.rs`), so the order of
//! calls, DELETING_FAILED and a stream still CREATING are tested in-process.

use aws_sdk_firehose::types as fh;

use crate::provider::pacer::Pacer;

/// How Firehose answered DeleteDeliveryStream.
#[derive(Clone, Debug, PartialEq)]
pub enum Deletion {
    Accepted,
    /// There is no such stream (any more).
    NotFound,
    /// ResourceInUseException, with AWS's words: the stream is busy (for
    /// example still CREATING).
    InUse(String),
}

#[tonic::async_trait]
pub trait Streams: Sync {
    /// What every stream of the process shares: rates, polls, the listing.
    fn pacer(&self) -> &Pacer;
    /// DescribeDeliveryStream; None when there is no such stream.
    async fn describe(&self, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String>;
    /// Every delivery stream name in the region.
    async fn names(&self) -> Result<Vec<String>, String>;
    /// DeleteDeliveryStream.
    async fn delete(&self, name: &str) -> Result<Deletion, String>;
}
