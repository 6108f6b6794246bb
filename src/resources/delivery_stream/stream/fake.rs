//! A scripted Firehose for the waits' unit tests. Describes answer from a
//! queue (the last answer repeats), deletes likewise; a listing shows the
//! stream while the next describe would find it; every call is recorded in
//! order.

use std::collections::VecDeque;
use std::sync::Mutex;

use aws_sdk_firehose::types as fh;

use super::port::{Deletion, Streams};
use crate::provider::pacer::Pacer;

pub struct Script {
    pub pacer: Pacer,
    name: String,
    describes: Mutex<VecDeque<Option<fh::DeliveryStreamDescription>>>,
    deletes: Mutex<VecDeque<Deletion>>,
    listing_refused: bool,
    calls: Mutex<Vec<&'static str>>,
}

impl Script {
    pub fn new(name: &str, describes: Vec<Option<fh::DeliveryStreamDescription>>, deletes: Vec<Deletion>) -> Script {
        Script {
            pacer: Pacer::default(),
            name: name.to_string(),
            describes: Mutex::new(describes.into()),
            deletes: Mutex::new(deletes.into()),
            listing_refused: false,
            calls: Mutex::new(Vec::new()),
        }
    }

    /// ListDeliveryStreams answers AccessDenied.
    pub fn refusing_to_list(mut self) -> Script {
        self.listing_refused = true;
        self
    }

    pub fn calls(&self) -> Vec<&'static str> {
        self.calls.lock().unwrap().clone()
    }

    fn log(&self, call: &'static str) {
        self.calls.lock().unwrap().push(call);
    }
}

fn next<T: Clone>(q: &Mutex<VecDeque<T>>) -> T {
    let mut q = q.lock().unwrap();
    match q.len() {
        0 => panic!("the script has no answer left"),
        1 => q[0].clone(),
        _ => q.pop_front().unwrap(),
    }
}

/// A description of stream `name` in `status`, with AWS's failure (type,
/// details) if it has one.
pub fn described(
    name: &str,
    status: fh::DeliveryStreamStatus,
    failure: Option<(fh::DeliveryStreamFailureType, &str)>,
) -> fh::DeliveryStreamDescription {
    let failure =
        failure.map(|(t, details)| fh::FailureDescription::builder().r#type(t).details(details).build().unwrap());
    fh::DeliveryStreamDescription::builder()
        .delivery_stream_name(name)
        .delivery_stream_arn(format!("arn:aws:firehose:us-east-1:123456789012:deliverystream/{name}"))
        .delivery_stream_status(status)
        .delivery_stream_type(fh::DeliveryStreamType::DirectPut)
        .version_id("1")
        .set_failure_description(failure)
        .destinations(
            fh::DestinationDescription::builder().destination_id("destinationId-000000000001").build().unwrap(),
        )
        .has_more_destinations(false)
        .build()
        .unwrap()
}

#[tonic::async_trait]
impl Streams for Script {
    fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    async fn describe(&self, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
        assert_eq!(name, self.name);
        self.log("describe");
        Ok(next(&self.describes))
    }

    async fn names(&self) -> Result<Vec<String>, String> {
        self.log("list");
        if self.listing_refused {
            return Err("firehose:ListDeliveryStreams on * was refused: AccessDeniedException".into());
        }
        let exists = self.describes.lock().unwrap().front().is_some_and(Option::is_some);
        Ok(exists.then(|| self.name.clone()).into_iter().collect())
    }

    async fn delete(&self, name: &str) -> Result<Deletion, String> {
        assert_eq!(name, self.name);
        self.log("delete");
        Ok(next(&self.deletes))
    }
}
