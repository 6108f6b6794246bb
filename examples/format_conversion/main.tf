# Record format conversion (CDK v2 "dataFormatConversion"): JSON records are
# converted to Parquet with the columns of a Glue table. The destination role is
# granted glue:GetTable, GetTableVersion and GetTableVersions on exactly that
# catalog, database and table. Compression stays UNCOMPRESSED (Parquet compresses)
# and buffering defaults to 128 MiB.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "format-conversion"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "glue_database" {
  type        = string
  description = "Glue database holding the table."
}

variable "glue_table" {
  type        = string
  description = "Glue table whose columns the records are converted to."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn          = var.bucket_arn
      data_output_prefix  = "events/!{timestamp:yyyy/MM/dd}/"
      error_output_prefix = "errors/!{firehose:error-output-type}/"

      data_format_conversion {
        input {
          openx_json {
            case_insensitive = true
          }
        }
        output {
          parquet {
            compression = "SNAPPY"
          }
        }
        schema {
          database_name = var.glue_database
          table_name    = var.glue_table
        }
      }
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}
