# Mirrors the CDK README section "Data Processing/Transformation > Data transformation
# with AWS Lambda": records are transformed by a Lambda function you supply before
# delivery, with custom buffering and retries (CDK: 5 minutes, 5 MiB, 5 retries; Firehose
# caps the processor buffer at 3 MiB, so 3 is used here). The destination role is granted
# lambda:InvokeFunction and lambda:GetFunctionConfiguration on exactly that function.
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

variable "name" {
  type        = string
  description = "Name of the delivery stream; the parts the provider creates are named after it."
  default     = "lambda-processor"
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the S3 bucket records are delivered to."
}

variable "lambda_arn" {
  type        = string
  description = "ARN of the Lambda function that transforms records before delivery."
}

provider "firehose" {}

resource "firehose_delivery_stream" "this" {
  name = var.name

  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn

      processor {
        lambda {
          function_arn    = var.lambda_arn
          buffer_interval = 300 # seconds, 0..900
          buffer_size     = 3   # MiB, 0.2..3
          retries         = 5   # 0..300
        }
      }
    }
  }
}

output "arn" {
  value = firehose_delivery_stream.this.arn
}

output "destination_role_arn" {
  value = firehose_delivery_stream.this.destination_role_arn
}

output "destination_role_policy_json" {
  value = firehose_delivery_stream.this.destination_role_policy_json
}
