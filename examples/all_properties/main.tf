# Mirrors the CDK README's "all properties" stack
# (aws-cdk-firehose-delivery-stream-s3-all-properties): a Lambda processor, GZIP
# compression, prefixes, buffering and an SSE-KMS key on the destination, and a backup of
# all source records to a second bucket with its own compression, prefixes, buffering and
# key. On top of the CDK stack it also turns on server-side encryption of the stream
# with a customer-managed key the provider creates (SSE cannot be combined with a Kinesis
# source, so this stream takes direct puts), logs to the log group the provider creates
# (kept for 30 days), and sets tags and timeouts.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "all-properties"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "backup_bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket source records are backed up to."
}

variable "destination_key_arn" {
  type        = string
  description = "ARN of the KMS key delivered objects are encrypted with (S3 SSE-KMS)."
}

variable "backup_key_arn" {
  type        = string
  description = "ARN of the KMS key backed-up objects are encrypted with (S3 SSE-KMS)."
}

variable "lambda_arn" {
  type        = string
  description = "ARN of the Lambda function that transforms records before delivery."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name               = var.name
  encryption         = "CUSTOMER_MANAGED" # no key given: the provider creates one
  log_retention_days = 30

  destination {
    s3_bucket {
      bucket_arn          = var.bucket_arn
      logging             = true # to the created log group /aws/kinesisfirehose/<name>
      compression         = "GZIP"
      data_output_prefix  = "regularPrefix"
      error_output_prefix = "errorPrefix"
      buffering_interval  = 60
      buffering_size      = 1
      encryption_key_arn  = var.destination_key_arn

      processor {
        lambda {
          function_arn    = var.lambda_arn
          buffer_interval = 60
          buffer_size     = 1
          retries         = 1
        }
      }

      s3_backup {
        mode                = "ALL"
        bucket_arn          = var.backup_bucket_arn
        compression         = "ZIP"
        data_output_prefix  = "backupPrefix"
        error_output_prefix = "backupErrorPrefix"
        buffering_interval  = 60
        buffering_size      = 1
        encryption_key_arn  = var.backup_key_arn
      }
    }
  }

  tags = {
    app   = "all-properties"
    stack = "aws-cdk-firehose-delivery-stream-s3-all-properties"
  }

  timeouts {
    create = "30m"
    update = "10m"
    delete = "30m"
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "encryption_key_arn" {
  description = "ARN of the KMS key the provider created for SSE."
  value       = firehose_delivery_stream.this.encryption_key_arn
}

output "stream_role_arn" {
  value = firehose_delivery_stream.this.stream_role_arn
}

output "destination_role_arn" {
  value = firehose_delivery_stream.this.destination_role_arn
}

output "log_group_name" {
  value = firehose_delivery_stream.this.log_group_name
}

output "backup_bucket_arn" {
  value = firehose_delivery_stream.this.destination[0].s3_bucket[0].s3_backup[0].bucket_arn
}

output "stream_role_policy_json" {
  value = firehose_delivery_stream.this.stream_role_policy_json
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}

output "put_records_policy_json" {
  value = firehose_delivery_stream.this.put_records_policy_json
}

output "tags_all" {
  value = firehose_delivery_stream.this.tags_all
}
