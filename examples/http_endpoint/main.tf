# Delivery to your own HTTPS endpoint (CDK v2 "HttpEndpoint"). Records are
# POSTed in Firehose's JSON envelope (requestId, timestamp, records[].data in
# base64); records the endpoint does not accept go to a bucket the provider
# creates. scripts/demo-http runs this against a local receiver.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "http-endpoint"
}

variable "url" {
  type        = string
  description = "HTTPS URL of the endpoint."
}

variable "access_key" {
  type        = string
  description = "The endpoint's access key, e.g. from TF_VAR_access_key; never stored."
  ephemeral   = true
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    http_endpoint {
      url                   = var.url
      name                  = "my-endpoint"
      access_key_wo         = var.access_key
      access_key_wo_version = 1
      content_encoding      = "NONE"
      common_attributes     = { source = "firehose" }
      buffering_interval    = 60
      buffering_size        = 1

      processor {
        append_delimiter_to_record {}
      }

      s3_backup {}
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}
