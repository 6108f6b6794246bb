# Mirrors the CDK README section "Specifying an IAM role": you supply both service roles
# (each must trust firehose.amazonaws.com). The provider creates no roles; it attaches
# least-privilege inline policies to yours: read access to the Kinesis source on the
# stream role, write access to the bucket (and logs) on the destination role. A Kinesis
# source is used so that the stream role is actually needed.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "given-roles"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "source_stream_arn" {
  type        = string
  description = "ARN of the Kinesis data stream the delivery stream reads from."
}

variable "stream_role_arn" {
  type        = string
  description = "ARN of an existing IAM role, trusting firehose.amazonaws.com, that the delivery stream uses to read the source stream."
}

variable "destination_role_arn" {
  type        = string
  description = "ARN of an existing IAM role, trusting firehose.amazonaws.com, that the delivery stream uses to write to the destination."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name              = var.name
  source_stream_arn = var.source_stream_arn
  role_arn          = var.stream_role_arn

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
      role_arn   = var.destination_role_arn
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "stream_role_arn" {
  description = "The stream role given."
  value       = firehose_delivery_stream.this.stream_role_arn
}

output "destination_role_arn" {
  description = "The destination role given."
  value       = firehose_delivery_stream.this.destination_role_arn
}

output "stream_role_policy_json" {
  value = firehose_delivery_stream.this.stream_role_policy_json
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
