use super::*;

const KEY_ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn parse_splits_six_fields_and_keeps_colons_in_resource() {
    let a = Arn::parse("arn:aws:lambda:us-east-1:123456789012:function:f:prod").unwrap();
    assert_eq!(a.partition, "aws");
    assert_eq!(a.service, "lambda");
    assert_eq!(a.region, "us-east-1");
    assert_eq!(a.account, "123456789012");
    assert_eq!(a.resource, "function:f:prod");
    assert_eq!(a.to_string(), "arn:aws:lambda:us-east-1:123456789012:function:f:prod");
}

#[test]
fn parse_keeps_slashes_and_empty_fields() {
    let a = Arn::parse("arn:aws:iam::123456789012:role/service-role/r").unwrap();
    assert_eq!(a.region, "");
    assert_eq!(a.resource, "role/service-role/r");
    let b = Arn::parse("arn:aws-cn:s3:::bucket").unwrap();
    assert_eq!(b.partition, "aws-cn");
    assert_eq!(b.account, "");
}

#[test]
fn parse_rejects_malformed() {
    for bad in [
        "",
        "arn",
        "arn:aws:s3::bucket",
        "urn:aws:s3:::bucket",
        "arn::s3:::bucket",
        "arn:gcp:s3:::bucket",
        "arn:AWS:s3:::bucket",
        "arn:aws-:s3:::bucket",
        "arn:aws::::bucket",
        "arn:aws:s3:::",
    ] {
        assert!(Arn::parse(bad).is_err(), "{bad:?} should not parse");
    }
    let e = Arn::parse("nope").unwrap_err();
    assert!(e.contains("arn:partition:service:region:account:resource"), "{e}");
    assert!(e.contains("\"nope\""), "{e}");
}

#[test]
fn partitions_and_suffixes() {
    assert_eq!(partition_for_region("us-east-1"), "aws");
    assert_eq!(partition_for_region("eu-west-3"), "aws");
    assert_eq!(partition_for_region("cn-north-1"), "aws-cn");
    assert_eq!(partition_for_region("cn-northwest-1"), "aws-cn");
    assert_eq!(partition_for_region("us-gov-west-1"), "aws-us-gov");
    assert_eq!(partition_for_region("us-iso-east-1"), "aws-iso");
    assert_eq!(partition_for_region("us-isob-east-1"), "aws-iso-b");
    assert_eq!(partition_for_region("eu-isoe-west-1"), "aws-iso-e");
    assert_eq!(partition_for_region("us-isof-south-1"), "aws-iso-f");
    assert_eq!(partition_for_region("eusc-de-east-1"), "aws-eusc");
    assert_eq!(partition_for_region("mars-central-1"), "aws");
    assert_eq!(dns_suffix("aws"), "amazonaws.com");
    assert_eq!(dns_suffix("aws-cn"), "amazonaws.com.cn");
    assert_eq!(dns_suffix("aws-us-gov"), "amazonaws.com");
    assert_eq!(dns_suffix("aws-iso"), "c2s.ic.gov");
    assert_eq!(dns_suffix("aws-iso-b"), "sc2s.sgov.gov");
}

#[test]
fn s3_bucket_arns() {
    assert_eq!(s3_bucket_arn("arn:aws:s3:::my-bucket.logs").unwrap().resource, "my-bucket.logs");
    s3_bucket_arn("arn:aws-cn:s3:::abc").unwrap();
    s3_bucket_arn("arn:aws-us-gov:s3:::a1b").unwrap();

    let e = s3_bucket_arn("arn:aws:kms:us-east-1:123456789012:key/x").unwrap_err();
    assert!(
        e.starts_with(
            "expected an S3 bucket ARN (arn:aws:s3:::bucket-name), got \"arn:aws:kms:us-east-1:123456789012:key/x\""
        ),
        "{e}"
    );
    assert!(e.contains("\"kms\""), "{e}");

    for (bad, why) in [
        ("my-bucket", "arn:partition"),
        ("arn:aws:s3:us-east-1::bucket", "region field must be empty"),
        ("arn:aws:s3::123456789012:bucket", "empty account"),
        ("arn:aws:s3:::bucket/key", "object"),
        ("arn:aws:s3:::ab", "3 to 63"),
        ("arn:aws:s3:::My-Bucket", "lowercase"),
        ("arn:aws:s3:::my_bucket", "lowercase"),
        ("arn:aws:s3:::-bucket", "begin and end"),
        ("arn:aws:s3:::bucket-", "begin and end"),
        ("arn:aws:s3:::my..bucket", "adjacent periods"),
        ("arn:aws:s3:::192.168.5.4", "IP address"),
        ("arn:aws:s3:::xn--bucket", "reserved prefix"),
        ("arn:aws:s3:::sthree-bucket", "reserved prefix"),
        ("arn:aws:s3:::bucket-s3alias", "reserved suffix"),
        ("arn:aws:s3:::bucket--ol-s3", "reserved suffix"),
    ] {
        let e = s3_bucket_arn(bad).unwrap_err();
        assert!(e.starts_with("expected an S3 bucket ARN (arn:aws:s3:::bucket-name), got "), "{e}");
        assert!(e.contains(why), "{bad}: {e}");
    }
    let long = format!("arn:aws:s3:::{}", "a".repeat(64));
    assert!(s3_bucket_arn(&long).is_err());
    let max = format!("arn:aws:s3:::{}", "a".repeat(63));
    assert!(s3_bucket_arn(&max).is_ok());
    // Looks numeric but is not four octets: a valid name.
    assert!(s3_bucket_name("1.2.3").is_ok());
    assert!(s3_bucket_name("1234.5.6.7").is_ok());
}

#[test]
fn kms_key_arns_for_stream_sse() {
    let ok = format!("arn:aws:kms:us-east-1:123456789012:key/{KEY_ID}");
    assert_eq!(kms_key_arn(&ok).unwrap().resource, format!("key/{KEY_ID}"));
    kms_key_arn("arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab").unwrap();
    kms_key_arn(&format!("arn:aws-cn:kms:cn-north-1:123456789012:key/{KEY_ID}")).unwrap();

    let e = kms_key_arn("arn:aws:kms:us-east-1:123456789012:alias/my-key").unwrap_err();
    assert!(e.starts_with("expected a KMS key ARN"), "{e}");
    assert!(e.contains("aliases are not accepted"), "{e}");

    for (bad, why) in [
        (format!("arn:aws:s3:us-east-1:123456789012:key/{KEY_ID}"), "\"s3\""),
        (format!("arn:aws:kms::123456789012:key/{KEY_ID}"), "region"),
        (format!("arn:aws:kms:us-east-1::key/{KEY_ID}"), "12-digit"),
        (format!("arn:aws:kms:us-east-1:12345:key/{KEY_ID}"), "12-digit"),
        ("arn:aws:kms:us-east-1:123456789012:key/".to_string(), "non-empty"),
        ("arn:aws:kms:us-east-1:123456789012:key/a b".to_string(), "non-empty"),
        (format!("arn:aws:kms:us-east-1:123456789012:{KEY_ID}"), "\"key/\""),
        (format!("arn:aws-cn:kms:us-east-1:123456789012:key/{KEY_ID}"), "partition"),
        (KEY_ID.to_string(), "arn:partition"),
    ] {
        let e = kms_key_arn(&bad).unwrap_err();
        assert!(e.starts_with("expected a KMS key ARN"), "{e}");
        assert!(e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn kms_key_or_alias_arns_for_s3_encryption() {
    kms_key_or_alias_arn(&format!("arn:aws:kms:us-east-1:123456789012:key/{KEY_ID}")).unwrap();
    kms_key_or_alias_arn("arn:aws:kms:us-east-1:123456789012:alias/team/data").unwrap();
    let e = kms_key_or_alias_arn("arn:aws:kms:us-east-1:123456789012:alias/").unwrap_err();
    assert!(e.starts_with("expected a KMS key or alias ARN"), "{e}");
    // The AWS managed S3 key works for SSE-KMS through S3, so its alias is accepted.
    kms_key_or_alias_arn("arn:aws:kms:us-east-1:123456789012:alias/aws/s3").unwrap();
    let e = kms_key_or_alias_arn("arn:aws:kms:us-east-1:123456789012:grant/x").unwrap_err();
    assert!(e.contains("\"key/\""), "{e}");
}

#[test]
fn lambda_arns() {
    for ok in [
        "arn:aws:lambda:us-east-1:123456789012:function:my-fn",
        "arn:aws:lambda:us-east-1:123456789012:function:my_fn:$LATEST",
        "arn:aws:lambda:us-east-1:123456789012:function:my_fn:7",
        "arn:aws:lambda:us-east-1:123456789012:function:my_fn:live-alias",
        "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f",
    ] {
        lambda_function_arn(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for (bad, why) in [
        ("arn:aws:lambda:us-east-1:123456789012:layer:l:1", "function:"),
        ("arn:aws:lambda:us-east-1:123456789012:function:", "function name"),
        ("arn:aws:lambda:us-east-1:123456789012:function:a.b", "function name"),
        ("arn:aws:lambda:us-east-1:123456789012:function:f:", "qualifier"),
        ("arn:aws:lambda:us-east-1:123456789012:function:f:a:b", "qualifier"),
        ("arn:aws:lambda:us-east-1:123456789012:function:f:$latest", "qualifier"),
        ("arn:aws:lambda:useast1:123456789012:function:f", "region"),
        ("arn:aws:lambda:us-east-1:abc:function:f", "12-digit"),
        ("arn:aws:states:us-east-1:123456789012:function:f", "\"states\""),
    ] {
        let e = lambda_function_arn(bad).unwrap_err();
        assert!(e.starts_with("expected a Lambda function ARN"), "{e}");
        assert!(e.contains(why), "{bad}: {e}");
    }
    let long = format!("arn:aws:lambda:us-east-1:123456789012:function:{}", "f".repeat(65));
    assert!(lambda_function_arn(&long).is_err());
}

#[test]
fn kinesis_arns() {
    kinesis_stream_arn("arn:aws:kinesis:us-east-1:123456789012:stream/my.stream_1-x").unwrap();
    for (bad, why) in [
        ("arn:aws:kinesis:us-east-1:123456789012:stream/", "stream name"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/a/b", "stream name"),
        ("arn:aws:kinesis:us-east-1:123456789012:table/x", "stream/"),
        ("arn:aws:firehose:us-east-1:123456789012:deliverystream/x", "\"firehose\""),
        ("arn:aws:kinesis::123456789012:stream/x", "region"),
    ] {
        let e = kinesis_stream_arn(bad).unwrap_err();
        assert!(e.starts_with("expected a Kinesis data stream ARN"), "{e}");
        assert!(e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn iam_role_arns() {
    for ok in [
        "arn:aws:iam::123456789012:role/firehose",
        "arn:aws:iam::123456789012:role/service-role/firehose+delivery=a,b.c@d-e_f",
        "arn:aws-cn:iam::123456789012:role/a/b/c/name",
    ] {
        iam_role_arn(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for (bad, why) in [
        ("arn:aws:iam:us-east-1:123456789012:role/r", "region field must be empty"),
        ("arn:aws:iam::123456789012:user/r", "role/"),
        ("arn:aws:iam::123456789012:role/", "role name"),
        ("arn:aws:iam::123456789012:role/path/", "role name"),
        ("arn:aws:iam::123456789012:role/a b", "not allowed"),
        ("arn:aws:iam::aws:role/r", "12-digit"),
        ("arn:aws:sts::123456789012:assumed-role/r/s", "\"sts\""),
    ] {
        let e = iam_role_arn(bad).unwrap_err();
        assert!(e.starts_with("expected an IAM role ARN"), "{e}");
        assert!(e.contains(why), "{bad}: {e}");
    }
    let long = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(65));
    assert!(iam_role_arn(&long).is_err());
}

#[test]
fn log_group_names() {
    log_group_name("/aws/kinesisfirehose/events").unwrap();
    log_group_name("a.b-c_d#e").unwrap();
    log_group_name(&"a".repeat(512)).unwrap();
    assert!(log_group_name("").unwrap_err().contains("1 to 512"));
    assert!(log_group_name(&"a".repeat(513)).unwrap_err().contains("1 to 512"));
    let e = log_group_name("my group").unwrap_err();
    assert!(e.contains("' '") && e.contains("\"my group\""), "{e}");
    assert!(log_group_name("grp:1").is_err());
    assert!(log_group_name("grüße").is_err());
}

#[test]
fn built_arns_and_their_names() {
    let role = Arn::new("aws", "iam", "", "123456789012", "role/path/r");
    assert_eq!(role.to_string(), "arn:aws:iam::123456789012:role/path/r");
    assert_eq!(role.name(), "r");
    assert_eq!(name_of("arn:aws:s3:::bucket"), "bucket");
    assert_eq!(name_of("arn:aws:iam::123456789012:role/r"), "r");
    assert_eq!(name_of("plain-name"), "plain-name");
}
