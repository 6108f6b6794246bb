# Logs to Datadog through Firehose's HTTP endpoint destination (CDK v2
# "HttpEndpoint"/"Datadog"): the preset expands to Datadog's documented
# Firehose intake URL for the EU site. The API key is write-only: it comes
# from an ephemeral variable, goes to AWS, and is never stored in a plan or
# the state (Terraform 1.11 or later). Records Datadog does not accept go to
# an S3 bucket the provider creates.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "http-endpoint-datadog"
}

variable "datadog_api_key" {
  type        = string
  description = "Datadog API key, e.g. from TF_VAR_datadog_api_key."
  ephemeral   = true
}

variable "api_key_version" {
  type        = number
  description = "Bump to send a new API key to AWS."
  default     = 1
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    http_endpoint {
      preset                = "datadog_logs_eu"
      access_key_wo         = var.datadog_api_key
      access_key_wo_version = var.api_key_version
      common_attributes     = { env = "production" }

      processor {
        decompression {}
      }
      processor {
        cloudwatch_log_processing {
          data_message_extraction = true
        }
      }

      s3_backup {
        mode = "FAILED" # only what Datadog did not accept
      }
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "metrics" {
  value = firehose_delivery_stream.this.metrics
}
