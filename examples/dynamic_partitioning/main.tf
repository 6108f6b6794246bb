# Dynamic partitioning (CDK v2 "dynamicPartitioning"): aggregated JSON records are
# split, a JQ query extracts each record's customer, and objects are written under
# one prefix per customer and day, in the Paris time zone. Adding or removing the
# dynamic_partitioning block replaces the stream, as AWS requires.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "dynamic-partitioning"
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
      data_output_prefix  = "customer=!{partitionKeyFromQuery:customer}/!{timestamp:yyyy-MM-dd}/"
      error_output_prefix = "errors/!{firehose:error-output-type}/"
      custom_time_zone    = "Europe/Paris"
      file_extension      = ".json"
      # buffering_size defaults to 64 MiB, the least dynamic partitioning allows

      dynamic_partitioning {
        retry_duration = 600
      }

      processor {
        record_deaggregation {
          type = "JSON"
        }
      }
      processor {
        metadata_extraction {
          query = "{customer: .customer_id}"
        }
      }
      processor {
        append_delimiter_to_record {}
      }
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}
