# Mirrors the CDK README section "Backup" (second example, "Delivery Stream Backup All
# Explicit Bucket"): every source record is also backed up, to a bucket you supply. The
# mode defaults to ALL; the destination role is granted write access to both buckets.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "backup-given-bucket"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "backup_bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket source records are backed up to."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn

      s3_backup {
        bucket_arn = var.backup_bucket_arn
      }
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "backup_bucket_arn" {
  value = firehose_delivery_stream.this.destination[0].s3_bucket[0].s3_backup[0].bucket_arn
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
