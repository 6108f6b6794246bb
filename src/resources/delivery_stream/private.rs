//! Private state Terraform keeps for us beside the resource state: facts the
//! attributes cannot tell apart, such as whether the SSE key was created by
//! the resource or given by the user.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Private {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_key_arn: Option<String>,
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
