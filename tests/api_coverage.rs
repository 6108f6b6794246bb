//! docs/guides/api-coverage.md against AWS's API model: the guide is what
//! tools/api_coverage.py makes of botocore's Firehose model and the mapping
//! in tools/api_coverage.json, and a member the model gains fails here until
//! the mapping says what the resource does with it. (That the requests hold
//! every supported member is the wire test's part, in
//! src/resources/delivery_stream/wire_tests.rs.)

mod support;

use std::process::{Command, Output};

fn coverage(args: &[&str]) -> Output {
    Command::new(support::python())
        .arg(support::repo().join("tools/api_coverage.py"))
        .args(args)
        .output()
        .expect("run tools/api_coverage.py")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn the_guide_is_generated_from_the_installed_model() {
    let out = coverage(&["--check"]);
    assert!(out.status.success(), "{}", text(&out));
}

/// The installed model with `member` added to `shape`.
fn model_with(shape: &str, member: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let out = Command::new(support::python())
        .args(["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"])
        .output()
        .unwrap();
    let data = String::from_utf8(out.stdout).unwrap();
    let gz = std::path::Path::new(data.trim()).join("data/firehose/2015-08-04/service-2.json.gz");
    let script = format!(
        "import gzip, json, sys\nm = json.load(gzip.open({gz:?}))\n\
         m['shapes'][{shape:?}]['members'][{member:?}] = {{'shape': 'BooleanObject'}}\n\
         json.dump(m, open(sys.argv[1], 'w'))",
        gz = gz.to_str().unwrap()
    );
    let path = dir.join("service-2.json");
    let st = Command::new(support::python()).args(["-c", &script]).arg(&path).status().unwrap();
    assert!(st.success());
    path
}

#[test]
fn a_member_the_model_gains_fails_until_it_is_mapped() {
    let dir = tempfile::tempdir().unwrap();
    // A new member of a supported configuration, and one of a shape shared
    // by every destination.
    for (shape, member, at) in [
        ("ExtendedS3DestinationConfiguration", "FutureOption", "ExtendedS3DestinationConfiguration.FutureOption"),
        ("BufferingHints", "FutureHint", "RedshiftDestinationConfiguration.S3Configuration.BufferingHints.FutureHint"),
    ] {
        let model = model_with(shape, member, dir.path());
        let out = coverage(&["--check", "--model", model.to_str().unwrap()]);
        assert!(!out.status.success(), "{}", text(&out));
        assert!(text(&out).contains(&format!("{shape}.{member}")), "{}", text(&out));
        assert!(text(&out).contains(at), "{}", text(&out));
    }
    // Under a member the resource does not support, a new member is listed
    // as not supported along with its parent: the guide changes, so the
    // check still asks for it to be regenerated.
    let model = model_with("DatabaseSourceConfiguration", "FutureSetting", dir.path());
    let out = coverage(&["--check", "--model", model.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("stale"), "{}", text(&out));
}

#[test]
fn every_row_maps_or_explains() {
    let guide = std::fs::read_to_string(support::repo().join("docs/guides/api-coverage.md")).unwrap();
    let rows: Vec<&str> = guide.lines().filter(|l| l.starts_with("| `")).collect();
    let out = text(&coverage(&["--check"]));
    let members: usize = out.split("up to date: ").nth(1).and_then(|t| t.split(' ').next()).unwrap().parse().unwrap();
    assert_eq!(rows.len(), members, "one row per member of the model");
    for row in rows {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (attr, status) = (cells[2], cells[3]);
        match status {
            "supported" => assert!(attr.starts_with('`') || attr.starts_with("(the stream"), "{row}"),
            s if s.starts_with("supported: ") || s.starts_with("not supported: ") => {
                assert!(s.len() > "not supported: ".len() + 3, "{row}")
            }
            _ => panic!("unknown status in {row}"),
        }
    }
}
