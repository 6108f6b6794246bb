//! The `timeouts` block: Go-style durations, as Terraform users write them,
//! and the one way work runs within them.

use std::time::Duration;

use crate::protocol::Value;
use crate::provider::Env;

pub const DEFAULT_CREATE: Duration = Duration::from_secs(30 * 60);
pub const DEFAULT_UPDATE: Duration = Duration::from_secs(10 * 60);
pub const DEFAULT_DELETE: Duration = Duration::from_secs(30 * 60);

/// Parses `1h30m`, `45s`, `1.5h`, `500ms`: a sequence of numbers with units.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let rule = || format!("a duration such as \"30m\" or \"1h10m\" (units h, m, s, ms), given {s:?}");
    let mut rest = s.trim();
    if rest.is_empty() {
        return Err(rule());
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return Err(rule());
        }
        let n: f64 = rest[..num_len].parse().map_err(|_| rule())?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let secs = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => return Err(rule()),
        };
        rest = &rest[unit_len..];
        total += n * secs;
    }
    if !total.is_finite() || total > 7.0 * 24.0 * 3600.0 {
        return Err(format!("a duration of at most 168h, given {s:?}"));
    }
    Ok(Duration::from_secs_f64(total))
}

pub fn get(timeouts: &Value, op: &str, default: Duration) -> Duration {
    timeouts.attr(op).as_str().and_then(|s| parse_duration(s).ok()).unwrap_or(default)
}

/// Runs `work` until it finishes, the timeout passes, or Terraform asks the
/// provider to stop; the latter two cancel in-flight AWS calls at once.
pub async fn bounded<T>(
    env: &Env,
    limit: Duration,
    verb: &str,
    name: &str,
    work: impl std::future::Future<Output = Result<T, String>>,
) -> Result<T, String> {
    tokio::select! {
        r = work => r,
        _ = tokio::time::sleep(limit) => Err(format!(
            "timed out after {} waiting to {verb} delivery stream {name}; raise timeouts.{verb} if AWS needs longer",
            humanize(limit)
        )),
        _ = env.stopped() => Err(format!("stopped by Terraform (interrupt) while trying to {verb} delivery stream {name}")),
    }
}

fn humanize(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h10m5s"), Ok(Duration::from_secs(4205)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        for bad in ["", "10", "m", "5x", "1h-2m", "999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
