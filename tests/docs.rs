//! The registry docs under `docs/` against the schema Terraform reports
//! (`terraform providers schema -json`): every attribute and nested block of
//! the provider, each resource and each data source is documented as a bullet
//! `* `name` - (Required|Optional|Computed) ...` in the right section, and
//! every such bullet names something that exists. Every Terraform code fence
//! in the docs is canonically formatted, and the self-contained ones validate.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use support::Tf;

const PROVIDER: &str = "registry.terraform.io/seedworks/firehose";
const ARGS: &str = "Argument Reference";
const ATTRS: &str = "Attribute Reference";

fn docs_dir() -> PathBuf {
    support::repo().join("docs")
}

fn read(rel: &str) -> String {
    let p = docs_dir().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The provider's schema as Terraform reports it.
fn schema() -> Json {
    let tf =
        Tf::new("terraform {\n  required_providers {\n    firehose = { source = \"seedworks/firehose\" }\n  }\n}\n");
    let out = tf.run(&["providers", "schema", "-json"]).ok();
    let v: Json = serde_json::from_str(&out.stdout).expect("schema JSON");
    v["provider_schemas"][PROVIDER].clone()
}

/// One documented bullet: `* `name` - (Label...) ...`.
#[derive(Debug, Clone)]
struct Bullet {
    name: String,
    label: String,
    /// The `##` heading it is under.
    section: String,
    /// The `###` heading it is under, if any (reset by every `##`).
    sub: Option<String>,
    line: usize,
}

/// Parses the documented bullets of a doc page, skipping code fences.
fn bullets(text: &str) -> Vec<Bullet> {
    let mut out = Vec::new();
    let (mut section, mut sub, mut fence) = (String::new(), None, false);
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim().to_string();
            sub = None;
        } else if let Some(h) = line.strip_prefix("### ") {
            sub = Some(h.trim().trim_matches('`').to_string());
        } else if let Some(rest) = line.strip_prefix("* `") {
            let Some((name, rest)) = rest.split_once('`') else { continue };
            let Some(rest) = rest.strip_prefix(" - (") else { continue };
            let Some((label, _)) = rest.split_once(')') else { continue };
            let label = label.split(',').next().unwrap_or("").trim().to_string();
            out.push(Bullet { name: name.to_string(), label, section: section.clone(), sub: sub.clone(), line: i + 1 });
        }
    }
    out
}

/// What a schema entry may be labelled: the first is what an argument needs.
fn allowed_labels(attr: &Json) -> Vec<&'static str> {
    let flag = |k: &str| attr[k].as_bool().unwrap_or(false);
    if flag("required") {
        vec!["Required"]
    } else if flag("optional") && flag("computed") {
        vec!["Optional", "Computed"]
    } else if flag("optional") {
        vec!["Optional"]
    } else {
        vec!["Computed"]
    }
}

/// A block of the schema with the `###` heading its members are listed under
/// (None for the top level).
struct BlockAt<'a> {
    path: String,
    heading: Option<String>,
    block: &'a Json,
}

fn blocks<'a>(block: &'a Json, path: &str, heading: Option<String>, out: &mut Vec<BlockAt<'a>>) {
    out.push(BlockAt { path: path.to_string(), heading, block });
    for (name, b) in block["block_types"].as_object().into_iter().flatten() {
        blocks(&b["block"], &format!("{path}.{name}"), Some(name.clone()), out);
    }
}

/// Members of a block: attributes, and nested blocks (labelled Required when
/// the schema or the provider's validation needs at least one).
fn members(block: &Json) -> BTreeMap<String, Vec<&'static str>> {
    let mut m = BTreeMap::new();
    for (name, a) in block["attributes"].as_object().into_iter().flatten() {
        m.insert(name.clone(), allowed_labels(a));
    }
    for (name, _) in block["block_types"].as_object().into_iter().flatten() {
        // `destination` has no minimum in the schema so that the provider
        // can report a missing one itself; documenting it as Required is right.
        m.insert(name.clone(), vec!["Optional", "Required"]);
    }
    m
}

/// Checks one doc page against one schema; returns the problems found.
fn check_page(rel: &str, schema_block: &Json, root: &str) -> Vec<String> {
    let text = read(rel);
    let mut problems = Vec::new();
    // Front matter and the sections every registry page has.
    let front = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).map(|(f, _)| f);
    match front {
        None => problems.push(format!("{rel}: no front matter")),
        Some(f) => {
            for key in ["page_title:", "subcategory:", "description:"] {
                if !f.lines().any(|l| l.starts_with(key)) {
                    problems.push(format!("{rel}: front matter lacks {key}"));
                }
            }
        }
    }
    for h in ["## Example Usage", &format!("## {ARGS}")] {
        if !text.lines().any(|l| l == h) {
            problems.push(format!("{rel}: no `{h}` section"));
        }
    }
    if !text.contains("```mermaid") && !text.contains(".svg") {
        problems.push(format!("{rel}: no diagram (mermaid or SVG)"));
    }

    let found = bullets(&text);
    let reference: Vec<&Bullet> = found.iter().filter(|b| b.section == ARGS || b.section == ATTRS).collect();
    let mut all = Vec::new();
    blocks(schema_block, root, None, &mut all);
    let headings: BTreeSet<Option<String>> = all.iter().map(|b| b.heading.clone()).collect();

    // Schema -> docs: every member documented in its block's section, with a
    // fitting label; arguments documented as arguments.
    for b in &all {
        for (name, labels) in members(b.block) {
            let here: Vec<&&Bullet> = reference.iter().filter(|x| x.sub == b.heading && x.name == name).collect();
            let what = format!("{}.{name}", b.path);
            let heading = b.heading.as_ref().map_or("the top level".to_string(), |h| format!("`### {h}`"));
            if here.is_empty() {
                problems.push(format!("{rel}: {what} is not documented (expected a bullet under {heading})"));
                continue;
            }
            for x in &here {
                if !labels.contains(&x.label.as_str()) {
                    problems.push(format!(
                        "{rel}:{}: {what} is labelled ({}), expected one of {labels:?}",
                        x.line, x.label
                    ));
                }
            }
            if labels[0] != "Computed" && !here.iter().any(|x| x.label != "Computed") {
                problems.push(format!("{rel}: argument {what} is only documented as Computed"));
            }
        }
    }
    // Docs -> schema: every bullet names a member of the block of its section.
    for x in &reference {
        if !headings.contains(&x.sub) {
            // A `###` that is not a block (e.g. prose sub-sections) may not hold bullets.
            problems.push(format!(
                "{rel}:{}: `{}` is documented under `### {}`, which is no block of {root}",
                x.line,
                x.name,
                x.sub.as_deref().unwrap_or("")
            ));
            continue;
        }
        let exists = all.iter().filter(|b| b.heading == x.sub).any(|b| members(b.block).contains_key(&x.name));
        if !exists {
            let at = x.sub.as_ref().map_or(root.to_string(), |s| format!("{root} block {s}"));
            problems.push(format!("{rel}:{}: `{}` is documented but {at} has no such attribute", x.line, x.name));
        }
    }
    problems
}

#[test]
fn every_schema_attribute_is_documented_and_every_documented_attribute_exists() {
    let p = schema();
    let mut problems = Vec::new();
    problems.extend(check_page("index.md", &p["provider"]["block"], "provider"));

    let resources = p["resource_schemas"].as_object().expect("resource schemas");
    assert!(resources.len() >= 2, "{resources:?}");
    for (name, s) in resources {
        let short = name.strip_prefix("firehose_").expect("resource type prefix");
        let rel = format!("resources/{short}.md");
        problems.extend(check_page(&rel, &s["block"], name));
        let text = read(&rel);
        if !text.lines().any(|l| l == "## Attribute Reference") || !text.lines().any(|l| l == "## Import") {
            problems.push(format!("{rel}: needs `## Attribute Reference` and `## Import`"));
        }
        if !text.contains(&format!("terraform import {name}.")) || !text.contains(&format!("to = {name}.")) {
            problems.push(format!("{rel}: Import must show `terraform import {name}.…` and an `import {{}}` block"));
        }
    }
    let data = p["data_source_schemas"].as_object().expect("data source schemas");
    assert!(!data.is_empty());
    for (name, s) in data {
        let short = name.strip_prefix("firehose_").expect("data source type prefix");
        problems.extend(check_page(&format!("data-sources/{short}.md"), &s["block"], &format!("data.{name}")));
    }

    let actions = p["action_schemas"].as_object().expect("action schemas");
    assert!(!actions.is_empty());
    for (name, s) in actions {
        let short = name.strip_prefix("firehose_").expect("action type prefix");
        problems.extend(check_page(&format!("actions/{short}.md"), &s["block"], &format!("action.{name}")));
    }

    // No page for something the provider does not have.
    for (dir, known) in [("resources", resources), ("data-sources", data), ("actions", actions)] {
        for entry in std::fs::read_dir(docs_dir().join(dir)).unwrap() {
            let f = entry.unwrap().file_name().into_string().unwrap();
            let ty = format!("firehose_{}", f.trim_end_matches(".md"));
            if !known.contains_key(&ty) {
                problems.push(format!("{dir}/{f} documents {ty}, which the provider does not have"));
            }
        }
    }
    assert!(problems.is_empty(), "{} documentation problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn delivery_stream_page_covers_the_contract() {
    let text = read("resources/delivery_stream.md");
    for needle in [
        // §2.1 parts and their names
        "/aws/kinesisfirehose/<name>",
        "S3Destination",
        "S3Backup",
        "alias/firehose/<name>",
        "seedworks:firehose:stream",
        // §2.2 grants
        "s3:ListBucketMultipartUploads",
        "kinesis:DescribeStreamSummary",
        "kms:GenerateDataKey",
        "lambda:GetFunctionConfiguration",
        "sts:ExternalId",
        // §2.3 messages
        "Only one destination is allowed per delivery stream",
        "S3 destinations do not support BackupMode.FAILED",
        "must include at least one instance of !{firehose:error-output-type}",
        // §2.4 lifecycle
        "30-day window",
        "backup bucket that is not empty is kept",
        "Backup cannot be disabled in place",
    ] {
        assert!(text.contains(needle), "docs/resources/delivery_stream.md does not mention {needle:?}");
    }
}

/// The ```terraform / ```hcl fences of every page: (page, first line, code),
/// with the fence's indentation (inside list items) removed.
fn fences() -> Vec<(String, usize, String)> {
    fn walk(dir: &Path, pages: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, pages);
            } else if p.extension().is_some_and(|x| x == "md") {
                pages.push(p);
            }
        }
    }
    let mut pages = Vec::new();
    walk(&docs_dir(), &mut pages);
    pages.sort();
    let mut out = Vec::new();
    for page in pages {
        let rel = page.strip_prefix(support::repo()).unwrap().display().to_string();
        let text = std::fs::read_to_string(&page).unwrap();
        // (first line, language, indentation, code) of the open fence.
        let mut open: Option<(usize, String, usize, String)> = None;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if !t.starts_with("```") {
                if let Some((_, _, indent, code)) = &mut open {
                    code.push_str(line.get(*indent..).unwrap_or(line.trim_start()));
                    code.push('\n');
                }
                continue;
            }
            match open.take() {
                Some((first, lang, _, code)) => {
                    if lang == "terraform" || lang == "hcl" {
                        out.push((rel.clone(), first, code));
                    }
                }
                None => {
                    open =
                        Some((i + 1, t.trim_start_matches('`').trim().to_string(), line.len() - t.len(), String::new()))
                }
            }
        }
        assert!(open.is_none(), "{rel}: unterminated code fence");
    }
    out
}

#[test]
fn terraform_code_in_docs_is_formatted_and_valid() {
    let blocks = fences();
    assert!(blocks.len() >= 10, "expected the docs to have Terraform examples, found {}", blocks.len());
    let mut problems = Vec::new();
    for (file, line, code) in &blocks {
        let tf = Tf::new(&code.clone());
        let fmt = tf.run(&["fmt", "-check", "-diff", "-no-color"]);
        if fmt.code != 0 {
            problems.push(format!("{file}:{line}: not parsable or not `terraform fmt` formatted:\n{}", fmt.all()));
            continue;
        }
        // Self-contained examples (only this provider) must also validate;
        // fragments that use hashicorp/aws resources are only parsed.
        let only_ours = !code.contains("aws_") && !code.contains("hashicorp/aws") && !code.contains("removed {");
        let declares =
            ["resource \"firehose_", "data \"firehose_", "action \"firehose_"].iter().any(|d| code.contains(d));
        if only_ours && declares {
            let mut main = code.clone();
            if !main.contains("required_providers") {
                main.push_str("\nterraform {\n  required_providers {\n    firehose = { source = \"seedworks/firehose\" }\n  }\n}\n");
                tf.write("main.tf", &main);
            }
            let v = tf.run(&["validate", "-no-color"]);
            if v.code != 0 {
                problems.push(format!("{file}:{line}: terraform validate failed:\n{}", v.all()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn relative_links_resolve() {
    // Relative links from the docs to pages and examples must point at real files.
    let mut problems = Vec::new();
    for (page, base) in [
        ("index.md", ""),
        ("resources/delivery_stream.md", "resources"),
        ("resources/grant.md", "resources"),
        ("data-sources/delivery_stream.md", "data-sources"),
        ("guides/migration.md", "guides"),
    ] {
        let text = read(page);
        for part in text.split("](").skip(1) {
            let target = part.split(')').next().unwrap_or("");
            if target.starts_with("http") || target.starts_with('#') || target.is_empty() {
                continue;
            }
            let path = target.split('#').next().unwrap();
            let resolved = docs_dir().join(base).join(path);
            if !resolved.exists() {
                problems.push(format!("{page}: link {target} does not resolve ({})", resolved.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn registry_manifest_declares_protocol_6() {
    let text = std::fs::read_to_string(support::repo().join("terraform-registry-manifest.json")).unwrap();
    let v: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(v, serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}}));
}
