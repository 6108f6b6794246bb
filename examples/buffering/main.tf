# Mirrors the CDK README section "Buffering": the stream delivers when 8 MiB have
# accumulated or 60 seconds have passed since the last delivery, whichever comes first
# (defaults: 5 MiB / 300 s; the CDK example uses 10 minutes / 8 MiB).
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "buffering"
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
      bucket_arn         = var.bucket_arn
      buffering_interval = 60 # seconds, 0..900
      buffering_size     = 8  # MiB, 1..128
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "metrics" {
  description = "Metric names (namespace AWS/Firehose, dimension DeliveryStreamName), e.g. delivery_to_s3_data_freshness to alarm when delivery falls behind the buffering interval."
  value       = firehose_delivery_stream.this.metrics
}
