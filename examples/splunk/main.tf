# Events to Splunk through its HTTP Event Collector (CDK v2 has no Splunk
# destination; the AWS provider's splunk_configuration keeps the token in
# state). The HEC token is write-only: from an ephemeral variable to AWS,
# never into a plan or the state (Terraform 1.11 or later). Events Splunk
# does not acknowledge go to an S3 bucket the provider creates.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "splunk"
}

variable "hec_endpoint" {
  type        = string
  description = "HTTPS URL of your Splunk HTTP Event Collector."
  default     = "https://splunk.example.com:8088"
}

variable "hec_token" {
  type        = string
  description = "Splunk HEC token, e.g. from TF_VAR_hec_token."
  ephemeral   = true
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    splunk {
      hec_endpoint               = var.hec_endpoint
      hec_endpoint_type          = "Event"
      hec_token_wo               = var.hec_token
      hec_token_wo_version       = 1
      hec_acknowledgment_timeout = 300
      retry_duration             = 3600

      s3_backup {
        mode = "FAILED"
      }
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}
