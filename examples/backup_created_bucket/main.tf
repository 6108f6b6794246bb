# Mirrors the CDK README section "Backup" (first example, "Delivery Stream Backup All"):
# every source record is also backed up, to a bucket the provider creates (named after
# the stream; deleted on destroy only if empty). The destination role is granted write
# access to both buckets, and backup errors are logged to the S3Backup log stream.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "backup-created-bucket"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn

      s3_backup {
        mode = "ALL" # the only mode S3 destinations support
      }
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "backup_bucket_arn" {
  description = "ARN of the backup bucket the provider created."
  value       = firehose_delivery_stream.this.destination[0].s3_bucket[0].s3_backup[0].bucket_arn
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
