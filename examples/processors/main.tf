# Ordered processors (CDK v2 "processors"): CloudWatch Logs subscription records
# arrive gzipped in an envelope; they are decompressed, unwrapped to the log
# messages, transformed by a Lambda function and delivered one per line. The
# blocks run in the order written; each holds exactly one kind.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "processors"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "lambda_arn" {
  type        = string
  description = "ARN of the Lambda function that transforms the log messages."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn

      processor {
        decompression {} # GZIP, the only format Firehose decompresses
      }
      processor {
        cloudwatch_log_processing {
          data_message_extraction = true
        }
      }
      processor {
        lambda {
          function_arn = var.lambda_arn # buffer 60 s / 1 MiB, 3 retries by default
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
