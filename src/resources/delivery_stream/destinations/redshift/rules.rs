//! Plan-time rules of the `redshift` block: the JDBC URL's form, the COPY
//! options Firehose can append to, the staging compression COPY can read,
//! and exactly one source of credentials.

pub use super::super::shared::length;
use crate::protocol::{AttrPath, Value};
use crate::resources::delivery_stream::destinations::s3;
use crate::resources::delivery_stream::kind::{is_given, Checker};
use crate::resources::delivery_stream::rules::one_of;

/// `s3_backup.mode` of a Redshift destination. Firehose backs up the source
/// records, all of them or none (`S3BackupMode` Enabled or Disabled), so
/// `ALL` is the only mode; records COPY rejects go to the staging bucket's
/// error prefix either way.
pub fn backup_mode(mode: &str) -> Result<(), String> {
    match mode {
        "FAILED" => Err(
            "a redshift destination backs up all source records or none, so mode must be \"ALL\"; records the COPY rejects go to s3_staging's error_output_prefix"
                .to_string(),
        ),
        other => one_of("mode", other, &["ALL"]),
    }
}

/// `jdbc:redshift://<host>.redshift[-serverless].<region...>:<port>/<database>`
/// (Firehose's API model; `jdbc:postgresql://` is accepted too).
pub fn jdbc_url(url: &str) -> Result<(), String> {
    let form = "jdbc:redshift://<cluster or workgroup endpoint>:<port>/<database>";
    let bad = |why: &str| Err(format!("expected {form}, given {url:?}: {why}"));
    length("cluster_jdbc_url", url, 1, 512)?;
    let Some(rest) = url.strip_prefix("jdbc:redshift://").or_else(|| url.strip_prefix("jdbc:postgresql://")) else {
        return bad("it must start with jdbc:redshift://");
    };
    let Some((host_port, database)) = rest.split_once('/') else { return bad("no /<database> after the port") };
    let Some((host, port)) = host_port.rsplit_once(':') else { return bad("no :<port> after the host") };
    if port.is_empty() || port.len() > 5 || !port.chars().all(|c| c.is_ascii_digit()) {
        return bad(&format!("the port {port:?} is not a number"));
    }
    if database.is_empty() || !database.chars().all(|c| c.is_ascii_alphanumeric() || "_$-".contains(c)) {
        return bad(&format!("the database name {database:?} may hold only letters, digits, '_', '$' and '-'"));
    }
    let labels: Vec<&str> = host.split('.').collect();
    let service = labels.iter().position(|l| *l == "redshift" || *l == "redshift-serverless");
    let ok_label = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    match service {
        Some(i) if i > 0 && i + 1 < labels.len() && labels[..i].iter().all(ok_label) => Ok(()),
        _ => bad(&format!(
            "the host {host:?} is not a Redshift endpoint (<name>...redshift.<region>.amazonaws.com or ...redshift-serverless...)"
        )),
    }
}

pub fn columns(s: &str) -> Result<(), String> {
    length("data_table_columns", s, 1, 10240)?;
    if s.split(',').any(|c| c.trim().is_empty()) {
        return Err(format!("data_table_columns must be column names separated by commas, given {s:?}"));
    }
    Ok(())
}

fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_ascii_uppercase)
}

/// Firehose runs `COPY <table> FROM '<manifest>' CREDENTIALS '...' MANIFEST
/// <copy_options>`: the options may not restate what it supplies, nor end the
/// command.
pub fn copy_options(s: &str) -> Result<(), String> {
    length("copy_options", s, 1, 10240)?;
    if s.contains(';') {
        return Err("copy_options must not contain ';': Firehose runs them as part of one COPY command".into());
    }
    let supplied = ["FROM", "CREDENTIALS", "IAM_ROLE", "MANIFEST", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY"];
    if let Some(w) = words(s).find(|w| supplied.contains(&w.as_str())) {
        return Err(format!(
            "copy_options must not contain {w}: Firehose supplies FROM, the credentials and MANIFEST itself"
        ));
    }
    Ok(())
}

fn gzip(copy: &str) -> bool {
    words(copy).any(|w| w == "GZIP")
}

/// The rules across attributes.
pub fn validate(v: &Value, at: &AttrPath, c: &mut Checker) {
    let given = |n: &str| is_given(v.attr(n));
    match (given("secret_arn"), given("username"), given("password_wo")) {
        (Some(true), Some(true), _) => c.d.error_at(
            at.at("username"),
            "Two sources for the credentials",
            "with secret_arn the secret holds the user name and the password; remove username",
        ),
        (Some(false), Some(false), _) | (Some(false), _, Some(false)) => c.d.error_at(
            at.clone(),
            "No Redshift credentials",
            "Firehose needs the database credentials: set username and password_wo (write-only), or secret_arn (Secrets Manager)",
        ),
        _ => {}
    }
    let Some(staging) = v.block("s3_staging") else { return };
    let st = at.at("s3_staging").index(0);
    s3::validate::s3_common(c, staging, &st);
    let compression = staging.attr("compression");
    // Unset is the default, uncompressed.
    let comp = if compression.is_null() { Some("UNCOMPRESSED") } else { compression.as_str() };
    if let Some(comp) = comp {
        if comp != "UNCOMPRESSED" && comp != "GZIP" {
            c.d.error_at(
                st.at("compression"),
                "Invalid compression",
                format!("COPY reads the staging bucket only as UNCOMPRESSED or GZIP, given {comp:?}"),
            );
            return;
        }
    }
    let copy = v.attr("copy_options");
    if let (Some(comp), true) = (comp, copy.is_known()) {
        let says_gzip = copy.as_str().is_some_and(gzip);
        match (comp, says_gzip) {
            ("GZIP", false) => c.d.error_at(
                at.at("copy_options"),
                "COPY options do not match the staging compression",
                "s3_staging.compression is GZIP, so copy_options must include GZIP for COPY to read the files",
            ),
            ("UNCOMPRESSED", true) => c.d.error_at(
                at.at("copy_options"),
                "COPY options do not match the staging compression",
                "copy_options says GZIP but s3_staging.compression is UNCOMPRESSED; set compression = \"GZIP\" or remove GZIP",
            ),
            _ => {}
        }
    }
}
