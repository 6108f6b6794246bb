//! Which existing AWS objects a create may take over.
//!
//! Part names derive from the stream name, so a create can find what an
//! interrupted apply of the same resource left and finish it. Two Terraform
//! states that use the same name find each other's parts the same way; the
//! ownership tag cannot tell them apart, because it names only the stream.
//! So every part is made carrying a second tag, the adoptable marker, and
//! keeps it until the apply that made it has finished; the stream sheds it
//! last. A create adopts only parts that still carry it (or all of the
//! stream's parts, while the stream itself carries it), and refuses,
//! before it writes anything, to touch a part a completed apply holds.
//! The design and its limits are in docs/resources/delivery_stream.md.

use crate::protocol::{AttrPath, Diagnostics};
use crate::provider::AwsClients;

use super::kind::Ctx;
use super::model::{role_name, Spec};
use super::names::{self, ADOPTABLE_TAG, OWNER_TAG};
use super::parts::{self, Tagged, Tags};
use super::stream;

/// Who holds an existing part, as far as its tags tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    Absent,
    /// Ours and marked: left by an apply of this stream that did not finish
    /// (or a backup bucket that destroy kept).
    Adoptable,
    /// Ours and unmarked: a completed apply made it, so a state holds it.
    Held,
    /// Not made by this provider for this stream.
    Foreign,
}

pub fn hold_of(tags: Option<&Tags>, stream: &str) -> Hold {
    let Some(tags) = tags else { return Hold::Absent };
    match (tags.get(OWNER_TAG).map(String::as_str), tags.contains_key(ADOPTABLE_TAG)) {
        (Some(owner), true) if owner == stream => Hold::Adoptable,
        (Some(owner), false) if owner == stream => Hold::Held,
        _ => Hold::Foreign,
    }
}

/// One existing (or absent) object a create would make.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub kind: &'static str,
    pub name: String,
    pub arn: String,
    pub hold: Hold,
}

/// What a create found under the names it is about to use.
#[derive(Debug)]
pub struct Survey {
    pub stream: Part,
    pub parts: Vec<Part>,
}

impl Survey {
    /// The first object the create must not take over, if any. While the
    /// stream carries the marker, its unmarked parts are ours too: they
    /// shed the marker just before it, at the end of the same apply.
    pub fn refused(&self) -> Option<&Part> {
        match self.stream.hold {
            Hold::Held | Hold::Foreign => return Some(&self.stream),
            Hold::Absent | Hold::Adoptable => {}
        }
        let stream_unfinished = self.stream.hold == Hold::Adoptable;
        self.parts.iter().find(|p| match p.hold {
            Hold::Foreign => true,
            Hold::Held => !stream_unfinished,
            Hold::Absent | Hold::Adoptable => false,
        })
    }
}

/// Reads, concurrently, every object a create of `spec` would make.
pub async fn survey(aws: &AwsClients, ctx: &Ctx, spec: &Spec) -> Result<Survey, String> {
    let name = spec.name.as_str();
    let role = |role: Option<String>| async move {
        match role {
            Some(r) => {
                Ok(Some(part("IAM role", &r, ctx.role_arn(&r), parts::role_tags(aws, &r).await?.as_ref(), name)))
            }
            None => Ok::<_, String>(None),
        }
    };
    let dest_role = role(spec.owns_destination_role().then(|| role_name(&spec.destination_role_arn).to_string()));
    let stream_role =
        role(spec.stream_role_arn.as_deref().filter(|_| spec.owns_stream_role()).map(|a| role_name(a).to_string()));
    let log_group = async {
        let Some(g) = spec.owned_log_group() else { return Ok(None) };
        let tags = parts::log_group_tags_by_name(aws, &g).await?;
        Ok::<_, String>(Some(part("log group", &g, ctx.log_group_arn(&g), tags.as_ref(), name)))
    };
    let key = async {
        if !spec.creates_key() {
            return Ok(None);
        }
        let alias = names::key_alias(name);
        Ok::<_, String>(Some(match parts::alias_key_tags(aws, &alias).await? {
            Some((arn, tags)) => part("KMS key", &alias, arn, Some(&tags), name),
            None => part("KMS key", &alias, String::new(), None, name),
        }))
    };
    let bucket = async {
        let Some(b) = spec.backup.as_ref().filter(|_| spec.backup_bucket_created) else { return Ok(None) };
        let bucket = parts::bucket_name(&b.bucket_arn).to_string();
        let tags = parts::bucket_tags(aws, &bucket).await?;
        let mut found = part("S3 bucket", &bucket, b.bucket_arn.clone(), tags.as_ref(), name);
        // Made, but not yet tagged when the run stopped: an empty bucket
        // with no tags at all under the name derived for this stream.
        if found.hold == Hold::Foreign
            && tags.is_some_and(|t| t.is_empty())
            && parts::bucket_empty(aws, &bucket).await?
        {
            found.hold = Hold::Adoptable;
        }
        Ok::<_, String>(Some(found))
    };
    let alarms = async {
        let names: Vec<String> = spec.alarms.iter().map(|a| a.name.clone()).collect();
        let found = parts::describe_alarms(aws, &names).await?;
        let each = spec.alarms.iter().map(|a| {
            let arn = found.get(&a.name).and_then(|f| f.alarm_arn()).map(str::to_string);
            async move {
                let tags = match &arn {
                    Some(arn) => Some(parts::Alarm { arn, name: &a.name }.tags(aws).await?),
                    None => None,
                };
                Ok::<_, String>(part("CloudWatch alarm", &a.name, a.arn.clone(), tags.as_ref(), name))
            }
        });
        futures_util::future::try_join_all(each).await
    };
    let (stream, dest_role, stream_role, log_group, key, bucket, alarms) =
        tokio::try_join!(stream_part(aws, ctx, name), dest_role, stream_role, log_group, key, bucket, alarms)?;
    let mut parts: Vec<Part> = [dest_role, stream_role, log_group, key, bucket].into_iter().flatten().collect();
    parts.extend(alarms);
    Ok(Survey { stream, parts })
}

fn part(kind: &'static str, name: &str, arn: String, tags: Option<&Tags>, stream: &str) -> Part {
    Part { kind, name: name.to_string(), arn, hold: hold_of(tags, stream) }
}

/// The stream itself: one DescribeDeliveryStream, and its tags only when it
/// exists.
pub async fn stream_part(aws: &AwsClients, ctx: &Ctx, name: &str) -> Result<Part, String> {
    let tags = match stream::describe(aws, name).await? {
        Some(_) => Some(stream::tags(aws, name).await?),
        None => None,
    };
    Ok(part("delivery stream", name, ctx.stream_arn(name), tags.as_ref(), name))
}

/// The error for a refused object: what exists, where, who holds it, and
/// how to proceed.
pub fn refusal(p: &Part, ctx: &Ctx, stream: &str) -> (String, String) {
    let what = if p.arn.is_empty() {
        format!("{} {:?}", p.kind, p.name)
    } else {
        format!("{} {:?} ({})", p.kind, p.name, p.arn)
    };
    let whose = match p.hold {
        Hold::Foreign => format!("It was not created by this provider for delivery stream {stream:?} (it lacks the tag {OWNER_TAG}={stream})."),
        _ => format!(
            "It belongs to delivery stream {stream:?} as made by a completed apply, so another Terraform state \
             (another workspace, working directory or copy of this module) manages it."
        ),
    };
    let summary = format!("{} {:?} already exists", capitalized(p.kind), p.name);
    let todo = if p.kind == "delivery stream" {
        format!(
            "To manage the existing stream from this configuration instead, import it (after removing it from the \
             state that manages it, if any):\n\n  import {{\n    to = <this resource's address>\n    id = \"{}\"\n  }}\n\n\
             Otherwise choose another `name`.",
            ctx.stream_arn(stream)
        )
    } else {
        "Choose another `name`; or, if nothing manages it any more, delete it and apply again.".to_string()
    };
    let detail = format!(
        "{what} already exists in AWS account {}, region {}. {whose} This provider never takes over what a completed \
         apply made: it adopts only what an interrupted apply of this resource left behind.\n\n{todo}",
        ctx.account, ctx.region
    );
    (summary, detail)
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// Plan time: one DescribeDeliveryStream tells whether the name is taken.
pub async fn check_plan(aws: &AwsClients, ctx: &Ctx, name: &str, diags: &mut Diagnostics) {
    match stream_part(aws, ctx, name).await {
        Ok(p) if matches!(p.hold, Hold::Held | Hold::Foreign) => {
            let (summary, detail) = refusal(&p, ctx, name);
            diags.error_at(AttrPath::attr("name"), summary, detail);
        }
        Ok(_) => {}
        Err(e) => diags.error("Cannot check whether the delivery stream name is free", e),
    }
}

/// After a successful create: the parts shed the marker, the stream last, so
/// that a run stopped in between still finds the stream marked.
pub async fn release(aws: &AwsClients, ctx: &Ctx, spec: &Spec, key: Option<&str>) -> Result<(), String> {
    let name = spec.name.as_str();
    let dest_role = async {
        match spec.owns_destination_role() {
            true => parts::unmark(&parts::Role(role_name(&spec.destination_role_arn)), aws).await,
            false => Ok(()),
        }
    };
    let stream_role = async {
        match spec.stream_role_arn.as_deref().filter(|_| spec.owns_stream_role()) {
            Some(arn) => parts::unmark(&parts::Role(role_name(arn)), aws).await,
            None => Ok(()),
        }
    };
    let log_group = async {
        match spec.owned_log_group() {
            Some(g) => {
                let arn = ctx.log_group_arn(&g);
                parts::unmark(&parts::LogGroup { arn: arn.trim_end_matches(":*"), name: &g }, aws).await
            }
            None => Ok(()),
        }
    };
    let key = async {
        match key.filter(|_| spec.creates_key()) {
            Some(k) => parts::unmark(&parts::Key(k), aws).await,
            None => Ok(()),
        }
    };
    let bucket = async {
        match spec.backup.as_ref().filter(|_| spec.backup_bucket_created) {
            Some(b) => parts::tag_bucket(aws, parts::bucket_name(&b.bucket_arn), &spec.tags).await,
            None => Ok(()),
        }
    };
    let alarms = futures_util::future::try_join_all(
        spec.alarms
            .iter()
            .map(|a| async move { parts::unmark(&parts::Alarm { arn: &a.arn, name: &a.name }, aws).await }),
    );
    tokio::try_join!(dest_role, stream_role, log_group, key, bucket, alarms)?;
    stream::unmark(aws, name).await
}

/// Tags for the parts a create makes: the stream's, plus the marker.
pub fn creating_tags(tags: &Tags) -> Tags {
    let mut t = tags.clone();
    t.insert(ADOPTABLE_TAG.to_string(), names::ADOPTABLE_VALUE.to_string());
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn p(kind: &'static str, hold: Hold) -> Part {
        Part { kind, name: format!("{kind}-x"), arn: String::new(), hold }
    }

    #[test]
    fn hold_is_read_from_the_owner_tag_and_the_marker() {
        assert_eq!(hold_of(None, "s"), Hold::Absent);
        assert_eq!(hold_of(Some(&tags(&[(OWNER_TAG, "s")])), "s"), Hold::Held);
        assert_eq!(hold_of(Some(&tags(&[(OWNER_TAG, "s"), (ADOPTABLE_TAG, "true")])), "s"), Hold::Adoptable);
        // Another stream's part, marked or not, and untagged objects are foreign.
        assert_eq!(hold_of(Some(&tags(&[(OWNER_TAG, "t"), (ADOPTABLE_TAG, "true")])), "s"), Hold::Foreign);
        assert_eq!(hold_of(Some(&tags(&[])), "s"), Hold::Foreign);
        assert_eq!(hold_of(Some(&tags(&[(ADOPTABLE_TAG, "true")])), "s"), Hold::Foreign);
    }

    #[test]
    fn a_stream_a_completed_apply_made_is_refused() {
        for hold in [Hold::Held, Hold::Foreign] {
            let s = Survey { stream: p("delivery stream", hold), parts: vec![p("IAM role", Hold::Adoptable)] };
            assert_eq!(s.refused().map(|r| r.kind), Some("delivery stream"));
        }
    }

    #[test]
    fn parts_of_an_unfinished_create_are_adopted() {
        // Killed before the stream existed: every part still marked.
        let s = Survey {
            stream: p("delivery stream", Hold::Absent),
            parts: vec![p("IAM role", Hold::Adoptable), p("log group", Hold::Absent)],
        };
        assert_eq!(s.refused(), None);
        // Killed while the parts were shedding the marker: the stream has it still.
        let s = Survey {
            stream: p("delivery stream", Hold::Adoptable),
            parts: vec![p("IAM role", Hold::Held), p("log group", Hold::Adoptable)],
        };
        assert_eq!(s.refused(), None);
    }

    #[test]
    fn a_held_or_foreign_part_is_refused_when_the_stream_is_not_unfinished() {
        let s = Survey {
            stream: p("delivery stream", Hold::Absent),
            parts: vec![p("IAM role", Hold::Absent), p("log group", Hold::Held)],
        };
        assert_eq!(s.refused().map(|r| r.kind), Some("log group"));
        let s = Survey { stream: p("delivery stream", Hold::Adoptable), parts: vec![p("IAM role", Hold::Foreign)] };
        assert_eq!(s.refused().map(|r| r.kind), Some("IAM role"));
    }

    #[test]
    fn the_refusal_names_the_object_account_region_and_the_way_out() {
        let ctx = Ctx {
            partition: "aws".into(),
            region: "eu-west-1".into(),
            account: "111122223333".into(),
            default_tags: Default::default(),
        };
        let stream =
            Part { kind: "delivery stream", name: "orders".into(), arn: ctx.stream_arn("orders"), hold: Hold::Held };
        let (summary, detail) = refusal(&stream, &ctx, "orders");
        assert_eq!(summary, "Delivery stream \"orders\" already exists");
        for needle in [
            "111122223333",
            "eu-west-1",
            "import {",
            "arn:aws:firehose:eu-west-1:111122223333:deliverystream/orders",
            "another `name`",
            "another Terraform state",
        ] {
            assert!(detail.contains(needle), "{needle:?} missing from:\n{detail}");
        }
        let role =
            Part { kind: "IAM role", name: "orders-firehose-dest".into(), arn: String::new(), hold: Hold::Foreign };
        let (summary, detail) = refusal(&role, &ctx, "orders");
        assert_eq!(summary, "IAM role \"orders-firehose-dest\" already exists");
        assert!(detail.contains("lacks the tag seedworks:firehose:stream=orders"), "{detail}");
        assert!(!detail.contains("import {"), "{detail}");
    }
}
