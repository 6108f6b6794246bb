//! The plugin transport against a real client: go-plugin's handshake, mutual
//! TLS with the exact client certificate, health, and shutdown.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use terraform_provider_firehose::proto::health::health_client::HealthClient;
use terraform_provider_firehose::proto::health::HealthCheckRequest;
use terraform_provider_firehose::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_firehose::proto::tfplugin6::get_provider_schema;
use terraform_provider_firehose::proto::tfplugin6::provider_client::ProviderClient;
use terraform_provider_firehose::transport::handshake::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};

/// A client identity like the one Terraform makes: ECDSA P-521, self-signed CA.
struct ClientIdentity {
    pem: String,
    der: Vec<u8>,
    key: Vec<u8>,
}

fn client_identity() -> ClientIdentity {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    ClientIdentity { pem: cert.pem(), der: cert.der().to_vec(), key: key.serialize_der() }
}

struct Plugin {
    child: Child,
    socket: String,
    server_cert: Vec<u8>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_plugin(client: &ClientIdentity) -> Plugin {
    let mut child = Command::new(support::provider_binary())
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", &client.pem)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let parts: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(parts.len(), 6, "handshake line {line:?}");
    assert_eq!(&parts[..3], ["1", "6", "unix"], "core version, protocol 6, unix socket");
    assert_eq!(parts[4], "grpc");
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD.decode(parts[5]).expect("unpadded base64 cert");
    Plugin { child, socket: parts[3].to_string(), server_cert }
}

/// Trusts exactly the certificate from the handshake line, as go-plugin does.
#[derive(Debug)]
struct PinnedServer(Vec<u8>, Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("unexpected server certificate".into()))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.1.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.1.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.1.signature_verification_algorithms.supported_schemes()
    }
}

async fn channel(plugin: &Plugin, identity: Option<&ClientIdentity>) -> Result<tonic::transport::Channel, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer(plugin.server_cert.clone(), provider)));
    let mut config = match identity {
        Some(id) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(id.der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(id.key.clone())),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let socket = plugin.socket.clone();
    tonic::transport::Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let (connector, socket) = (connector.clone(), socket.clone());
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                let tls = connector.connect(ServerName::try_from("localhost").unwrap(), stream).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        }))
        .await
        .map_err(|e| format!("{e:?}"))
}

#[test]
fn refuses_to_run_outside_terraform() {
    let out = Command::new(support::provider_binary()).env_remove(MAGIC_COOKIE_KEY).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("This binary is a plugin. These are not meant to be executed directly."), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout without a handshake");
}

#[test]
fn refuses_clients_that_do_not_offer_protocol_6() {
    let out = Command::new(support::provider_binary())
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "4,5")
        .env("PLUGIN_CLIENT_CERT", client_identity().pem)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("protocol 6"));
}

#[test]
fn refuses_to_serve_without_a_client_certificate_to_pin() {
    let out = Command::new(support::provider_binary())
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env_remove("PLUGIN_CLIENT_CERT")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PLUGIN_CLIENT_CERT"));
}

#[tokio::test]
async fn serves_the_pinned_client_and_refuses_others() {
    let terraform = client_identity();
    let plugin = start_plugin(&terraform);

    // The socket is private to this user.
    use std::os::unix::fs::PermissionsExt;
    let dir = std::path::Path::new(&plugin.socket).parent().unwrap();
    assert_eq!(std::fs::metadata(dir).unwrap().permissions().mode() & 0o777, 0o700);

    let ch = channel(&plugin, Some(&terraform)).await.expect("connect with Terraform's certificate");
    let schema = ProviderClient::new(ch.clone())
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert!(schema.resource_schemas.contains_key("firehose_delivery_stream"));
    let caps = schema.server_capabilities.unwrap();
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);
    let health = HealthClient::new(ch.clone())
        .check(HealthCheckRequest { service: "plugin".into() })
        .await
        .expect("health check")
        .into_inner();
    assert_eq!(health.status, 1, "SERVING");

    // No certificate at all: the TLS handshake is refused.
    let anonymous = match channel(&plugin, None).await {
        Err(e) => Err(e),
        Ok(ch) => ProviderClient::new(ch)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .map(drop)
            .map_err(|e| e.to_string()),
    };
    assert!(anonymous.is_err(), "a client without a certificate was served");

    // A certificate of the same kind, but not the one Terraform passed.
    let stranger = client_identity();
    let other = match channel(&plugin, Some(&stranger)).await {
        Err(e) => Err(e),
        Ok(ch) => ProviderClient::new(ch)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .map(drop)
            .map_err(|e| e.to_string()),
    };
    assert!(other.is_err(), "a client with another certificate was served");
}

#[tokio::test]
async fn shutdown_ends_the_process_at_once() {
    let terraform = client_identity();
    let mut plugin = start_plugin(&terraform);
    let ch = channel(&plugin, Some(&terraform)).await.unwrap();
    let socket = plugin.socket.clone();
    let started = Instant::now();
    let _ = GrpcControllerClient::new(ch).shutdown(terraform_provider_firehose::proto::plugin::Empty {}).await;
    loop {
        if let Some(status) = plugin.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(1), "still running 1s after Shutdown");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!std::path::Path::new(&socket).exists(), "socket removed on exit");
}

#[test]
fn ignores_sigint() {
    let terraform = client_identity();
    let mut plugin = start_plugin(&terraform);
    unsafe {
        libc::kill(plugin.child.id() as i32, libc::SIGINT);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(plugin.child.try_wait().unwrap().is_none(), "SIGINT must not stop the provider");
}

#[test]
fn debug_mode_prints_reattach_configuration() {
    let mut child = Command::new(support::provider_binary())
        .arg("--debug")
        .env_remove(MAGIC_COOKIE_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut text = String::new();
    for _ in 0..4 {
        reader.read_line(&mut text).unwrap();
    }
    let _ = child.kill();
    let _ = child.wait();
    let start = text.find("TF_REATTACH_PROVIDERS='").expect("reattach line") + "TF_REATTACH_PROVIDERS='".len();
    let json = &text[start..start + text[start..].find('\'').unwrap()];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let entry = &v["registry.terraform.io/seedworks/firehose"];
    assert_eq!(entry["ProtocolVersion"], 6);
    assert_eq!(entry["Addr"]["Network"], "unix");
}
