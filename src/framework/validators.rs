//! Single-attribute rules as values, in the manner of
//! terraform-plugin-framework's validators: each function returns a check
//! that carries its own arguments, to hand to `Attribute::check_str` or
//! `check_whole`; the walker applies it once the value is known and reports
//! at the attribute. Each message names the attribute and the rule.

/// One of `allowed`, spelled exactly; a near miss in case gets a pointer.
pub fn one_of(
    what: &'static str,
    allowed: &'static [&'static str],
) -> impl Fn(&str) -> Result<(), String> + Send + Sync + 'static {
    move |v| one_of_values(what, v, allowed)
}

/// `one_of` for a list known only at run time.
pub fn one_of_values(what: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let mut msg = format!("unknown {what} {value:?}; allowed values are {}", allowed.join(", "));
    // Values are case-sensitive; a near miss gets a pointer to the exact spelling.
    if let Some(hit) = allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        msg.push_str(&format!(" (did you mean {hit:?}?)"));
    }
    Err(msg)
}

/// A whole number from `lo` to `hi`, in `unit`.
pub fn between(
    name: &'static str,
    lo: i64,
    hi: i64,
    unit: &'static str,
) -> impl Fn(i64) -> Result<(), String> + Send + Sync + 'static {
    move |v| between_values(name, lo, hi, unit, v)
}

pub fn between_values(name: &str, lo: i64, hi: i64, unit: &str, v: i64) -> Result<(), String> {
    if (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(format!("{name} must be between {lo} and {hi} {unit}, given {v}"))
    }
}

/// A string of `lo` to `hi` characters.
pub fn length(name: &'static str, lo: usize, hi: usize) -> impl Fn(&str) -> Result<(), String> + Send + Sync + 'static {
    move |s| length_of(name, s, lo, hi)
}

pub fn length_of(name: &str, s: &str, lo: usize, hi: usize) -> Result<(), String> {
    let n = s.chars().count();
    if (lo..=hi).contains(&n) {
        Ok(())
    } else {
        Err(format!("{name} must be {lo} to {hi} characters, given {n}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators_carry_their_arguments_and_name_the_attribute() {
        let mode = one_of("mode", &["ALL", "FAILED"]);
        assert!(mode("ALL").is_ok());
        assert_eq!(
            mode("all").unwrap_err(),
            "unknown mode \"all\"; allowed values are ALL, FAILED (did you mean \"ALL\"?)"
        );
        assert_eq!(mode("SOME").unwrap_err(), "unknown mode \"SOME\"; allowed values are ALL, FAILED");

        let retry = between("retry_duration", 0, 7200, "seconds");
        assert!(retry(0).is_ok() && retry(7200).is_ok());
        assert_eq!(retry(7201).unwrap_err(), "retry_duration must be between 0 and 7200 seconds, given 7201");

        let name = length("username", 1, 3);
        assert!(name("abc").is_ok());
        assert_eq!(name("abcd").unwrap_err(), "username must be 1 to 3 characters, given 4");
        assert!(name("äöü").is_ok(), "characters, not bytes");
    }
}
