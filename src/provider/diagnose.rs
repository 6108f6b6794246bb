//! Why the provider cannot talk to AWS, in words a user can act on: the
//! failure of the one sts:GetCallerIdentity made at ConfigureProvider,
//! turned into a summary and a short detail that says what was tried and
//! what to do.

use crate::aws::errors::Failure;

use super::config::ProviderConfig;

/// A configuration problem, reported as one provider diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub summary: String,
    pub detail: String,
}

impl Problem {
    pub fn new(summary: impl Into<String>, detail: impl Into<String>) -> Problem {
        let detail = format!("{} See docs/index.md#authentication.", detail.into());
        Problem { summary: summary.into(), detail }
    }
}

pub fn problem(cfg: &ProviderConfig, region: &str, failure: &Failure) -> Problem {
    match failure {
        Failure::NoCredentials { .. } => Problem::new(
            "No AWS credentials found",
            format!(
                "Found none in: provider block, AWS_ACCESS_KEY_ID, ~/.aws (profile {:?}), web identity, \
                 ECS/EC2 metadata; set one.",
                profile(cfg)
            ),
        ),
        Failure::CredentialsFailed { why } => match &cfg.assume_role {
            Some(ar) => Problem::new(
                format!("Cannot assume role {}", ar.role_arn),
                format!(
                    "sts:AssumeRole with the provider's own credentials failed: {why}. Check that the role trusts \
                     them and, if set, the external_id."
                ),
            ),
            None => Problem::new(
                "Cannot load the AWS credentials",
                format!("{why}. For an SSO profile run `aws sso login`; else check the profile {:?}.", profile(cfg)),
            ),
        },
        Failure::Expired { code, message } => Problem::new(
            "The AWS credentials have expired",
            format!("STS answered {code}: {message}. Get new ones (for SSO: `aws sso login`) and run again."),
        ),
        Failure::InvalidCredentials { code, message } => Problem::new(
            "The AWS credentials were rejected",
            format!(
                "STS answered {code}: {message}. The access key is unknown to AWS or the secret key does not \
                 match it; check where they come from (provider block, AWS_ACCESS_KEY_ID, profile {:?}).",
                profile(cfg)
            ),
        ),
        Failure::Unreachable { why } => Problem::new(
            "Cannot reach the AWS endpoint",
            format!(
                "sts:GetCallerIdentity to {} failed: {why}. Check `endpoint_url` and `endpoints` in the provider \
                 block, AWS_ENDPOINT_URL, and the network.",
                sts_endpoint(cfg, region)
            ),
        ),
        Failure::Denied { principal, message } => Problem::new(
            "The AWS credentials may not call sts:GetCallerIdentity",
            format!(
                "{} was denied sts:GetCallerIdentity: {message}. Every principal may call it unless a policy \
                 denies it explicitly.",
                principal.as_deref().unwrap_or("the caller")
            ),
        ),
        Failure::Service { code, message } => Problem::new(
            "Cannot verify the AWS credentials",
            format!("sts:GetCallerIdentity failed: {code}: {message}."),
        ),
        Failure::Other { why } => {
            Problem::new("Cannot verify the AWS credentials", format!("sts:GetCallerIdentity failed: {why}."))
        }
    }
}

fn profile(cfg: &ProviderConfig) -> String {
    cfg.profile.clone().or_else(|| std::env::var("AWS_PROFILE").ok()).unwrap_or_else(|| "default".into())
}

/// Where the STS call went, as the SDK resolves it.
fn sts_endpoint(cfg: &ProviderConfig, region: &str) -> String {
    cfg.endpoints
        .get("sts")
        .cloned()
        .or_else(|| cfg.endpoint_url.clone())
        .or_else(|| std::env::var("AWS_ENDPOINT_URL_STS").ok())
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
        .unwrap_or_else(|| format!("the STS endpoint of {region}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(p: &Problem) -> usize {
        // Terraform wraps diagnostic details at 78 columns.
        p.detail.len().div_ceil(78)
    }

    #[test]
    fn every_problem_says_what_to_do_briefly_and_points_at_the_docs() {
        let cfg = ProviderConfig { endpoint_url: Some("http://localhost:4566".into()), ..Default::default() };
        let failures = [
            Failure::NoCredentials { tried: "x".into() },
            Failure::CredentialsFailed { why: "sso token expired".into() },
            Failure::Expired {
                code: "ExpiredToken".into(),
                message: "The security token included in the request is expired".into(),
            },
            Failure::InvalidCredentials { code: "InvalidClientTokenId".into(), message: "invalid".into() },
            Failure::Unreachable { why: "io error: Connection refused (os error 111)".into() },
            Failure::Denied { principal: Some("arn:aws:iam::1:user/u".into()), message: "no".into() },
            Failure::Service { code: "Throttling".into(), message: "slow down".into() },
            Failure::Other { why: "odd".into() },
        ];
        for f in &failures {
            let p = problem(&cfg, "us-east-1", f);
            assert!(p.detail.ends_with("See docs/index.md#authentication."), "{p:?}");
            assert!(lines(&p) <= 5, "{} lines: {p:?}", lines(&p));
            assert!(!p.detail.contains(" { "), "{p:?}");
        }
        let p = problem(&cfg, "us-east-1", &failures[4]);
        assert!(p.detail.contains("http://localhost:4566") && p.detail.contains("Connection refused"), "{p:?}");
        let assume = ProviderConfig {
            assume_role: Some(super::super::config::AssumeRole {
                role_arn: "arn:aws:iam::1:role/deploy".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            problem(&assume, "eu-west-1", &failures[1]).summary,
            "Cannot assume role arn:aws:iam::1:role/deploy"
        );
    }
}
