# Mirrors the CDK README sections "Defining a Delivery Stream" and "Destinations > S3":
# a delivery stream with Direct PUT as the source, delivering to an S3 bucket, with
# CloudWatch error logging on. The provider creates the destination role (least-privilege
# write access to the bucket) and the log group /aws/kinesisfirehose/<name>.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "basic-s3"
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
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "destination_role_arn" {
  value = firehose_delivery_stream.this.destination_role_arn
}

output "log_group_name" {
  value = firehose_delivery_stream.this.log_group_name
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
