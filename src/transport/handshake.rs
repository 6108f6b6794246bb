//! go-plugin's handshake: the magic cookie that proves Terraform started us,
//! protocol version negotiation, and the line that tells Terraform where to
//! connect.

use base64::Engine as _;

/// The cookie Terraform sets for every provider it launches.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's own core protocol version, distinct from Terraform's.
const CORE_PROTOCOL_VERSION: u32 = 1;
pub const PLUGIN_PROTOCOL_VERSION: u32 = 6;

pub const NOT_A_PLUGIN_MESSAGE: &str = "This binary is a plugin. These are not meant to be executed directly.\n\
Please execute the program that consumes these plugins, which will\n\
load any plugins automatically\n";

pub fn cookie_present(value: Option<&str>) -> bool {
    value == Some(MAGIC_COOKIE_VALUE)
}

/// Picks protocol 6 from the versions the client offers
/// (`PLUGIN_PROTOCOL_VERSIONS`, comma separated). An absent list means an
/// older client that did not negotiate; it gets our only version.
pub fn negotiate(offered: Option<&str>) -> Result<u32, String> {
    let Some(list) = offered.filter(|s| !s.trim().is_empty()) else {
        return Ok(PLUGIN_PROTOCOL_VERSION);
    };
    let mine = PLUGIN_PROTOCOL_VERSION.to_string();
    if list.split(',').any(|v| v.trim() == mine) {
        Ok(PLUGIN_PROTOCOL_VERSION)
    } else {
        Err(format!(
            "this provider speaks plugin protocol {PLUGIN_PROTOCOL_VERSION}, but the client offers only {list}; \
             use Terraform 1.0 or later"
        ))
    }
}

/// `CORE|APP|NETWORK|ADDRESS|grpc|CERT`, the certificate being the server's
/// DER bytes in base64 without padding, as go-plugin's client decodes it.
pub fn line(version: u32, network: &str, address: &str, server_cert_der: Option<&[u8]>) -> String {
    let cert =
        server_cert_der.map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der)).unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{version}|{network}|{address}|grpc|{cert}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_must_match_exactly() {
        assert!(cookie_present(Some(MAGIC_COOKIE_VALUE)));
        assert!(!cookie_present(Some("nope")));
        assert!(!cookie_present(None));
    }

    #[test]
    fn negotiates_version_six_only() {
        assert_eq!(negotiate(Some("5,6")), Ok(6));
        assert_eq!(negotiate(Some("6")), Ok(6));
        assert_eq!(negotiate(None), Ok(6));
        let err = negotiate(Some("4,5")).unwrap_err();
        assert!(err.contains("protocol 6"), "{err}");
    }

    #[test]
    fn line_has_unpadded_certificate() {
        let l = line(6, "unix", "/tmp/x/plugin.sock", Some(&[1, 2, 3, 4]));
        assert_eq!(l, "1|6|unix|/tmp/x/plugin.sock|grpc|AQIDBA");
        assert_eq!(line(6, "tcp", "127.0.0.1:1", None), "1|6|tcp|127.0.0.1:1|grpc|");
    }
}
