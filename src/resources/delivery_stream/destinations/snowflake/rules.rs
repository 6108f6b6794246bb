//! Plan-time rules of the `snowflake` block: the account URL's form, the
//! key's form, the columns each data loading option needs, and exactly one
//! source of credentials.

pub use super::super::shared::length;
use crate::protocol::{AttrPath, Value};
use crate::resources::delivery_stream::kind::{is_given, Checker};

/// The data loading option Firehose assumes when none is set.
pub const DATA_LOADING: &str = "JSON_MAPPING";

/// `[https://]<account identifier>.snowflakecomputing.com[:port]`, with no
/// path (Firehose's API model; the scheme and port are optional).
pub fn account_url(url: &str) -> Result<(), String> {
    let form = "https://<account identifier>.snowflakecomputing.com";
    let bad = |why: &str| Err(format!("expected {form}, given {url:?}: {why}"));
    if url.starts_with("http://") {
        return bad("Firehose connects to Snowflake over HTTPS only");
    }
    let rest = url.strip_prefix("https://").unwrap_or(url);
    let host_port = rest.strip_suffix('/').unwrap_or(rest);
    if host_port.contains(['/', '?', '#', ' ']) {
        return bad("no path or query may follow the host");
    }
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.len() <= 5 && port.chars().all(|c| c.is_ascii_digit()) => h,
        Some(_) => return bad("the port is not a number"),
        None => host_port,
    };
    let Some(account) = host.strip_suffix(".snowflakecomputing.com") else {
        return bad("the host must end with .snowflakecomputing.com");
    };
    let ok = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    if account.is_empty() || !account.chars().all(ok) || account.starts_with('.') {
        return bad(&format!("the account identifier {account:?} may hold only letters, digits, '-', '_' and '.'"));
    }
    length("account_url", url, 24, 2048)
}

pub fn data_loading_option(s: &str) -> Result<(), String> {
    match s {
        "JSON_MAPPING" | "VARIANT_CONTENT_MAPPING" | "VARIANT_CONTENT_AND_METADATA_MAPPING" => Ok(()),
        _ => Err(format!(
            "data_loading_option must be JSON_MAPPING, VARIANT_CONTENT_MAPPING or VARIANT_CONTENT_AND_METADATA_MAPPING, given {s:?}"
        )),
    }
}

/// `<vpce id>.vpce-svc-<17 characters>`-style PrivateLink endpoint DNS names,
/// as Snowflake's SYSTEM$GET_PRIVATELINK_CONFIG reports them.
pub fn vpce_id(s: &str) -> Result<(), String> {
    let form =
        "the endpoint from SYSTEM$GET_PRIVATELINK_CONFIG, e.g. com.amazonaws.vpce.us-west-2.vpce-svc-01234567890abcdef";
    let Some((head, svc)) = s.rsplit_once(".vpce-svc-") else {
        return Err(format!("expected {form}, given {s:?}"));
    };
    let svc_ok = svc.len() == 17 && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let labels: Vec<&str> = head.split('.').collect();
    let vpce = labels.iter().position(|l| *l == "vpce");
    if !svc_ok
        || !matches!(vpce, Some(i) if (2..=3).contains(&i) && labels.len() == i + 2)
        || s.len() < 47
        || s.len() > 255
    {
        return Err(format!("expected {form}, given {s:?}"));
    }
    Ok(())
}

/// The base64 body of a PEM private key (Firehose's API model: 256 to 4096
/// base64 characters, no header lines or line breaks).
pub fn private_key(s: &str) -> Result<(), String> {
    if s.contains("-----") {
        return Err(
            "give the key's base64 body only: without the -----BEGIN/END PRIVATE KEY----- lines and line breaks".into(),
        );
    }
    length("private_key_wo", s, 256, 4096)?;
    let b64 = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=';
    if !s.chars().all(b64) || s.len() % 4 != 0 {
        return Err("the private key must be base64 (A-Z, a-z, 0-9, '+', '/', padded with '=') on one line".into());
    }
    Ok(())
}

/// The rules across attributes.
pub fn validate(v: &Value, at: &AttrPath, c: &mut Checker) {
    let given = |n: &str| is_given(v.attr(n));
    match (given("secret_arn"), given("user"), given("private_key_wo")) {
        (Some(true), Some(true), _) => c.d.error_at(
            at.at("user"),
            "Two sources for the credentials",
            "with secret_arn the secret holds the user and the private key; remove user",
        ),
        (Some(false), Some(false), _) | (Some(false), _, Some(false)) => c.d.error_at(
            at.clone(),
            "No Snowflake credentials",
            "Firehose signs in with a key pair: set user and private_key_wo (write-only), or secret_arn (Secrets Manager)",
        ),
        _ => {}
    }
    if let (Some(true), Some(false)) = (given("key_passphrase_wo"), given("private_key_wo")) {
        c.d.error_at(
            at.at("key_passphrase_wo"),
            "Passphrase without a key",
            "key_passphrase_wo unlocks private_key_wo; set the key too",
        );
    }
    if let Some(k) = v.attr("private_key_wo").as_str() {
        c.fail(at.at("private_key_wo"), "Invalid private key", private_key(k));
    }
    if let Some(p) = v.attr("key_passphrase_wo").as_str() {
        c.fail(at.at("key_passphrase_wo"), "Invalid key passphrase", length("key_passphrase_wo", p, 7, 255));
    }
    let option = v.attr("data_loading_option");
    if !option.is_known() {
        return;
    }
    let option = option.as_str().unwrap_or(DATA_LOADING);
    let (content, metadata) = (given("content_column_name"), given("metadata_column_name"));
    let need = |c: &mut Checker, attr: &str, why: &str| {
        c.d.error_at(at.at(attr), "Invalid data loading columns", why.to_string());
    };
    match option {
        "JSON_MAPPING" => {
            for (attr, g) in [("content_column_name", content), ("metadata_column_name", metadata)] {
                if g == Some(true) {
                    need(
                        c,
                        attr,
                        &format!("{attr} applies to the VARIANT data loading options only, not JSON_MAPPING"),
                    );
                }
            }
        }
        "VARIANT_CONTENT_MAPPING" => {
            if content == Some(false) {
                need(
                    c,
                    "content_column_name",
                    "VARIANT_CONTENT_MAPPING loads each record into content_column_name; set it",
                );
            }
            if metadata == Some(true) {
                need(c, "metadata_column_name", "metadata_column_name needs VARIANT_CONTENT_AND_METADATA_MAPPING");
            }
        }
        _ => {
            for (attr, g) in [("content_column_name", content), ("metadata_column_name", metadata)] {
                if g == Some(false) {
                    need(c, attr, &format!("VARIANT_CONTENT_AND_METADATA_MAPPING needs {attr}; set it"));
                }
            }
        }
    }
}
