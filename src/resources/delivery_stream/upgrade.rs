//! UpgradeResourceState: state written by earlier schema versions, brought
//! to the current one before Terraform uses it.
//!
//! Version 0 (provider 0.1) had one `processor` block holding a Lambda
//! function's settings directly; version 1 holds one block per kind, so a
//! version 0 processor becomes `processor { lambda { ... } }` with the same
//! values. Attributes new in version 1 read as unset and are filled in by
//! the refresh that follows, with the values AWS reports.
//!
//! Version 1 gave each `metrics` entry as `{namespace, metric_name,
//! dimensions}`; version 2 gives the metric name alone (the namespace and
//! the dimension are the same for every entry), which keeps plans short.

use serde_json::{json, Value as Json};

pub fn upgrade(version: i64, mut state: Json) -> Result<Json, String> {
    if version > super::schema::SCHEMA_VERSION {
        return Err(format!(
            "this state was written by a newer version of the provider (schema version {version}, this one knows up to {}); upgrade the provider",
            super::schema::SCHEMA_VERSION
        ));
    }
    if version < 1 {
        for dest in each(&mut state, "destination") {
            for s3 in each(dest, "s3_bucket") {
                for p in each(s3, "processor") {
                    *p = processor_v1(p);
                }
            }
        }
    }
    if version < 2 {
        if let Some(Json::Object(m)) = state.get_mut("metrics") {
            for v in m.values_mut() {
                *v = v.get("metric_name").cloned().unwrap_or(Json::Null);
            }
        }
    }
    Ok(state)
}

fn each<'a>(v: &'a mut Json, attr: &str) -> impl Iterator<Item = &'a mut Json> {
    v.get_mut(attr).and_then(Json::as_array_mut).into_iter().flatten()
}

fn processor_v1(p: &Json) -> Json {
    if p.get("lambda_arn").is_none() {
        return p.clone();
    }
    json!({
        "lambda": [{
            "function_arn": p["lambda_arn"],
            "buffer_interval": p["buffer_interval"],
            "buffer_size": p["buffer_size"],
            "retries": p["retries"],
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_0_processor_becomes_a_lambda_block() {
        let v0 = json!({"name": "s", "destination": [{"s3_bucket": [{"bucket_arn": "arn:aws:s3:::b", "processor": [
            {"lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:f", "buffer_interval": 60, "buffer_size": "0.5", "retries": 3}
        ]}]}]});
        let v1 = upgrade(0, v0).unwrap();
        assert_eq!(
            v1["destination"][0]["s3_bucket"][0]["processor"],
            json!([{"lambda": [{"function_arn": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "buffer_interval": 60, "buffer_size": "0.5", "retries": 3}]}])
        );
        assert_eq!(v1["name"], "s");
    }

    #[test]
    fn current_state_is_unchanged_and_newer_state_is_refused() {
        let v2 = json!({"destination": [{"s3_bucket": [{"processor": [{"lambda": [{"function_arn": "x"}]}]}]}]});
        assert_eq!(upgrade(2, v2.clone()).unwrap(), v2);
        assert!(upgrade(3, v2).unwrap_err().contains("newer version"));
    }

    #[test]
    fn version_1_metrics_become_metric_names() {
        let v1 = json!({"metrics": {"incoming_bytes": {"namespace": "AWS/Firehose", "metric_name": "IncomingBytes",
            "dimensions": {"DeliveryStreamName": "s"}}}});
        assert_eq!(upgrade(1, v1).unwrap()["metrics"], json!({"incoming_bytes": "IncomingBytes"}));
    }
}
