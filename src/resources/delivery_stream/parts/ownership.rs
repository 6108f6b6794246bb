//! The protocol every owned part shares: the ownership tag decides what may
//! be adopted, retagged or deleted; the adoptable marker says a create of
//! this stream made it; a `Gate` holds deletes until the stream is gone.

use std::collections::BTreeMap;

use super::super::names::{ADOPTABLE_TAG, OWNER_TAG};
use crate::provider::AwsClients;

pub type Tags = BTreeMap<String, String>;

/// Holds back the first change a part deletion makes, while its reads (is
/// the part ours, what hangs off it) go ahead. On destroy the gate opens
/// when the stream is gone, so those reads overlap the stream's DELETING
/// and only the deletes are left for after; elsewhere parts go at once.
#[derive(Clone)]
pub struct Gate(Option<tokio::sync::watch::Receiver<bool>>);

impl Gate {
    pub fn open() -> Gate {
        Gate(None)
    }

    /// A gate and what opens it (sending `true`).
    pub fn closed() -> (tokio::sync::watch::Sender<bool>, Gate) {
        let (tx, rx) = tokio::sync::watch::channel(false);
        (tx, Gate(Some(rx)))
    }

    pub async fn passed(&self) -> Result<(), String> {
        let Some(rx) = &self.0 else { return Ok(()) };
        let mut rx = rx.clone();
        let passed = rx.wait_for(|open| *open).await.is_ok();
        match passed {
            true => Ok(()),
            false => Err("the delivery stream was not deleted, so its parts were kept".into()),
        }
    }
}

pub(super) fn owned<'a>(mut tags: impl Iterator<Item = (&'a str, &'a str)>, stream: &str) -> bool {
    tags.any(|(k, v)| k == OWNER_TAG && v == stream)
}

pub(super) fn not_ours(kind: &str, name: &str, stream: &str) -> String {
    format!(
        "{kind} {name:?} already exists and was not created for delivery stream {stream:?} (it lacks the tag {OWNER_TAG}={stream}); \
         choose another stream name or remove the {kind}"
    )
}

/// What it takes to bring `current` tags to `desired`: the keys to remove
/// and the entries to set. Every part, and the stream, syncs tags this way.
pub struct TagChanges {
    pub stale: Vec<String>,
    pub set: Tags,
}

/// The tag operations every owned part has. With them, the protocol each
/// part follows is written once: adopt only what carries this stream's
/// ownership tag (`check_owned`), bring tags to the plan (`sync_tags`,
/// `retag`), and drop the adoptable marker when a create is done (`unmark`).
#[tonic::async_trait]
pub trait Tagged: Sync {
    /// What users read in messages, e.g. "IAM role".
    fn kind(&self) -> &'static str;
    fn name(&self) -> &str;
    /// The tags of the (existing) part.
    async fn tags(&self, aws: &AwsClients) -> Result<Tags, String>;
    async fn untag(&self, aws: &AwsClients, keys: Vec<String>) -> Result<(), String>;
    async fn tag(&self, aws: &AwsClients, set: &Tags) -> Result<(), String>;

    /// From `current` to `desired` tags with as few calls as the service
    /// allows: stale keys removed, changed entries set.
    async fn sync_tags(&self, aws: &AwsClients, current: &Tags, desired: &Tags) -> Result<(), String> {
        let changes = tag_changes(current, desired);
        if !changes.stale.is_empty() {
            self.untag(aws, changes.stale).await?;
        }
        if !changes.set.is_empty() {
            self.tag(aws, &changes.set).await?;
        }
        Ok(())
    }
}

/// Brings the tags of a part we own in line with the plan.
pub async fn retag(p: &dyn Tagged, aws: &AwsClients, desired: &Tags) -> Result<(), String> {
    let current = p.tags(aws).await?;
    p.sync_tags(aws, &current, desired).await
}

/// Removes the adoptable marker once the apply that made the part is done.
pub async fn unmark(p: &dyn Tagged, aws: &AwsClients) -> Result<(), String> {
    p.untag(aws, vec![ADOPTABLE_TAG.to_string()]).await
}

/// An existing part may be adopted only when it carries this stream's
/// ownership tag; the refusal names the part and what to do.
pub fn check_owned(p: &dyn Tagged, tags: &Tags, stream: &str) -> Result<(), String> {
    if owned(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())), stream) {
        Ok(())
    } else {
        Err(not_ours(p.kind(), p.name(), stream))
    }
}

pub fn tag_changes(current: &Tags, desired: &Tags) -> TagChanges {
    TagChanges {
        stale: current.keys().filter(|k| !desired.contains_key(*k)).cloned().collect(),
        set: desired.iter().filter(|(k, v)| current.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}
