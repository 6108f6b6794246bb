# Mirrors the CDK README section "Compression": delivered objects are compressed.
# (The CDK example uses Snappy; any of UNCOMPRESSED, GZIP, ZIP, SNAPPY, HADOOP_SNAPPY
# works here. This example uses GZIP.)
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "compression"
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
      bucket_arn  = var.bucket_arn
      compression = "GZIP"
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "compression" {
  value = firehose_delivery_stream.this.destination[0].s3_bucket[0].compression
}
