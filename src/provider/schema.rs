//! The provider block's schema (SPEC §1).

use crate::framework::schema::{Attribute, Block, Nesting, Schema};
use crate::protocol::Type;

pub const SERVICES: [&str; 18] = [
    "firehose",
    "iam",
    "logs",
    "kms",
    "s3",
    "kinesis",
    "lambda",
    "sts",
    "cloudwatch",
    // Read by preflight only.
    "secretsmanager",
    "sns",
    "glue",
    "opensearch",
    "opensearchserverless",
    "kafka",
    "ec2",
    "redshift",
    "redshiftserverless",
];

pub fn provider_schema() -> Schema {
    let mut endpoints = Block::new("Per-service endpoint overrides; each wins over `endpoint_url` for its service.");
    for svc in SERVICES {
        endpoints = endpoints.attr(Attribute::optional(
            svc,
            Type::String,
            &format!("Endpoint URL for the {svc} API, e.g. `http://127.0.0.1:5000` for a local emulator."),
        ));
    }
    let assume_role = Block::new("A role to assume with STS before any other call.")
        .attr(Attribute::required("role_arn", Type::String, "ARN of the IAM role to assume."))
        .attr(Attribute::optional(
            "session_name",
            Type::String,
            "Session name for the assumed role; defaults to `terraform-provider-firehose`.",
        ))
        .attr(Attribute::optional(
            "external_id",
            Type::String,
            "External ID the role's trust policy requires, if any.",
        ));
    let default_tags =
        Block::new("Tags applied to every taggable part the provider creates; resource tags win on conflict.")
            .attr(Attribute::optional("tags", Type::map(Type::String), "Tags to apply by default."));
    let block = Block::new(
        "The `firehose` provider builds Kinesis Data Firehose delivery streams together with their IAM roles, \
         log groups, KMS keys and backup buckets. Credentials and region follow the AWS CLI's rules unless set here.",
    )
    .attr(Attribute::optional(
        "region",
        Type::String,
        "AWS region, e.g. `us-east-1`. Defaults to `AWS_REGION` or the profile's region.",
    ))
    .attr(Attribute::optional(
        "profile",
        Type::String,
        "Named profile from the shared AWS config and credentials files.",
    ))
    .attr(
        Attribute::optional("access_key", Type::String, "AWS access key ID. Prefer the default credential chain.")
            .sensitive(),
    )
    .attr(
        Attribute::optional("secret_key", Type::String, "AWS secret access key; required with `access_key`.")
            .sensitive(),
    )
    .attr(
        Attribute::optional("token", Type::String, "Session token for temporary credentials given with `access_key`.")
            .sensitive(),
    )
    .attr(Attribute::optional(
        "endpoint_url",
        Type::String,
        "One endpoint URL for every AWS service, e.g. a local emulator such as moto or LocalStack.",
    ))
    .attr(Attribute::optional(
        "max_retries",
        Type::Number,
        "Maximum retries of throttled or transient AWS errors per call; default 10.",
    ))
    .attr(Attribute::optional(
        "preflight",
        Type::String,
        "What plan-time checks of referenced buckets, functions, keys, streams, log groups and roles do with a \
         problem: `error` (default), `warn`, or `off` for runners without read access.",
    ))
    .block("endpoints", Nesting::List, 0, 1, endpoints)
    .block("assume_role", Nesting::List, 0, 1, assume_role)
    .block("default_tags", Nesting::List, 0, 1, default_tags);
    Schema { version: 0, block }
}
