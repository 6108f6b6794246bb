# Mirrors the CDK README section "Sources > Kinesis Data Stream": the delivery stream
# reads from an existing Kinesis data stream instead of accepting direct puts. The
# provider creates a stream role allowed to read exactly that stream, plus the
# destination role and log group.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "kinesis-source"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "source_stream_arn" {
  type        = string
  description = "ARN of the Kinesis data stream the delivery stream reads from."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name              = var.name
  source_stream_arn = var.source_stream_arn

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "stream_role_arn" {
  value = firehose_delivery_stream.this.stream_role_arn
}

output "stream_role_policy_json" {
  value = firehose_delivery_stream.this.stream_role_policy_json
}

output "destination_role_arn" {
  value = firehose_delivery_stream.this.destination_role_arn
}

output "log_group_name" {
  value = firehose_delivery_stream.this.log_group_name
}
