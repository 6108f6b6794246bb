# Mirrors the CDK README section "Destination Encryption": delivered objects are written
# with SSE-KMS using a key you supply. The destination role is granted kms:Decrypt and
# kms:GenerateDataKey on exactly that key, only via S3.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "destination-encryption"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "destination_key_arn" {
  type        = string
  description = "ARN of the KMS key delivered objects are encrypted with (S3 SSE-KMS)."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn         = var.bucket_arn
      encryption_key_arn = var.destination_key_arn
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "destination_role_arn" {
  value = firehose_delivery_stream.this.destination_role_arn
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
