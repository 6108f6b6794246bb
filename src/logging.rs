//! Log lines on stderr in the JSON form go-plugin parses (hclog), so that
//! Terraform shows them under `TF_LOG` with their level and fields.
//!
//! Messages must never contain secrets: callers log names and ARNs, never
//! credentials, and configuration values are not logged wholesale.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Off,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Off => "off",
        }
    }

    fn parse(s: &str) -> Option<Level> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "TRACE" | "JSON" => Level::Trace,
            "DEBUG" => Level::Debug,
            "INFO" => Level::Info,
            "WARN" => Level::Warn,
            "ERROR" => Level::Error,
            "OFF" => Level::Off,
            _ => return None,
        })
    }
}

/// The threshold follows terraform-plugin-log's variables: the provider-
/// specific one first, then Terraform's own.
pub fn threshold() -> Level {
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        ["TF_LOG_PROVIDER_FIREHOSE", "TF_LOG_PROVIDER", "TF_LOG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().and_then(|v| Level::parse(&v)))
            .unwrap_or(Level::Error)
    })
}

pub fn enabled(level: Level) -> bool {
    level >= threshold() && level != Level::Off
}

/// Writes one log line with extra fields, e.g. `tf_rpc` or `tf_resource_type`.
pub fn log(level: Level, message: &str, fields: &[(&str, &str)]) {
    if !enabled(level) {
        return;
    }
    let mut line = serde_json::Map::new();
    line.insert("@level".into(), level.name().into());
    line.insert("@message".into(), message.into());
    line.insert("@module".into(), "provider".into());
    line.insert("@timestamp".into(), timestamp().into());
    for (k, v) in fields {
        line.insert((*k).into(), (*v).into());
    }
    let mut text = serde_json::Value::Object(line).to_string();
    text.push('\n');
    // A closed stderr must not take the provider down.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// RFC 3339 with microseconds in UTC, as hclog writes it.
fn timestamp() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let mut s = String::with_capacity(32);
    let _ = write!(
        s,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_micros()
    );
    s
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[macro_export]
macro_rules! log_at {
    ($level:expr, [$($k:literal = $v:expr),* $(,)?], $($arg:tt)+) => {
        if $crate::logging::enabled($level) {
            $crate::logging::log($level, &format!($($arg)+), &[$(($k, &$v.to_string())),*]);
        }
    };
}

#[macro_export]
macro_rules! debug {
    ([$($k:literal = $v:expr),* $(,)?], $($arg:tt)+) => { $crate::log_at!($crate::logging::Level::Debug, [$($k = $v),*], $($arg)+) };
    ($($arg:tt)+) => { $crate::log_at!($crate::logging::Level::Debug, [], $($arg)+) };
}

#[macro_export]
macro_rules! info {
    ([$($k:literal = $v:expr),* $(,)?], $($arg:tt)+) => { $crate::log_at!($crate::logging::Level::Info, [$($k = $v),*], $($arg)+) };
    ($($arg:tt)+) => { $crate::log_at!($crate::logging::Level::Info, [], $($arg)+) };
}

#[macro_export]
macro_rules! warn {
    ([$($k:literal = $v:expr),* $(,)?], $($arg:tt)+) => { $crate::log_at!($crate::logging::Level::Warn, [$($k = $v),*], $($arg)+) };
    ($($arg:tt)+) => { $crate::log_at!($crate::logging::Level::Warn, [], $($arg)+) };
}

#[macro_export]
macro_rules! error {
    ([$($k:literal = $v:expr),* $(,)?], $($arg:tt)+) => { $crate::log_at!($crate::logging::Level::Error, [$($k = $v),*], $($arg)+) };
    ($($arg:tt)+) => { $crate::log_at!($crate::logging::Level::Error, [], $($arg)+) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_783), (2026, 11, 26));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn level_names_parse() {
        assert_eq!(Level::parse("json"), Some(Level::Trace));
        assert_eq!(Level::parse("Debug"), Some(Level::Debug));
        assert_eq!(Level::parse("bogus"), None);
    }
}
