# N delivery streams with our provider: one block per stream; the provider
# creates the destination role + inline policy and the log group
# /aws/kinesisfirehose/<name> with log stream S3Destination (logging is on by
# default; buffering left at its defaults, 5 MiB / 300 s).
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "n" { type = number }
variable "endpoint" { type = string }
variable "bucket_arn" { type = string }
variable "prefix" {
  type    = string
  default = "bench-ours"
}
# The benchmark's delivery_health run sets this to measure the refresh cost
# of reading each stream's delivery errors.
variable "delivery_health" {
  type    = bool
  default = false
}
# Streams are spread over this many regions (scale.tf, copied in by the
# benchmark for N = 200, declares the other three); 1 means all here.
variable "regions" {
  type    = number
  default = 1
}

provider "firehose" {
  region       = "us-east-1"
  access_key   = "bench"
  secret_key   = "bench"
  endpoint_url = var.endpoint
}

resource "firehose_delivery_stream" "s" {
  count = ceil(var.n / var.regions)
  name  = "${var.prefix}-${count.index}"

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
    }
  }

  delivery_health = var.delivery_health

  tags = { bench = "firehose" }
}
