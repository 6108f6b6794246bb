# Delivery to an Amazon OpenSearch Service domain: documents go to a daily
# index (events-YYYY-MM-DD) with Firehose's document IDs, so retries never
# duplicate; documents the domain refuses go to a bucket the provider
# creates. The role may write to this domain only.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "opensearch"
}

variable "domain_arn" {
  type        = string
  description = "ARN of the OpenSearch Service domain, e.g. aws_opensearch_domain.logs.arn."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    opensearch {
      domain_arn            = var.domain_arn
      index_name            = "events"
      index_rotation_period = "OneDay"
      document_id           = "FIREHOSE_DEFAULT"
      buffering_interval    = 60

      s3_backup {} # failed documents, to a bucket the provider creates
    }
  }
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
