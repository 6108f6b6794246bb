//! The provider configuration as a typed model, with its validation.

use std::collections::BTreeMap;

use crate::protocol::{AttrPath, Diagnostics, Value};

use super::schema::SERVICES;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
}

/// Credentials are kept out of `Debug` output so they cannot reach a log.
#[derive(Clone, Default, PartialEq)]
pub struct StaticKeys {
    pub access_key: String,
    pub secret_key: String,
    pub token: Option<String>,
}

impl std::fmt::Debug for StaticKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticKeys(<redacted>)")
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProviderConfig {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub keys: Option<StaticKeys>,
    pub endpoint_url: Option<String>,
    pub endpoints: BTreeMap<String, String>,
    pub assume_role: Option<AssumeRole>,
    pub default_tags: BTreeMap<String, String>,
    pub max_retries: u32,
    pub preflight: Preflight,
}

/// What plan-time checks of referenced resources do with a problem they find
/// (docs/resources/delivery_stream.md, "What is checked before apply").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Preflight {
    #[default]
    Error,
    Warn,
    Off,
}

impl Preflight {
    pub const VALUES: [&'static str; 3] = ["error", "warn", "off"];

    pub fn parse(s: &str) -> Option<Preflight> {
        match s {
            "error" => Some(Preflight::Error),
            "warn" => Some(Preflight::Warn),
            "off" => Some(Preflight::Off),
            _ => None,
        }
    }
}

pub const DEFAULT_MAX_RETRIES: u32 = 10;

/// Whether every value configuration depends on is known. During plan
/// Terraform may configure us with values that come from other resources.
pub fn is_known(config: &Value) -> bool {
    config.is_wholly_known()
}

fn opt_string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn valid_url(u: &str) -> bool {
    (u.starts_with("http://") || u.starts_with("https://")) && u.len() > "http://".len()
}

/// Checks what can be checked without calling AWS; unknown values pass.
pub fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    let keys_path = |a: &str| AttrPath::attr(a);
    let ak = config.attr("access_key");
    let sk = config.attr("secret_key");
    if ak.is_known() && sk.is_known() && ak.is_null() != sk.is_null() {
        let missing = if ak.is_null() { "access_key" } else { "secret_key" };
        d.error_at(
            keys_path(missing),
            "Incomplete static credentials",
            "access_key and secret_key must be given together (or neither, to use the default credential chain).",
        );
    }
    if let Some(u) = config.attr("endpoint_url").as_str() {
        if !valid_url(u) {
            d.error_at(
                keys_path("endpoint_url"),
                "Invalid endpoint URL",
                format!("endpoint_url must be an http:// or https:// URL, given {u:?}."),
            );
        }
    }
    for (i, ep) in config.attr("endpoints").elements().iter().enumerate() {
        for svc in SERVICES {
            if let Some(u) = ep.attr(svc).as_str() {
                if !valid_url(u) {
                    d.error_at(
                        AttrPath::attr("endpoints").index(i).at(svc),
                        "Invalid endpoint URL",
                        format!("endpoints.{svc} must be an http:// or https:// URL, given {u:?}."),
                    );
                }
            }
        }
    }
    if let Some(n) = config.attr("max_retries").as_number() {
        match n.as_i64() {
            Some(v) if (0..=100).contains(&v) => {}
            _ => d.error_at(
                keys_path("max_retries"),
                "Invalid max_retries",
                format!("max_retries must be a whole number between 0 and 100, given {}.", n.to_text()),
            ),
        }
    }
    for (i, ar) in config.attr("assume_role").elements().iter().enumerate() {
        if let Some(arn) = ar.attr("role_arn").as_str() {
            if let Err(e) = crate::aws::arn::iam_role_arn(arn) {
                d.error_at(AttrPath::attr("assume_role").index(i).at("role_arn"), "Invalid role ARN", e);
            }
        }
    }
    if let Some(p) = config.attr("preflight").as_str() {
        if Preflight::parse(p).is_none() {
            d.error_at(
                keys_path("preflight"),
                "Invalid preflight",
                format!("preflight must be one of \"error\", \"warn\" or \"off\", given {p:?}."),
            );
        }
    }
    if let Some(region) = config.attr("region").as_str() {
        let ok = !region.is_empty() && region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            d.error_at(
                keys_path("region"),
                "Invalid region",
                format!("region must look like \"us-east-1\", given {region:?}."),
            );
        }
    }
    for (i, dt) in config.attr("default_tags").elements().iter().enumerate() {
        if let Some(tags) = dt.attr("tags").entries() {
            let known: BTreeMap<String, String> =
                tags.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect();
            if let Err(e) = crate::aws::tags::tags(&known) {
                d.error_at(AttrPath::attr("default_tags").index(i).at("tags"), "Invalid default tags", e);
            }
        }
    }
    d
}

/// Builds the typed model from a wholly known configuration.
pub fn from_value(config: &Value) -> ProviderConfig {
    let keys = match (config.attr("access_key").as_str(), config.attr("secret_key").as_str()) {
        (Some(a), Some(s)) => Some(StaticKeys {
            access_key: a.to_string(),
            secret_key: s.to_string(),
            token: opt_string(config.attr("token")),
        }),
        _ => None,
    };
    let mut endpoints = BTreeMap::new();
    if let Some(ep) = config.block("endpoints") {
        for svc in SERVICES {
            if let Some(u) = ep.attr(svc).as_str() {
                endpoints.insert(svc.to_string(), u.to_string());
            }
        }
    }
    let assume_role = config.block("assume_role").and_then(|ar| {
        Some(AssumeRole {
            role_arn: ar.attr("role_arn").as_str()?.to_string(),
            session_name: opt_string(ar.attr("session_name")),
            external_id: opt_string(ar.attr("external_id")),
        })
    });
    let default_tags = config
        .attr("default_tags")
        .elements()
        .first()
        .and_then(|dt| dt.attr("tags").entries())
        .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect())
        .unwrap_or_default();
    ProviderConfig {
        region: opt_string(config.attr("region")),
        profile: opt_string(config.attr("profile")),
        keys,
        endpoint_url: opt_string(config.attr("endpoint_url")),
        endpoints,
        assume_role,
        default_tags,
        max_retries: config
            .attr("max_retries")
            .as_number()
            .and_then(|n| n.as_i64())
            .map_or(DEFAULT_MAX_RETRIES, |n| n.clamp(0, 100) as u32),
        preflight: config.attr("preflight").as_str().and_then(Preflight::parse).unwrap_or_default(),
    }
}
