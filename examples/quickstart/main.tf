# The smallest useful pipeline: records put to the stream land in a bucket.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "name" {
  type    = string
  default = "quickstart"
}

provider "firehose" {}

resource "firehose_delivery_stream" "events" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn          = var.bucket_arn
      data_output_prefix  = "events/!{timestamp:yyyy/MM/dd}/"
      error_output_prefix = "errors/!{firehose:error-output-type}/"
      buffering_interval  = 60
    }
  }

  tags = { app = "quickstart" }
}

output "stream_arn" {
  value = firehose_delivery_stream.events.arn
}

output "put_records_policy_json" {
  value = firehose_delivery_stream.events.put_records_policy_json
}
