//! The private unix socket the plugin listens on, and the stream of accepted
//! connections (TLS-wrapped unless running in debug mode).

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::Stream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tonic::transport::server::Connected;

/// A socket in a fresh directory only we can enter; removed on drop.
pub struct PrivateSocket {
    dir: PathBuf,
    pub path: PathBuf,
}

impl PrivateSocket {
    pub fn bind() -> io::Result<(PrivateSocket, UnixListener)> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
        let mut last_err = None;
        for attempt in 0..16u32 {
            let dir = base.join(format!("plugin-firehose-{}-{}-{attempt}", std::process::id(), nonce()));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => {
                    let path = dir.join("provider.sock");
                    let listener = UnixListener::bind(&path)?;
                    return Ok((PrivateSocket { dir, path }, listener));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| io::Error::other("could not create a socket directory")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PrivateSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_dir(&self.dir);
    }
}

fn nonce() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    h.finish()
}

/// A connection as tonic sees it: any byte stream that can report peer info.
pub struct Conn<T>(pub T);

impl<T> Connected for Conn<T> {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl<T: AsyncRead + Unpin> AsyncRead for Conn<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Conn<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}

pub type ConnStream<T> = Pin<Box<dyn Stream<Item = io::Result<Conn<T>>> + Send>>;

/// Accepts connections and completes TLS handshakes off the accept loop, so
/// one slow or hostile peer cannot stall the others. A peer that fails the
/// handshake (for instance without Terraform's client certificate) is
/// dropped and logged; it never reaches the gRPC services.
pub fn tls_incoming(
    listener: UnixListener,
    acceptor: TlsAcceptor,
) -> ConnStream<tokio_rustls::server::TlsStream<UnixStream>> {
    let (tx, rx) = mpsc::channel(16);
    let acceptor = Arc::new(acceptor);
    tokio::spawn(async move {
        loop {
            let (sock, _) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    crate::error!("accepting a connection failed: {e}");
                    continue;
                }
            };
            let acceptor = acceptor.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                match acceptor.accept(sock).await {
                    Ok(tls) => {
                        let _ = tx.send(Ok(Conn(tls))).await;
                    }
                    Err(e) => crate::warn!("refused a connection that failed mutual TLS: {e}"),
                }
            });
        }
    });
    receiver_stream(rx)
}

pub fn plain_incoming(listener: UnixListener) -> ConnStream<UnixStream> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let item = listener.accept().await.map(|(s, _)| Conn(s));
            if tx.send(item).await.is_err() {
                break;
            }
        }
    });
    receiver_stream(rx)
}

fn receiver_stream<T: Send + 'static>(rx: mpsc::Receiver<T>) -> Pin<Box<dyn Stream<Item = T> + Send>> {
    Box::pin(futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) }))
}
