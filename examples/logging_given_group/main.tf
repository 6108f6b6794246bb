# Mirrors the CDK README section "Monitoring > Logs" (first example): delivery errors are
# logged to a CloudWatch log group you supply. The provider creates only the log stream
# S3Destination in it and grants the destination role logs:CreateLogStream and
# logs:PutLogEvents on that group; it creates no log group of its own.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "logging-given-group"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "log_group_name" {
  type        = string
  description = "Name of an existing CloudWatch Logs log group that delivery errors are logged to."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn     = var.bucket_arn
      log_group_name = var.log_group_name
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "log_group_name" {
  description = "The log group given."
  value       = firehose_delivery_stream.this.log_group_name
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
