# The "before" side of docs/guides/migration.md: a delivery stream built by hand from
# hashicorp/aws 3.x resources — a service role and its inline policy, a log group and
# log stream for delivery errors, and the stream itself (extended_s3 destination).
# `../after` moves this pipeline, without recreating anything, under one
# `firehose_delivery_stream` with `import {}` and `removed {}` blocks.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 3.39" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the role and log group are named after it."
  default     = "legacy-events"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

provider "aws" {}

resource "aws_iam_role" "firehose" {
  name = "${var.name}-firehose"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "firehose.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "firehose" {
  name = "${var.name}-delivery"
  role = aws_iam_role.firehose.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "s3:AbortMultipartUpload",
          "s3:GetBucketLocation",
          "s3:GetObject",
          "s3:ListBucket",
          "s3:ListBucketMultipartUploads",
          "s3:PutObject",
        ]
        Resource = [var.bucket_arn, "${var.bucket_arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.firehose.arn}:*"]
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "firehose" {
  name              = "/firehose/${var.name}"
  retention_in_days = 30
}

# Firehose writes delivery errors to this log stream; `firehose_delivery_stream`
# names the destination's log stream `S3Destination` too.
resource "aws_cloudwatch_log_stream" "destination" {
  name           = "S3Destination"
  log_group_name = aws_cloudwatch_log_group.firehose.name
}

resource "aws_kinesis_firehose_delivery_stream" "events" {
  name        = var.name
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = var.bucket_arn
    prefix              = "events/!{timestamp:yyyy/MM/dd}/"
    error_output_prefix = "errors/!{firehose:error-output-type}/"
    buffer_size         = 5
    buffer_interval     = 60
    compression_format  = "GZIP"

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose.name
      log_stream_name = aws_cloudwatch_log_stream.destination.name
    }
  }

  tags = { app = "events" }

  depends_on = [aws_iam_role_policy.firehose]
}

output "stream_arn" {
  value = aws_kinesis_firehose_delivery_stream.events.arn
}

output "role_arn" {
  description = "Pass this to ../after as `role_arn`."
  value       = aws_iam_role.firehose.arn
}

output "log_group_name" {
  description = "Pass this to ../after as `log_group_name`."
  value       = aws_cloudwatch_log_group.firehose.name
}
