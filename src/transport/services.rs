//! go-plugin's auxiliary services (controller, stdio, broker) and gRPC
//! health, which Terraform's plugin client talks to beside the provider.

use std::pin::Pin;
use std::sync::Arc;

use futures_util::Stream;
use tokio::sync::Notify;
use tonic::{Request, Response, Status, Streaming};

use crate::proto::health::health_check_response::ServingStatus;
use crate::proto::health::health_server::Health;
use crate::proto::health::{HealthCheckRequest, HealthCheckResponse};
use crate::proto::plugin::grpc_broker_server::GrpcBroker;
use crate::proto::plugin::grpc_controller_server::GrpcController;
use crate::proto::plugin::grpc_stdio_server::GrpcStdio;
use crate::proto::plugin::{ConnInfo, Empty, StdioData};

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// Terraform calls Shutdown when it is done with a provider; without an
/// answer it waits two seconds and kills the process, once per command.
pub struct Controller {
    pub shutdown: Arc<Notify>,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        crate::debug!("shutdown requested by Terraform");
        self.shutdown.notify_one();
        Ok(Response::new(Empty {}))
    }
}

/// Our output goes to the real stderr, which go-plugin reads directly, so
/// this stream stays open and silent until the process ends.
pub struct Stdio;

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = BoxStream<StdioData>;

    async fn stream_stdio(&self, _: Request<()>) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(Box::pin(futures_util::stream::pending())))
    }
}

/// The provider never brokers extra connections; the stream is kept open
/// so the client's broker does not log a failure.
pub struct Broker;

#[tonic::async_trait]
impl GrpcBroker for Broker {
    type StartStreamStream = BoxStream<ConnInfo>;

    async fn start_stream(&self, _: Request<Streaming<ConnInfo>>) -> Result<Response<Self::StartStreamStream>, Status> {
        Ok(Response::new(Box::pin(futures_util::stream::pending())))
    }
}

pub struct HealthService;

/// go-plugin pings the service named "plugin"; the empty name is the
/// server as a whole.
fn status_of(service: &str) -> Option<ServingStatus> {
    matches!(service, "" | "plugin").then_some(ServingStatus::Serving)
}

#[tonic::async_trait]
impl Health for HealthService {
    async fn check(&self, req: Request<HealthCheckRequest>) -> Result<Response<HealthCheckResponse>, Status> {
        let service = req.into_inner().service;
        match status_of(&service) {
            Some(s) => Ok(Response::new(HealthCheckResponse { status: s as i32 })),
            None => Err(Status::not_found(format!("unknown service {service:?}"))),
        }
    }

    type WatchStream = BoxStream<HealthCheckResponse>;

    async fn watch(&self, req: Request<HealthCheckRequest>) -> Result<Response<Self::WatchStream>, Status> {
        let status = status_of(&req.into_inner().service).unwrap_or(ServingStatus::ServiceUnknown);
        let first = futures_util::stream::once(async move { Ok(HealthCheckResponse { status: status as i32 }) });
        Ok(Response::new(Box::pin(futures_util::StreamExt::chain(first, futures_util::stream::pending()))))
    }
}
