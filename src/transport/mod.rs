//! The plugin transport: handshake, private socket, mutual TLS, go-plugin's
//! auxiliary services, and process lifecycle. It knows nothing about
//! Terraform resources; it serves whatever provider service it is given.

pub mod handshake;
pub mod listener;
pub mod services;
pub mod tls;

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tonic::transport::Server;

use crate::proto::health::health_server::HealthServer;
use crate::proto::plugin::grpc_broker_server::GrpcBrokerServer;
use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::proto::tfplugin6::provider_server::{Provider, ProviderServer};

/// Terraform allows messages this large; plans for big configurations get there.
const MAX_MESSAGE_BYTES: usize = 256 << 20;

/// How long the Shutdown reply has to go out before the process exits.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1);

pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/seedworks/firehose";

/// Serves the provider until Terraform asks us to shut down. In debug mode
/// the server runs without TLS for `TF_REATTACH_PROVIDERS` and stops on Ctrl-C.
pub async fn serve<P: Provider>(provider: P, debug: bool) -> Result<(), String> {
    let version = handshake::negotiate(std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok().as_deref())?;
    let (socket, listener) =
        listener::PrivateSocket::bind().map_err(|e| format!("cannot create plugin socket: {e}"))?;
    let shutdown = Arc::new(Notify::new());

    let router = Server::builder()
        .add_service(
            ProviderServer::new(provider)
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        )
        .add_service(GrpcControllerServer::new(services::Controller { shutdown: shutdown.clone() }))
        .add_service(GrpcStdioServer::new(services::Stdio))
        .add_service(GrpcBrokerServer::new(services::Broker))
        .add_service(HealthServer::new(services::HealthService));

    let address = socket.path().display().to_string();
    let result = if debug {
        print_reattach(version, &address);
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        router.serve_with_incoming_shutdown(listener::plain_incoming(listener), stop).await
    } else {
        let pem = std::env::var("PLUGIN_CLIENT_CERT").map_err(|_| {
            "PLUGIN_CLIENT_CERT is not set: this provider only runs with mutual TLS, as Terraform starts it \
             (use --debug for a reattachable server)"
                .to_string()
        })?;
        let client_cert = tls::parse_client_cert(&pem)?;
        let identity = tls::generate_identity()?;
        let config = tls::server_config(&identity, client_cert)?;
        let incoming = listener::tls_incoming(listener, tokio_rustls::TlsAcceptor::from(Arc::new(config)));
        // Terraform stops providers through StopProvider and Shutdown; a
        // Ctrl-C reaches the whole process group and must not kill us
        // mid-call. The handler is installed before Terraform learns of us.
        let mut interrupts = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
            .map_err(|e| format!("cannot handle SIGINT: {e}"))?;
        tokio::spawn(async move {
            while interrupts.recv().await.is_some() {
                crate::debug!("ignoring interrupt; Terraform stops providers through StopProvider");
            }
        });
        announce(&handshake::line(version, "unix", &address, Some(&identity.cert_der)))?;
        let serving = router.serve_with_incoming(incoming);
        tokio::select! {
            r = serving => r,
            _ = shutdown.notified() => {
                // Long-lived streams (stdio, broker) never end, so a graceful
                // drain would hang. Terraform waits for this process to exit
                // before it starts the next provider session, and go-plugin
                // discards the Shutdown reply, so only a moment is given for
                // it to go out.
                tokio::time::sleep(SHUTDOWN_GRACE).await;
                Ok(())
            }
        }
    };
    drop(socket);
    result.map_err(|e| format!("plugin server failed: {e}"))
}

fn announce(line: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").and_then(|_| out.flush()).map_err(|e| format!("cannot write handshake: {e}"))
}

fn print_reattach(version: u32, address: &str) {
    let reattach = serde_json::json!({
        PROVIDER_ADDRESS: {
            "Protocol": "grpc",
            "ProtocolVersion": version,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": {"Network": "unix", "String": address},
        }
    });
    println!(
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n"
    );
}
