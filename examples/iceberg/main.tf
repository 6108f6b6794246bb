# Delivery to Apache Iceberg tables in the account's Glue Data Catalog:
# orders are upserted by order_id (a processor sets each record's
# operation), refunds are inserted; failed records go to a bucket the
# provider creates. The role may update exactly these two tables and write
# only to the warehouse bucket.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "iceberg"
}

variable "warehouse_location" {
  type        = string
  description = "S3 location of the tables, e.g. s3://my-lake/warehouse/."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    iceberg {
      warehouse_location = var.warehouse_location
      buffering_interval = 60

      table {
        database    = "sales"
        name        = "orders"
        unique_keys = ["order_id"]
      }
      table {
        database = "sales"
        name     = "refunds"
      }

      s3_backup {} # failed records, to a bucket the provider creates
    }
  }
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
