use super::*;

fn ctx() -> Ctx {
    Ctx {
        partition: "aws".into(),
        region: "us-east-1".into(),
        account: "123456789012".into(),
        default_tags: Default::default(),
    }
}

fn error(f: &[Finding]) -> &str {
    match f {
        [Finding::Error(m)] => m,
        other => panic!("one error expected, got {other:?}"),
    }
}

#[test]
fn a_missing_bucket_is_an_error_and_another_region_a_warning() {
    assert!(error(&bucket_rule("b", None, &ctx())).contains("bucket b does not exist"));
    assert!(
        matches!(&bucket_rule("b", Some(Some("eu-west-1")), &ctx())[..], [Finding::Warning(m)] if m.contains("eu-west-1"))
    );
    assert!(bucket_rule("b", Some(Some("us-east-1")), &ctx()).is_empty());
    assert!(bucket_rule("b", Some(None), &ctx()).is_empty());
}

#[test]
fn functions_must_exist_be_active_and_fit_firehose_invocation_limit() {
    error(&function_rule("f", None));
    assert!(error(&function_rule("f", Some((Some("Pending"), Some(60))))).contains("Pending"));
    assert!(
        matches!(&function_rule("f", Some((Some("Active"), Some(900))))[..], [Finding::Warning(m)] if m.contains("300"))
    );
    assert!(function_rule("f", Some((Some("Active"), Some(300)))).is_empty());
}

#[test]
fn keys_must_be_enabled_symmetric_encryption_keys() {
    error(&key_rule("k", None));
    assert!(error(&key_rule("k", Some(("Disabled", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")))).contains("Disabled"));
    assert!(error(&key_rule("k", Some(("Enabled", "RSA_2048", "SIGN_VERIFY")))).contains("symmetric"));
    assert!(key_rule("k", Some(("Enabled", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"))).is_empty());
}

#[test]
fn a_source_stream_must_be_here_and_readable() {
    let elsewhere = "arn:aws:kinesis:us-west-2:123456789012:stream/s";
    assert!(matches!(source_stream_place_rule(elsewhere, &ctx()), Some(Finding::Error(m)) if m.contains("us-west-2")));
    let other_account = "arn:aws:kinesis:us-east-1:210987654321:stream/s";
    assert!(source_stream_place_rule(other_account, &ctx()).is_some());
    assert!(source_stream_place_rule("arn:aws:kinesis:us-east-1:123456789012:stream/s", &ctx()).is_none());
    assert!(source_stream_rule("s", Some("UPDATING")).is_empty());
    error(&source_stream_rule("s", Some("DELETING")));
    error(&source_stream_rule("s", None));
}

#[test]
fn a_secret_must_exist_and_hold_the_keys_firehose_reads() {
    let keys: &[&str] = &["username", "password"];
    assert!(error(&secret_rule("s", keys, None)).contains("does not exist"));
    let have = |k: &[&str]| Some(SecretShape::Keys(k.iter().map(|s| s.to_string()).collect()));
    assert!(secret_rule("s", keys, have(&["username", "password", "extra"])).is_empty());
    let m = error(&secret_rule("s", keys, have(&["username"]))).to_string();
    assert!(m.contains("lacks the JSON key \"password\"") && m.contains("\"username\", \"password\""), "{m}");
    assert!(error(&secret_rule("s", keys, Some(SecretShape::NotJson("binary")))).contains("binary"));
    // A key's spelling matters: Firehose reads "hec_token", not "HEC_TOKEN".
    error(&secret_rule("s", &["hec_token"], have(&["HEC_TOKEN"])));
}

#[test]
fn topics_glue_and_domains() {
    assert!(topic_rule("t", true).is_empty());
    assert!(error(&topic_rule("t", false)).contains("notify no one"));
    assert!(glue_rule("table db.t", Ok(())).is_empty());
    assert!(error(&glue_rule("table db.t", Err("EntityNotFoundException".into()))).contains("Glue table db.t"));

    let info = |e: &[&str]| Some(DomainInfo { deleted: false, endpoints: e.iter().map(|s| s.to_string()).collect() });
    assert!(error(&domain_rule("d", None, None)).contains("does not exist"));
    assert!(domain_rule("d", None, info(&["search-d-1.us-east-1.es.amazonaws.com"])).is_empty());
    let url = "https://search-d-1.us-east-1.es.amazonaws.com";
    assert!(domain_rule("d", Some(url), info(&["search-d-1.us-east-1.es.amazonaws.com"])).is_empty());
    assert!(domain_rule(
        "d",
        Some(url),
        info(&["vpc-x.us-east-1.es.amazonaws.com", "search-d-1.us-east-1.es.amazonaws.com"])
    )
    .is_empty());
    assert!(error(&domain_rule("d", Some(url), info(&["search-d-2.us-east-1.es.amazonaws.com"])))
        .contains("not search-d-1"));
    assert!(error(&domain_rule("d", None, Some(DomainInfo { deleted: true, endpoints: vec![] }))).contains("deleted"));
    assert_eq!(host_of("https://A.example.com:443/x"), "a.example.com");
}

#[test]
fn collections_must_exist_and_answer_at_the_endpoint() {
    let ep = "https://abc.us-east-1.aoss.amazonaws.com";
    assert!(error(&collection_rule("abc", ep, None)).contains("does not exist"));
    assert!(collection_rule("abc", ep, Some((Some("ACTIVE"), Some(ep)))).is_empty());
    assert!(error(&collection_rule("abc", ep, Some((Some("FAILED"), Some(ep))))).contains("FAILED"));
    assert!(error(&collection_rule(
        "abc",
        ep,
        Some((Some("ACTIVE"), Some("https://zzz.us-east-1.aoss.amazonaws.com")))
    ))
    .contains("answers at"));
}

#[test]
fn msk_authentication_must_match_connectivity() {
    let m = |iam, private_iam, public, serverless| {
        Some(MskInfo { state: "ACTIVE".into(), serverless, iam, private_iam, public })
    };
    assert!(error(&msk_rule("c", "PUBLIC", None)).contains("does not exist"));
    assert!(msk_rule("c", "PUBLIC", m(true, false, true, false)).is_empty());
    assert!(msk_rule("c", "PRIVATE", m(true, true, false, false)).is_empty());
    assert!(msk_rule("c", "PRIVATE", m(true, true, false, true)).is_empty());
    assert!(error(&msk_rule("c", "PUBLIC", m(false, false, true, false))).contains("IAM access control"));
    assert!(error(&msk_rule("c", "PRIVATE", m(true, false, true, false))).contains("multi-VPC"));
    assert!(error(&msk_rule("c", "PUBLIC", m(true, true, false, false))).contains("public access off"));
    assert!(error(&msk_rule("c", "PUBLIC", m(true, true, false, true))).contains("serverless"));
    let creating =
        Some(MskInfo { state: "CREATING".into(), serverless: false, iam: true, private_iam: true, public: true });
    assert!(error(&msk_rule("c", "PRIVATE", creating)).contains("CREATING"));
}

#[test]
fn subnets_and_groups_must_exist_in_one_vpc() {
    let f = |p: &[(&str, &str)]| p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    assert!(vpc_rule(&["subnet-1"], &["sg-1"], &f(&[("subnet-1", "vpc-a")]), &f(&[("sg-1", "vpc-a")])).is_empty());
    assert!(error(&vpc_rule(
        &["subnet-1", "subnet-2"],
        &["sg-1"],
        &f(&[("subnet-1", "vpc-a")]),
        &f(&[("sg-1", "vpc-a")])
    ))
    .contains("subnet subnet-2 does not exist"));
    let m =
        error(&vpc_rule(&["subnet-1"], &["sg-1"], &f(&[("subnet-1", "vpc-a")]), &f(&[("sg-1", "vpc-b")]))).to_string();
    assert!(m.contains("2 VPCs") && m.contains("sg-1 in vpc-b"), "{m}");
}

#[test]
fn the_jdbc_url_names_a_cluster_or_workgroup_that_answers_there() {
    let c = redshift_target("jdbc:redshift://main.abc123.us-east-1.redshift.amazonaws.com:5439/dev").unwrap();
    assert_eq!((c.serverless, c.name.as_str(), c.port), (false, "main", Some(5439)));
    let w = redshift_target("jdbc:redshift://wg.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev")
        .unwrap();
    assert!(w.serverless && w.name == "wg");
    assert!(redshift_target("postgres://x").is_none());
    assert!(error(&redshift_rule(&c, None)).contains("Redshift cluster main"));
    assert!(error(&redshift_rule(&w, None)).contains("Serverless workgroup wg"));
    assert!(redshift_rule(&c, Some((Some("main.abc123.us-east-1.redshift.amazonaws.com"), Some(5439)))).is_empty());
    assert!(error(&redshift_rule(&c, Some((Some("main.abc123.us-east-1.redshift.amazonaws.com"), Some(5440)))))
        .contains("port 5440"));
    assert!(error(&redshift_rule(&c, Some((Some("other.abc123.us-east-1.redshift.amazonaws.com"), None))))
        .contains("answers at"));
}
