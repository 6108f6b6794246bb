//! Calls on the stream itself, as apply and teardown use them: create and
//! update, retried while IAM propagates a new role and paced by Firehose's
//! change rate; delete, waiting until the stream is gone. Single calls are
//! in `calls.rs`, the waits in `waits.rs`, their schedule in `schedule.rs`;
//! the waits and delete reach AWS only through `port::Streams`.

mod calls;
#[cfg(test)]
pub mod fake;
pub mod port;
mod schedule;
mod waits;

pub use calls::{describe, names, start_encryption, stop_encryption, sync_tags, tags, unmark};
pub use waits::wait_active;

use std::time::{Duration, Instant};

use aws_sdk_firehose::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_firehose::operation as fh_ops;
use aws_sdk_firehose::operation::create_delivery_stream::builders::CreateDeliveryStreamFluentBuilder;
use aws_sdk_firehose::types as fh;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::aws::{call_error, error_code, error_text};
use crate::provider::AwsClients;

use super::change_rate;
use super::kind::SourceConfig;
use port::{Deletion, Streams};
use schedule::{backoff, jittered, schedule};

/// How long Firehose may keep rejecting a fresh role (IAM propagation).
pub const IAM_PROPAGATION: Duration = Duration::from_secs(120);

/// Firehose rejects a role it cannot assume yet (or whose policy has not
/// reached every region endpoint) with InvalidArgumentException.
pub fn is_propagation_error(code: Option<&str>, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    code == Some("InvalidArgumentException")
        && (m.contains("assume") || m.contains("role") || m.contains("access") || m.contains("not authorized"))
}

/// CreateDeliveryStream, retried while Firehose cannot yet use new roles.
/// Returns false when a stream of that name already existed.
pub async fn create(aws: &AwsClients, req: CreateRequest) -> Result<bool, String> {
    let res = while_iam_propagates(aws, &req.name, || {
        let call = req.call(aws.firehose.create_delivery_stream());
        call.customize().config_override(paced::<fh_ops::create_delivery_stream::CreateDeliveryStreamError>()).send()
    })
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if error_code(&e) == Some("ResourceInUseException") => Ok(false),
        Err(e) => Err(call_error("firehose:CreateDeliveryStream", &aws.stream_arn(&req.name), &e)),
    }
}

/// Runs `call` again (with backoff) while it fails because Firehose cannot
/// yet use a new or changed role or policy, for as long as IAM may take to
/// propagate, or because the account's call rate was exceeded; any other
/// outcome is returned as it is. Every call that hands Firehose a role goes
/// through here.
async fn while_iam_propagates<T, E, F, Fut>(
    aws: &AwsClients,
    stream: &str,
    mut call: F,
) -> Result<T, SdkError<E, HttpResponse>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let started = Instant::now();
    let mut attempt = 0;
    // The moment this call waited for after the rate limit turned it away.
    let mut booked: Option<Instant> = None;
    loop {
        match call().await {
            Ok(out) => {
                aws.pacer.changes.accepted(booked);
                return Ok(out);
            }
            Err(e) if started.elapsed() < IAM_PROPAGATION && is_propagation_error(error_code(&e), &error_text(&e)) => {
                aws.pacer.changes.release(booked.take());
                crate::debug!(["delivery_stream" = stream], "waiting for IAM to propagate: {}", error_text(&e));
                // Refused calls change nothing: probe on the plain schedule,
                // and let the rate limit, if met, pace the streams.
                tokio::time::sleep(jittered(schedule(attempt))).await;
                attempt += 1;
            }
            Err(e)
                if started.elapsed() < IAM_PROPAGATION
                    && change_rate::is_rate_limited(error_code(&e), &error_text(&e)) =>
            {
                crate::debug!(["delivery_stream" = stream], "over Firehose's call rate: {}", error_text(&e));
                let at = aws.pacer.changes.book(booked.take());
                booked = Some(at);
                tokio::time::sleep_until(at.into()).await;
                attempt += 1;
            }
            other => {
                aws.pacer.changes.release(booked);
                return other;
            }
        }
    }
}

/// A call's configuration that leaves the rate limit to `change_rate`.
fn paced<E>() -> aws_sdk_firehose::config::Builder
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
{
    aws_sdk_firehose::config::Builder::default().retry_classifier(change_rate::PacedByUs::<E>::default())
}

pub struct CreateRequest {
    pub name: String,
    /// Sets the destination kind's configuration.
    pub destination: super::kind::CreateFn,
    pub source: Option<SourceConfig>,
    pub encryption: Option<fh::DeliveryStreamEncryptionConfigurationInput>,
    pub tags: Vec<fh::Tag>,
}

impl CreateRequest {
    /// The CreateDeliveryStream call with every member of the request set.
    pub fn call(&self, call: CreateDeliveryStreamFluentBuilder) -> CreateDeliveryStreamFluentBuilder {
        let mut call = (self.destination)(call.delivery_stream_name(&self.name).set_tags(Some(self.tags.clone())));
        call = match &self.source {
            Some(SourceConfig::Kinesis(src)) => call
                .delivery_stream_type(fh::DeliveryStreamType::KinesisStreamAsSource)
                .kinesis_stream_source_configuration(src.clone()),
            Some(SourceConfig::Msk(src)) => {
                call.delivery_stream_type(fh::DeliveryStreamType::MskAsSource).msk_source_configuration(src.clone())
            }
            Some(SourceConfig::DirectPut(src)) => call
                .delivery_stream_type(fh::DeliveryStreamType::DirectPut)
                .direct_put_source_configuration(src.clone()),
            None => call.delivery_stream_type(fh::DeliveryStreamType::DirectPut),
        };
        match &self.encryption {
            Some(enc) => call.delivery_stream_encryption_configuration_input(enc.clone()),
            None => call,
        }
    }
}

/// UpdateDestination with the current version, retried like create while
/// IAM catches up with a changed role or policy.
pub async fn update_destination(
    aws: &AwsClients,
    name: &str,
    version: &str,
    destination_id: &str,
    update: super::kind::UpdateFn,
) -> Result<(), String> {
    while_iam_propagates(aws, name, || {
        let call = aws
            .firehose
            .update_destination()
            .delivery_stream_name(name)
            .current_delivery_stream_version_id(version)
            .destination_id(destination_id);
        update(call).customize().config_override(paced::<fh_ops::update_destination::UpdateDestinationError>()).send()
    })
    .await
    .map(drop)
    .map_err(|e| call_error("firehose:UpdateDestination", &aws.stream_arn(name), &e))
}

/// Deletes the stream and waits until it is gone. Firehose refuses to
/// delete a stream that is still CREATING (ResourceInUseException), as one
/// is after a create that timed out or was interrupted: wait for it to
/// settle, then delete (the caller's delete timeout bounds the wait).
pub async fn delete(api: &dyn Streams, name: &str) -> Result<(), String> {
    let mut attempt = 0;
    loop {
        match api.delete(name).await? {
            Deletion::Accepted => break,
            Deletion::NotFound => return Ok(()),
            Deletion::InUse(text) => match api.describe(name).await? {
                None => return Ok(()),
                Some(d) if d.delivery_stream_status() == &fh::DeliveryStreamStatus::Deleting => break,
                Some(_) => {
                    crate::debug!(["delivery_stream" = name], "waiting to delete: {text}");
                    tokio::time::sleep(backoff(api.pacer(), attempt)).await;
                    attempt += 1;
                }
            },
        }
    }
    waits::wait_gone(api, name, Instant::now()).await
}

#[cfg(test)]
mod tests {
    use fh::DeliveryStreamStatus::{Active, Creating, Deleting};

    use super::fake::{described, Script};
    use super::*;

    #[tokio::test]
    async fn a_stream_still_creating_is_deleted_once_it_settles() {
        let s = |st| Some(described("s", st, None));
        let api = Script::new(
            "s",
            vec![s(Creating), s(Active), s(Deleting), None],
            vec![Deletion::InUse("ResourceInUseException: the stream is CREATING".into()), Deletion::Accepted],
        );
        delete(&api, "s").await.unwrap();
        let calls = api.calls();
        assert_eq!(calls[..3], ["delete", "describe", "delete"], "{calls:?}");
        assert_eq!(calls.last(), Some(&"describe"), "{calls:?}");
    }

    #[tokio::test]
    async fn a_stream_already_gone_or_already_deleting_needs_no_second_delete() {
        let api = Script::new("s", vec![None], vec![Deletion::NotFound]);
        delete(&api, "s").await.unwrap();
        assert_eq!(api.calls(), ["delete"]);

        let api =
            Script::new("s", vec![Some(described("s", Deleting, None)), None], vec![Deletion::InUse("busy".into())]);
        delete(&api, "s").await.unwrap();
        assert_eq!(api.calls().iter().filter(|c| **c == "delete").count(), 1, "{:?}", api.calls());
    }
}
