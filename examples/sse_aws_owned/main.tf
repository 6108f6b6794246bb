# Mirrors the CDK README section "Server-side Encryption" (first example, "Delivery Stream
# AWS Owned"): records are encrypted at rest inside Firehose with an AWS-owned key.
# No key and no stream role are created.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "sse-aws-owned"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name       = var.name
  encryption = "AWS_OWNED"

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "encryption_key_arn" {
  description = "Null: the AWS-owned key is not visible to the account."
  value       = firehose_delivery_stream.this.encryption_key_arn
}

output "stream_role_arn" {
  value = firehose_delivery_stream.this.stream_role_arn
}
