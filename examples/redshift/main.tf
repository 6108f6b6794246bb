# Delivery to an Amazon Redshift table. Firehose writes records, gzipped, to a
# staging bucket and loads them with COPY; every source record is also backed
# up to a bucket the provider creates. The database password is write-only:
# sent to AWS, never stored in the plan or the state.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "redshift"
}

variable "cluster_jdbc_url" {
  type        = string
  description = "JDBC URL of the database, e.g. jdbc:redshift://analytics.abc123.us-east-1.redshift.amazonaws.com:5439/events."
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the staging bucket COPY loads from."
}

variable "password" {
  type        = string
  description = "The database user's password, e.g. from TF_VAR_password; never stored."
  ephemeral   = true
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    redshift {
      cluster_jdbc_url    = var.cluster_jdbc_url
      username            = "firehose"
      password_wo         = var.password
      password_wo_version = 1
      data_table_name     = "events"
      data_table_columns  = "event_id,customer_id,amount"
      copy_options        = "JSON 'auto' GZIP"

      s3_staging {
        bucket_arn         = var.bucket_arn
        data_output_prefix = "staging/"
        compression        = "GZIP"
        buffering_interval = 60
      }

      s3_backup {} # every source record, to a bucket the provider creates
    }
  }

  tags = { app = "analytics" }
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
