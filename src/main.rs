use std::process::ExitCode;

use terraform_provider_firehose::server;
use terraform_provider_firehose::transport::{self, handshake};

fn main() -> ExitCode {
    let debug = std::env::args().skip(1).any(|a| a == "--debug" || a == "-debug");
    let cookie = std::env::var(handshake::MAGIC_COOKIE_KEY).ok();
    if !debug && !handshake::cookie_present(cookie.as_deref()) {
        eprint!("{}", handshake::NOT_A_PLUGIN_MESSAGE);
        return ExitCode::from(1);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime
        .block_on(transport::serve(server::ProviderService::new(terraform_provider_firehose::provider()), debug));
    // Background streams never end on their own; do not wait for them.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
