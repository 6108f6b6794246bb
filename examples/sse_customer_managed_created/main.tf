# Mirrors the CDK README section "Server-side Encryption" (second example, "Delivery
# Stream Implicit Customer Managed"): encryption = CUSTOMER_MANAGED without a key, so the
# provider creates a KMS key (alias alias/firehose/<name>) and a stream role allowed to
# use it, and exports the key's ARN.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "sse-customer-managed-created"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name       = var.name
  encryption = "CUSTOMER_MANAGED"

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
  description = "ARN of the KMS key the provider created for SSE."
  value       = firehose_delivery_stream.this.encryption_key_arn
}

output "stream_role_arn" {
  value = firehose_delivery_stream.this.stream_role_arn
}

output "stream_role_policy_json" {
  value = firehose_delivery_stream.this.stream_role_policy_json
}
