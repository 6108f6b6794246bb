# Delivery to an Amazon OpenSearch Serverless collection; documents the
# collection refuses go to a bucket the provider creates. The role may call
# exactly this collection's API; the collection's data access policy must
# also admit the role (firehose_delivery_stream.this.destination_role_arn).
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "opensearch-serverless"
}

variable "collection_endpoint" {
  type        = string
  description = "The collection's endpoint, e.g. aws_opensearchserverless_collection.logs.collection_endpoint."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    opensearch_serverless {
      collection_endpoint = var.collection_endpoint
      index_name          = "events"
      buffering_interval  = 60

      s3_backup {} # failed documents, to a bucket the provider creates
    }
  }
}

output "destination_role_arn" {
  description = "Admit this role in the collection's data access policy."
  value       = firehose_delivery_stream.this.destination_role_arn
}
