# Mirrors the CDK README section "Server-side Encryption" (third example, "Delivery
# Stream Explicit Customer Managed"): SSE with a customer-managed KMS key you supply.
# Giving encryption_key_arn implies encryption = CUSTOMER_MANAGED; the provider creates a
# stream role allowed to use exactly that key.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "sse-customer-managed-given"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the customer-managed KMS key used for server-side encryption of the delivery stream."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name               = var.name
  encryption_key_arn = var.kms_key_arn

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "encryption" {
  description = "CUSTOMER_MANAGED, implied by the key."
  value       = firehose_delivery_stream.this.encryption
}

output "encryption_key_arn" {
  value = firehose_delivery_stream.this.encryption_key_arn
}

output "stream_role_arn" {
  value = firehose_delivery_stream.this.stream_role_arn
}

output "stream_role_policy_json" {
  value = firehose_delivery_stream.this.stream_role_policy_json
}
