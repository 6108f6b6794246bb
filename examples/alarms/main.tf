# A stream with the CloudWatch alarms AWS recommends for it: data freshness,
# delivery success, throttled records and incoming traffic near the stream's
# quota, notifying an SNS topic when they fire and when they recover. The
# alarms are named after the stream, tagged like its other parts, repaired
# when changed outside Terraform and deleted with the stream.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the alarms are named <name>-<alarm>."
  default     = "monitored"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "alarm_topic_arn" {
  type        = string
  description = "ARN of the SNS topic that hears about alarms (e.g. aws_sns_topic.ops.arn)."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn         = var.bucket_arn
      buffering_interval = 60
    }
  }

  # Every plan warns about delivery errors the stream logged in the last
  # hour: how many, their codes and the latest message.
  delivery_health = true

  alarms {
    actions    = [var.alarm_topic_arn]
    ok_actions = [var.alarm_topic_arn]

    # Every alarm is on by default; a block overrides one.
    data_freshness {
      threshold          = 600 # seconds; the default is buffering_interval + 300
      evaluation_periods = 2
    }
    incoming_put_requests {
      enabled = false
    }
  }

  tags = { team = "data-platform" }
}

output "alarm_arns" {
  value = firehose_delivery_stream.this.alarm_arns
}

output "metrics" {
  description = "Metric names for dashboards: namespace AWS/Firehose, dimension DeliveryStreamName."
  value       = firehose_delivery_stream.this.metrics
}
