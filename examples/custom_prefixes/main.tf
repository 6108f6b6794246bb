# Mirrors the CDK README section "Destinations > S3" (custom dynamic prefixes): objects
# land under a prefix built from the arrival timestamp and a random string; failed
# records go under an error prefix, which must contain !{firehose:error-output-type}
# whenever it uses expressions.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "custom-prefixes"
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
      bucket_arn          = var.bucket_arn
      data_output_prefix  = "myFirehose/!{timestamp:yyyy/MM/dd}/rand=!{firehose:random-string}/"
      error_output_prefix = "myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}/"
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
