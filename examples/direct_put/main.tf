# Mirrors the CDK README section "Sources > Direct Put" (and "Granting application access
# to a delivery stream"): no source stream, so producers send records with PutRecord /
# PutRecordBatch. The put_records_policy_json output is the policy to attach to a
# producer (the equivalent of the CDK's grantPutRecords()); no stream role is needed.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "direct-put"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name              = var.name
  source_stream_arn = null # direct put: records arrive through PutRecord / PutRecordBatch

  # What producers are expected to send, for Firehose's capacity planning
  # (it does not raise the stream's limits).
  throughput_hint_mbs = 5

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "put_records_policy_json" {
  description = "Attach this to producers so they may call firehose:PutRecord and firehose:PutRecordBatch on the stream."
  value       = firehose_delivery_stream.this.put_records_policy_json
}

output "stream_role_arn" {
  description = "Null: a direct-put stream without SSE needs no stream role."
  value       = firehose_delivery_stream.this.stream_role_arn
}

output "destination_role_arn" {
  value = firehose_delivery_stream.this.destination_role_arn
}
