# The "after" side of docs/guides/migration.md: the pipeline of `../before`, now one
# `firehose_delivery_stream`. Apply this in the same working directory (same state) as
# `../before`:
#   - the `import` block adopts the existing delivery stream, by name, without recreating it;
#   - the `removed` blocks drop the hashicorp/aws resources from the state *without*
#     destroying them (Terraform 1.7+), so the role and log group the stream uses stay;
#   - the role and log group are passed in as `role_arn` / `log_group_name`, the way the
#     stream already uses them: the provider treats them as yours and never deletes them,
#     and attaches its own least-privilege inline policy to the role.
terraform {
  required_version = ">= 1.7"
  required_providers {
    # Still needed until the `removed` blocks have been applied once: the state holds
    # resources of this provider. Delete it, and the removed blocks, afterwards.
    aws      = { source = "hashicorp/aws", version = "~> 3.39" }
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the existing delivery stream."
  default     = "legacy-events"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "role_arn" {
  type        = string
  description = "ARN of the existing role the stream delivers with (`role_arn` output of ../before)."
}

variable "log_group_name" {
  type        = string
  description = "Name of the existing log group for delivery errors (`log_group_name` output of ../before)."
}

provider "aws" {}

provider "firehose" {}

import {
  to = firehose_delivery_stream.events
  id = var.name # a stream name or ARN
}

resource "firehose_delivery_stream" "events" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn          = var.bucket_arn
      role_arn            = var.role_arn
      log_group_name      = var.log_group_name
      data_output_prefix  = "events/!{timestamp:yyyy/MM/dd}/"
      error_output_prefix = "errors/!{firehose:error-output-type}/"
      buffering_size      = 5
      buffering_interval  = 60
      compression         = "GZIP"
    }
  }

  tags = { app = "events" }
}

# The old resources leave the state; nothing is destroyed.
removed {
  from = aws_kinesis_firehose_delivery_stream.events
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_cloudwatch_log_stream.destination
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_cloudwatch_log_group.firehose
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role_policy.firehose
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role.firehose
  lifecycle {
    destroy = false
  }
}

output "stream_arn" {
  value = firehose_delivery_stream.events.arn
}
