# Mirrors the CDK README section "Monitoring > Logs" (second example, "Logging can also be
# disabled"): logging = false, so no log group is created and the destination role gets
# no CloudWatch Logs permissions.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "logging-disabled"
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
      logging    = false
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "log_group_name" {
  description = "Null: logging is off."
  value       = firehose_delivery_stream.this.log_group_name
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
