//! AWS SDK errors as sentences a user can act on: the operation, the code,
//! the message and the request ID; a denial as the action, the resource and
//! the principal; a transport or credentials failure as what was tried.
//! Never a Rust `Debug` dump (docs/index.md#authentication).

use std::error::Error;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

/// What kind of failure an SDK error is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The service refused the caller: `principal` when AWS names it.
    Denied {
        principal: Option<String>,
        message: String,
    },
    /// The signature's credentials are expired.
    Expired {
        code: String,
        message: String,
    },
    /// The credentials are unknown or the secret is wrong.
    InvalidCredentials {
        code: String,
        message: String,
    },
    /// No credentials source yielded credentials.
    NoCredentials {
        tried: String,
    },
    /// A credentials source failed (an assume-role call, an SSO token).
    CredentialsFailed {
        why: String,
    },
    /// The endpoint could not be reached (DNS, refused, timed out).
    Unreachable {
        why: String,
    },
    /// Any other answer from the service.
    Service {
        code: String,
        message: String,
    },
    Other {
        why: String,
    },
}

/// Codes services use for a denied call.
const DENIED: [&str; 5] =
    ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "Forbidden"];
const EXPIRED: [&str; 4] = ["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"];
const INVALID: [&str; 6] = [
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "AuthFailure",
    "InvalidSignatureException",
];

pub fn classify<E>(e: &SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + Error + 'static,
{
    match e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let (mut code, mut message) =
                (err.code().unwrap_or_default().to_string(), err.message().unwrap_or_default().to_string());
            // Some endpoints (and emulators) answer a JSON-protocol call with
            // an XML error body, which the SDK cannot parse: read it here.
            if code.is_empty() || code.chars().all(|c| c.is_ascii_digit()) {
                let body = se.raw().body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
                let text = if message.contains('<') { message.clone() } else { body.into_owned() };
                if let Some(c) = xml_field(&text, "Code") {
                    code = c;
                    message = xml_field(&text, "Message").unwrap_or_default();
                } else if se.raw().status().as_u16() == 403 && code.is_empty() {
                    code = "AccessDenied".into();
                }
            }
            classify_code(code, message)
        }
        other => classify_transport(other),
    }
}

fn classify_code(code: String, message: String) -> Failure {
    if DENIED.contains(&code.as_str()) {
        return Failure::Denied { principal: principal_of(&message), message };
    }
    if EXPIRED.contains(&code.as_str()) {
        return Failure::Expired { code, message };
    }
    if INVALID.contains(&code.as_str()) {
        return Failure::InvalidCredentials { code, message };
    }
    if code.is_empty() {
        return Failure::Other {
            why: if message.is_empty() { "the service returned an error".into() } else { message },
        };
    }
    Failure::Service { code, message }
}

fn classify_transport<E>(e: &SdkError<E, HttpResponse>) -> Failure
where
    E: Error + 'static,
{
    let dyn_e: &(dyn Error + 'static) = e;
    if let Some(c) = credentials_error(dyn_e) {
        return match c {
            CredentialsError::CredentialsNotLoaded(_) => Failure::NoCredentials { tried: sentences(c) },
            _ => Failure::CredentialsFailed { why: sentences(c) },
        };
    }
    let unreachable = match e {
        SdkError::DispatchFailure(d) => d.is_io() || d.is_timeout(),
        SdkError::TimeoutError(_) => true,
        _ => false,
    };
    let why = sentences(dyn_e);
    if unreachable || looks_unreachable(&why) {
        return Failure::Unreachable { why };
    }
    Failure::Other { why }
}

fn credentials_error<'a>(e: &'a (dyn Error + 'static)) -> Option<&'a CredentialsError> {
    let mut cur: Option<&(dyn Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(c) = err.downcast_ref::<CredentialsError>() {
            return Some(c);
        }
        cur = err.source();
    }
    None
}

fn looks_unreachable(why: &str) -> bool {
    let lower = why.to_ascii_lowercase();
    ["io error", "connection refused", "dns error", "timed out", "failed to lookup"].iter().any(|k| lower.contains(k))
}

/// The chain of an error's messages, joined as one sentence; links whose
/// text is a `Debug` rendering (struct syntax) are left out.
pub fn sentences(e: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let text = err.to_string();
        let debugish = text.contains(" { ") || text.contains("(Some(") || text.contains("Error(");
        let text = text.trim().trim_end_matches(':').trim().to_string();
        if !debugish && !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = err.source();
    }
    if parts.is_empty() {
        "unknown error".into()
    } else {
        parts.join(": ")
    }
}

fn xml_field(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{tag}>"))? + start;
    Some(text[start..end].trim().to_string())
}

/// AWS names the caller in denials: "User: arn:… is not authorized to …".
fn principal_of(message: &str) -> Option<String> {
    let rest = &message[message.find("arn:")?..];
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches([',', '.', ';']).to_string())
}

fn request_id<E>(e: &SdkError<E, HttpResponse>) -> Option<String> {
    e.request_id().filter(|id| !id.is_empty()).map(str::to_string)
}

/// The sentence for a failed call: `op` is the IAM action (`iam:CreateRole`),
/// `target` what it acted on (an ARN where one is known).
pub fn call_error<E>(op: &str, target: &str, e: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + Error + 'static,
{
    let on = if target.is_empty() { String::new() } else { format!(" on {target}") };
    let rid = rid_text(e);
    match classify(e) {
        Failure::Denied { principal: Some(p), .. } => format!("{op}{on} is denied for {p}{rid}"),
        Failure::Denied { principal: None, message } => {
            format!("{op}{on} is denied ({}){rid}", if message.is_empty() { "AccessDenied" } else { &message })
        }
        other => format!("{op}{on} failed: {}", failure_text(other, &rid)),
    }
}

fn code_text(code: &str, message: &str) -> String {
    if message.is_empty() {
        code.to_string()
    } else {
        format!("{code}: {message}")
    }
}

fn rid_text<E>(e: &SdkError<E, HttpResponse>) -> String {
    request_id(e).map(|id| format!(" (request ID {id})")).unwrap_or_default()
}

/// One failure as a sentence, ending in the request ID where one applies.
fn failure_text(f: Failure, rid: &str) -> String {
    match f {
        Failure::Denied { message, .. } => format!("AccessDenied: {message}{rid}"),
        Failure::Expired { code, message }
        | Failure::InvalidCredentials { code, message }
        | Failure::Service { code, message } => format!("{}{rid}", code_text(&code, &message)),
        Failure::NoCredentials { tried } => format!("no AWS credentials were found ({tried})"),
        Failure::CredentialsFailed { why } => format!("the AWS credentials could not be loaded: {why}"),
        Failure::Unreachable { why } => format!("the AWS endpoint could not be reached: {why}"),
        Failure::Other { why } => format!("{why}{rid}"),
    }
}

/// The code and message alone, for callers that name the call themselves.
pub fn error_text<E>(e: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + Error + 'static,
{
    failure_text(classify(e), &rid_text(e))
}

/// The service's error code, if the error came from the service.
pub fn error_code<E, R>(e: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match e {
        SdkError::ServiceError(se) => se.err().code(),
        _ => None,
    }
}

/// Whether a rendered error is a denial (see `call_error`), so that the
/// caller can add which setting made the call necessary.
pub fn is_denial(text: &str) -> bool {
    text.contains(" is denied for ") || text.contains(" is denied (")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denials_name_the_principal() {
        let f = classify_code(
            "AccessDenied".into(),
            "User: arn:aws:iam::123456789012:user/dep is not authorized to perform: iam:CreateRole".into(),
        );
        assert_eq!(
            f,
            Failure::Denied {
                principal: Some("arn:aws:iam::123456789012:user/dep".into()),
                message: "User: arn:aws:iam::123456789012:user/dep is not authorized to perform: iam:CreateRole".into()
            }
        );
        assert!(matches!(
            classify_code("AccessDeniedException".into(), "no".into()),
            Failure::Denied { principal: None, .. }
        ));
    }

    #[test]
    fn credential_codes_are_told_apart() {
        assert!(matches!(classify_code("ExpiredToken".into(), String::new()), Failure::Expired { .. }));
        for c in ["InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException"] {
            assert!(matches!(classify_code(c.into(), String::new()), Failure::InvalidCredentials { .. }), "{c}");
        }
        assert!(matches!(classify_code("ResourceInUseException".into(), "x".into()), Failure::Service { .. }));
    }

    #[test]
    fn xml_error_bodies_are_read() {
        let body = "<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/u is not authorized</Message></Error></Errors></ErrorResponse>";
        assert_eq!(xml_field(body, "Code").as_deref(), Some("AccessDenied"));
        assert_eq!(xml_field(body, "Message").as_deref(), Some("User: arn:aws:iam::1:user/u is not authorized"));
        assert_eq!(xml_field("{}", "Code"), None);
    }

    #[derive(Debug)]
    struct Link(&'static str, Option<Box<Link>>);
    impl std::fmt::Display for Link {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl Error for Link {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref().map(|l| l as &(dyn Error + 'static))
        }
    }

    #[test]
    fn chains_read_as_sentences_without_debug_dumps() {
        let chain = Link(
            "dispatch failure",
            Some(Box::new(Link(
                "io error",
                Some(Box::new(Link(
                    "ConnectorError { kind: Io, source: Os { code: 111 } }",
                    Some(Box::new(Link("Connection refused (os error 111)", None))),
                ))),
            ))),
        );
        assert_eq!(sentences(&chain), "dispatch failure: io error: Connection refused (os error 111)");
        assert!(looks_unreachable(&sentences(&chain)));
    }
}
