//! Vendors' documented Firehose HTTP endpoints, by preset name. Only URLs a
//! vendor publishes for Firehose, with no account-specific part, are here;
//! endpoints that need one (a Honeycomb dataset, a Sumo Logic collector, an
//! Elastic deployment) are given as `url`. The source of each group is
//! cited above it.

pub struct Preset {
    pub id: &'static str,
    /// The endpoint name Firehose shows (the vendor).
    pub name: &'static str,
    pub url: &'static str,
}

const fn p(id: &'static str, name: &'static str, url: &'static str) -> Preset {
    Preset { id, name, url }
}

pub const PRESETS: &[Preset] = &[
    // Datadog logs: DataDog/cloudformation-template, aws_account_level_logs/main.yaml
    // (the site URLs the Datadog docs "Send AWS service logs with the Datadog
    // Amazon Data Firehose destination" refer to).
    p("datadog_logs_us1", "Datadog", "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input"),
    p(
        "datadog_logs_us3",
        "Datadog",
        "https://aws-kinesis-http-intake.logs.us3.datadoghq.com/api/v2/logs?dd-protocol=aws-kinesis-firehose",
    ),
    p(
        "datadog_logs_us5",
        "Datadog",
        "https://aws-kinesis-http-intake.logs.us5.datadoghq.com/api/v2/logs?dd-protocol=aws-kinesis-firehose",
    ),
    p(
        "datadog_logs_ap1",
        "Datadog",
        "https://aws-kinesis-http-intake.logs.ap1.datadoghq.com/api/v2/logs?dd-protocol=aws-kinesis-firehose",
    ),
    p("datadog_logs_eu", "Datadog", "https://aws-kinesis-http-intake.logs.datadoghq.eu/v1/input"),
    p("datadog_logs_gov", "Datadog", "https://aws-kinesis-http-intake.logs.ddog-gov.com/v1/input"),
    // Datadog metrics: DataDog/cloudformation-template, aws_streams/streams_single_region.yaml
    // (linked from "AWS CloudWatch Metric Streams with Amazon Data Firehose").
    p(
        "datadog_metrics_us1",
        "Datadog",
        "https://awsmetrics-intake.datadoghq.com/api/v2/awsmetrics?dd-protocol=aws-kinesis-firehose",
    ),
    p(
        "datadog_metrics_us3",
        "Datadog",
        "https://awsmetrics-intake.us3.datadoghq.com/api/v2/awsmetrics?dd-protocol=aws-kinesis-firehose",
    ),
    p(
        "datadog_metrics_us5",
        "Datadog",
        "https://awsmetrics-intake.us5.datadoghq.com/api/v2/awsmetrics?dd-protocol=aws-kinesis-firehose",
    ),
    p(
        "datadog_metrics_ap1",
        "Datadog",
        "https://awsmetrics-intake.ap1.datadoghq.com/api/v2/awsmetrics?dd-protocol=aws-kinesis-firehose",
    ),
    p(
        "datadog_metrics_eu",
        "Datadog",
        "https://awsmetrics-intake.datadoghq.eu/api/v2/awsmetrics?dd-protocol=aws-kinesis-firehose",
    ),
    p(
        "datadog_metrics_gov",
        "Datadog",
        "https://awsmetrics-intake.ddog-gov.com/api/v2/awsmetrics?dd-protocol=aws-kinesis-firehose",
    ),
    // New Relic logs: docs.newrelic.com, "Stream logs using Kinesis Data Firehose".
    p("new_relic_logs_us", "New Relic", "https://aws-api.newrelic.com/firehose/v1"),
    p("new_relic_logs_eu", "New Relic", "https://aws-api.eu.newrelic.com/firehose/v1"),
    // New Relic metrics: docs.newrelic.com, "AWS metric stream setup".
    p("new_relic_metrics_us", "New Relic", "https://aws-api.newrelic.com/cloudwatch-metrics/v1"),
    p("new_relic_metrics_eu", "New Relic", "https://aws-api.eu01.nr-data.net/cloudwatch-metrics/v1"),
    // Dynatrace metrics: docs.dynatrace.com, "CloudWatch Metric Streams" (needs
    // the common attribute `dt-url`, your environment's API URL).
    p("dynatrace_metrics_global", "Dynatrace", "https://aws.cloud.dynatrace.com/"),
    p("dynatrace", "Dynatrace", "https://aws.cloud.dynatrace.com/"),
    p("dynatrace_metrics_us", "Dynatrace", "https://us.aws.cloud.dynatrace.com/"),
    p("dynatrace_metrics_eu", "Dynatrace", "https://eu.aws.cloud.dynatrace.com/"),
    // Coralogix logs and metrics: coralogix/terraform-coralogix-aws, modules
    // firehose-logs and firehose-metrics (coralogix.com/docs/external/...).
    p("coralogix_eu1", "Coralogix", "https://ingress.eu1.coralogix.com/aws/firehose"),
    p("coralogix_eu2", "Coralogix", "https://ingress.eu2.coralogix.com/aws/firehose"),
    p("coralogix_us1", "Coralogix", "https://ingress.us1.coralogix.com/aws/firehose"),
    p("coralogix_us2", "Coralogix", "https://ingress.us2.coralogix.com/aws/firehose"),
    p("coralogix_ap1", "Coralogix", "https://ingress.ap1.coralogix.com/aws/firehose"),
    p("coralogix_ap2", "Coralogix", "https://ingress.ap2.coralogix.com/aws/firehose"),
    p("coralogix_ap3", "Coralogix", "https://ingress.ap3.coralogix.com/aws/firehose"),
    // Logz.io metrics: Amazon Data Firehose Developer Guide, "Configure
    // destination settings for Logz.io", and logzio/documentation.
    p("logz_io_metrics_us", "Logz.io", "https://listener-aws-metrics-stream-us.logz.io/"),
    p("logz_io", "Logz.io", "https://listener-aws-metrics-stream-us.logz.io/"),
];

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

pub fn check(id: &str) -> Result<(), String> {
    if find(id).is_some() {
        return Ok(());
    }
    let near: Vec<&str> =
        PRESETS.iter().map(|p| p.id).filter(|p| p.split('_').next() == id.split('_').next()).collect();
    let hint = if near.is_empty() {
        format!("known presets: {}", PRESETS.iter().map(|p| p.id).collect::<Vec<_>>().join(", "))
    } else {
        format!("did you mean one of {}?", near.join(", "))
    };
    Err(format!("unknown preset {id:?}; {hint}. For an endpoint that is not listed, give its url instead"))
}
