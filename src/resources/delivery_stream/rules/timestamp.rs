//! Java `DateTimeFormatter` patterns, as `!{timestamp:PATTERN}` in S3
//! prefixes takes them ("Custom Prefixes for Amazon S3 Objects").

/// Validates a pattern the way `DateTimeFormatterBuilder.appendPattern` does in Java 8
/// (the version the Firehose documentation links to):
///
/// * ASCII letters are pattern letters; a run of the same letter is one field and the
///   run length must be one Java accepts for that letter (table in `letter_counts`).
///   Letters Java 8 does not define (`b`, `f`, `g`, `i`, `j`, `l`, `o`, `r`, `t`, `v`,
///   `B`, `C`, `I`, `J`, `P`, `R`, `T`, `U`) are errors, as are Java 9+ additions.
/// * `p` pads the field that follows it, so it must be followed directly by a letter.
/// * `'` starts quoted text that must be closed; `''` is a literal quote, in and out of
///   quotes.
/// * `[` / `]` delimit optional sections. A `]` without an open `[` is an error; an
///   unclosed `[` is not, because Java closes open sections when building the formatter.
/// * `{`, `}` and `#` are reserved and rejected.
/// * Everything else is literal text.
pub fn timestamp_pattern(pattern: &str) -> Result<(), String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() {
            let run = |from: usize| {
                let mut to = from;
                while to < chars.len() && chars[to] == chars[from] {
                    to += 1;
                }
                to
            };
            let mut end = run(i);
            let (mut letter, mut count) = (c, end - i);
            if c == 'p' {
                if end >= chars.len() || !chars[end].is_ascii_alphabetic() {
                    return Err("pad letter 'p' must be followed directly by a pattern letter".to_string());
                }
                let start = end;
                end = run(start);
                letter = chars[start];
                count = end - start;
            }
            letter_count(letter, count)?;
            i = end;
            continue;
        }
        match c {
            '\'' => {
                i += 1;
                loop {
                    if i >= chars.len() {
                        return Err("quoted text is not closed with '".to_string());
                    }
                    if chars[i] == '\'' {
                        if chars.get(i + 1) == Some(&'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            '[' => depth += 1,
            ']' => {
                if depth == 0 {
                    return Err("']' without a preceding '['".to_string());
                }
                depth -= 1;
            }
            '{' | '}' | '#' => {
                return Err(format!("{c:?} is a reserved character"));
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Run lengths Java 8 accepts per letter. Where Java only fails when formatting (e.g. a
/// `Y` run wider than a long can print) the cap is the 19 digits every other numeric
/// field is limited to.
fn letter_count(letter: char, count: usize) -> Result<(), String> {
    let ok = match letter {
        'G' => (1..=5).contains(&count),
        'u' | 'y' | 'Y' | 'A' | 'n' | 'N' => (1..=19).contains(&count),
        'M' | 'L' | 'Q' | 'q' | 'E' | 'e' => (1..=5).contains(&count),
        'c' => matches!(count, 1 | 3 | 4 | 5),
        'D' => (1..=3).contains(&count),
        'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' | 'w' => (1..=2).contains(&count),
        'F' | 'a' | 'W' => count == 1,
        'S' => (1..=9).contains(&count),
        'V' => count == 2,
        'z' => (1..=4).contains(&count),
        'O' => matches!(count, 1 | 4),
        'X' | 'x' | 'Z' => (1..=5).contains(&count),
        _ => {
            return Err(format!(
                "unknown pattern letter {letter:?}; letters are reserved for pattern fields, so quote literal text, as in '{letter}'"
            ))
        }
    };
    if ok {
        Ok(())
    } else {
        let allowed = match letter {
            'c' => "1, 3, 4 or 5",
            'O' => "1 or 4",
            'V' => "exactly 2",
            'F' | 'a' | 'W' => "exactly 1",
            'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' | 'w' => "1 or 2",
            'D' => "1 to 3",
            'z' => "1 to 4",
            'S' => "1 to 9",
            'u' | 'y' | 'Y' | 'A' | 'n' | 'N' => "1 to 19",
            _ => "1 to 5",
        };
        Err(format!("{count} consecutive {letter:?} letters; Java allows {allowed}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_java_patterns() {
        for ok in [
            "yyyy",
            "yyyy/MM/dd/HH",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
            "uuuu-MM-dd",
            "'year='yyyy'/month='MM",
            "''",
            "'it''s' yyyy",
            "''''",
            "[yyyy][-MM]",
            "[yyyy[-MM]]",
            "[yyyy",
            "G GGGG GGGGG",
            "MMMMM LLLLL QQQQQ qqqqq EEEEE eeeee",
            "c ccc cccc ccccc",
            "D DD DDD",
            "d dd h hh H HH k kk K KK m mm s ss",
            "F a W w ww",
            "S SSSSSSSSS",
            "A AAAAAAAAAAAAAAAAAA n N",
            "YYYY Y",
            "VV z zzzz O OOOO",
            "X XXXXX x xxxxx Z ZZZZZ",
            "ppH",
            "pHH",
            "yyyy_MM-dd=HH",
            "123 / - =",
            "ÄÖÜ",
        ] {
            timestamp_pattern(ok).unwrap_or_else(|e| panic!("{ok:?}: {e}"));
        }
    }

    #[test]
    fn invalid_java_patterns() {
        for (bad, why) in [
            ("MMMMMM", "6 consecutive 'M'"),
            ("LLLLLL", "'L'"),
            ("EEEEEE", "'E'"),
            ("ddd", "1 or 2"),
            ("HHH", "'H'"),
            ("mmm", "'m'"),
            ("sss", "'s'"),
            ("DDDD", "1 to 3"),
            ("SSSSSSSSSS", "1 to 9"),
            ("GGGGGG", "'G'"),
            ("aa", "exactly 1"),
            ("FF", "exactly 1"),
            ("WW", "exactly 1"),
            ("www", "1 or 2"),
            ("cc", "1, 3, 4 or 5"),
            ("V", "exactly 2"),
            ("VVV", "exactly 2"),
            ("zzzzz", "1 to 4"),
            ("OO", "1 or 4"),
            ("XXXXXX", "'X'"),
            ("xxxxxx", "'x'"),
            ("ZZZZZZ", "'Z'"),
            ("yyyyyyyyyyyyyyyyyyyy", "1 to 19"),
            ("b", "unknown pattern letter 'b'"),
            ("T", "unknown pattern letter 'T'"),
            ("yyyy-MM-ddTHH", "unknown pattern letter 'T'"),
            ("v", "unknown pattern letter 'v'"),
            ("B", "unknown pattern letter 'B'"),
            ("p", "pad letter"),
            ("p-", "pad letter"),
            ("pppb", "unknown pattern letter 'b'"),
            ("pMMMMMM", "'M'"),
            ("'abc", "not closed"),
            ("yyyy'", "not closed"),
            ("'''", "not closed"),
            ("]", "without a preceding '['"),
            ("[yyyy]]", "without a preceding '['"),
            ("#", "reserved"),
            ("yyyy{", "reserved"),
            ("}", "reserved"),
        ] {
            let e = timestamp_pattern(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        // Reserved characters and letters are fine inside quotes.
        timestamp_pattern("'#{T}b'").unwrap();
    }
}
