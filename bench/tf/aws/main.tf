# The same N pipelines wired by hand with the official AWS provider 3.39.0:
# per stream a role (same trust policy, same confused-deputy guard), an inline
# policy with the same grants, the log group /aws/kinesisfirehose/<name>
# (retention 731 days, like ours) with log stream S3Destination, and the
# delivery stream (extended S3, default buffering 5 MiB / 300 s, logging on).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "3.39.0" }
  }
}

variable "n" { type = number }
variable "endpoint" { type = string }
variable "bucket_arn" { type = string }
variable "prefix" {
  type    = string
  default = "bench-aws"
}
# Accepted for the benchmark's common variables; this pipeline is one region.
variable "regions" {
  type    = number
  default = 1
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "bench"
  secret_key                  = "bench"
  skip_credentials_validation = true
  skip_region_validation      = true
  skip_get_ec2_platforms      = true
  skip_metadata_api_check     = true
  s3_force_path_style         = true

  endpoints {
    firehose       = var.endpoint
    iam            = var.endpoint
    cloudwatchlogs = var.endpoint
    sts            = var.endpoint
    s3             = var.endpoint
  }
}

data "aws_caller_identity" "current" {}

locals {
  names   = [for i in range(var.n) : "${var.prefix}-${i}"]
  account = data.aws_caller_identity.current.account_id
}

resource "aws_iam_role" "dest" {
  count       = var.n
  name        = "${local.names[count.index]}-firehose-dest"
  description = "Assumed by Kinesis Data Firehose for delivery stream ${local.names[count.index]}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "firehose.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = local.account } }
    }]
  })
  tags = { bench = "firehose", "seedworks:firehose:stream" = local.names[count.index] }
}

resource "aws_cloudwatch_log_group" "logs" {
  count             = var.n
  name              = "/aws/kinesisfirehose/${local.names[count.index]}"
  retention_in_days = 731
  tags              = { bench = "firehose", "seedworks:firehose:stream" = local.names[count.index] }
}

resource "aws_cloudwatch_log_stream" "dest" {
  count          = var.n
  name           = "S3Destination"
  log_group_name = aws_cloudwatch_log_group.logs[count.index].name
}

resource "aws_iam_role_policy" "dest" {
  count = var.n
  name  = "firehose-${local.names[count.index]}-destination"
  role  = aws_iam_role.dest[count.index].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "S3Delivery"
        Effect = "Allow"
        Action = [
          "s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject",
          "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject",
        ]
        Resource = [var.bucket_arn, "${var.bucket_arn}/*"]
      },
      {
        Sid      = "Logging"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.logs[count.index].arn}:*"]
      },
    ]
  })
}

resource "aws_kinesis_firehose_delivery_stream" "s" {
  count       = var.n
  name        = local.names[count.index]
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn           = aws_iam_role.dest[count.index].arn
    bucket_arn         = var.bucket_arn
    buffer_size        = 5
    buffer_interval    = 300
    compression_format = "UNCOMPRESSED"

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.logs[count.index].name
      log_stream_name = aws_cloudwatch_log_stream.dest[count.index].name
    }
  }

  tags = { bench = "firehose", "seedworks:firehose:stream" = local.names[count.index] }

  # The policy must exist before Firehose assumes the role.
  depends_on = [aws_iam_role_policy.dest]
}
