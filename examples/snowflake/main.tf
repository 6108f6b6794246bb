# Delivery to a Snowflake table with Snowpipe Streaming: each record lands in
# a VARIANT column with Firehose's metadata beside it; records Snowflake
# refuses go to a bucket the provider creates. The private key is
# write-only: sent to AWS, never stored in the plan or the state.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "snowflake"
}

variable "account_url" {
  type        = string
  description = "URL of the Snowflake account, e.g. https://xy12345.us-east-1.snowflakecomputing.com."
}

variable "private_key" {
  type        = string
  description = "Base64 body of the user's private key (no BEGIN/END lines), e.g. from TF_VAR_private_key; never stored."
  ephemeral   = true
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    snowflake {
      account_url            = var.account_url
      user                   = "FIREHOSE"
      private_key_wo         = var.private_key
      private_key_wo_version = 1
      snowflake_role         = "FIREHOSE_LOADER"
      database               = "RAW"
      schema                 = "EVENTS"
      table                  = "CLICKS"
      data_loading_option    = "VARIANT_CONTENT_AND_METADATA_MAPPING"
      content_column_name    = "RECORD"
      metadata_column_name   = "METADATA"
      buffering_interval     = 30

      s3_backup {} # failed records, to a bucket the provider creates
    }
  }
}

output "metrics" {
  value = firehose_delivery_stream.this.metrics
}
