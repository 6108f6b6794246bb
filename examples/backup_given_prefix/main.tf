# Mirrors the CDK README section "Backup" (third example, "Delivery Stream Backup All
# Explicit Prefix"): every source record is backed up under the prefix backup/ in the
# backup bucket. (The CDK example lets the CDK create the backup bucket; here it is
# supplied, combining the second and third examples. Omit bucket_arn to have the
# provider create one.)
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "backup-given-prefix"
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
        mode               = "ALL"
        bucket_arn         = var.backup_bucket_arn
        data_output_prefix = "backup/"
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
