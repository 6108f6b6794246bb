# A stream that reads a topic of an Amazon MSK cluster and delivers it to S3.
# The stream role the provider creates may connect to exactly this cluster
# and read exactly this topic (and describe its consumer groups); MSK
# streams take no direct puts and have no server-side encryption setting.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "msk-source"
}

variable "cluster_arn" {
  type        = string
  description = "ARN of the MSK cluster, e.g. aws_msk_cluster.events.arn."
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  source_msk {
    cluster_arn  = var.cluster_arn
    topic_name   = "orders"
    connectivity = "PRIVATE"
  }

  destination {
    s3_bucket {
      bucket_arn         = var.bucket_arn
      data_output_prefix = "orders/"
      buffering_interval = 60
    }
  }
}

output "stream_role_policy_json" {
  value = firehose_delivery_stream.this.stream_role_policy_json
}
