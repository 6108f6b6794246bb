//! Firehose's account-wide rate for the calls that create or change a
//! stream (CreateDeliveryStream, UpdateDestination): at most 5 in any one
//! second. A call turned away waits for the moment a change this process
//! made leaves that second (the provider's `Pacer` keeps that window), not
//! for a blind backoff; the SDK is kept from retrying such a call itself, as
//! its backoff knows nothing of the window.

use std::marker::PhantomData;

use aws_sdk_firehose::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};

/// Keeps the SDK from retrying a change the rate limit turned away (it
/// counts LimitExceededException as throttling): the `Pacer`'s change
/// window paces those.
#[derive(Debug)]
pub struct PacedByUs<E>(PhantomData<fn() -> E>);

impl<E> Default for PacedByUs<E> {
    fn default() -> Self {
        PacedByUs(PhantomData)
    }
}

impl<E> ClassifyRetry for PacedByUs<E>
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
{
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(err)) = ctx.output_or_error() else { return RetryAction::NoActionIndicated };
        match err.as_operation_error().and_then(|e| e.downcast_ref::<E>()) {
            Some(e) if is_rate_limited(e.code(), e.message().unwrap_or_default()) => RetryAction::RetryForbidden,
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "Firehose change rate, paced by the provider"
    }
}

/// Firehose limits how fast an account may create streams (5 per second):
/// past that it answers LimitExceededException "Rate exceeded". The SDK's
/// backoff neither covers a burst of many streams nor knows when the
/// second frees up; `change_rate` does.
pub fn is_rate_limited(code: Option<&str>, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    matches!(code, Some("LimitExceededException" | "ThrottlingException")) && m.contains("rate")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_are_told_from_other_limits() {
        assert!(is_rate_limited(Some("LimitExceededException"), "Rate exceeded for CreateDeliveryStream"));
        assert!(is_rate_limited(Some("ThrottlingException"), "Rate exceeded"));
        // Too many streams in the account is a limit no wait lifts.
        assert!(!is_rate_limited(Some("LimitExceededException"), "You have already reached the limit of 50 streams"));
        assert!(!is_rate_limited(Some("InvalidArgumentException"), "Rate exceeded"));
    }
}
