//! Private state Terraform keeps for us beside the resource state: facts the
//! attributes cannot tell apart, such as whether the SSE key was created by
//! the resource or given by the user.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Private {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_key_arn: Option<String>,
    /// (log group, log stream) pairs this resource made in log groups the
    /// user gave: destroy deletes these and no others, so log streams the
    /// user made (say with `aws_cloudwatch_log_stream`) are left alone.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub created_log_streams: BTreeSet<(String, String)>,
    /// Set by a plan that replaces the stream: Terraform plans the create
    /// half again with no prior state but with this private data, and the
    /// stream found under that name is then the one being replaced, not
    /// another state's. Never kept in the state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
}

impl Private {
    /// Unreadable private data (from another version) is treated as empty:
    /// ownership is also recorded in tags, which delete checks anyway.
    pub fn decode(b: &[u8]) -> Private {
        if b.is_empty() {
            return Private::default();
        }
        serde_json::from_slice(b).unwrap_or_default()
    }

    pub fn encode(&self) -> Vec<u8> {
        if *self == Private::default() {
            return Vec::new();
        }
        serde_json::to_vec(self).unwrap_or_default()
    }
}
