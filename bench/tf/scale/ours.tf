# Copied into the benchmark's copy of bench/tf/ours for N = 200 (with
# -var regions=4): moto holds at most 50 delivery streams per region, so the
# streams are spread over four regions, one provider configuration each.
# Names carry the region's index: IAM role names are global to the account.
locals {
  per_region = ceil(var.n / var.regions)
  more       = { r1 = "us-west-2", r2 = "eu-west-1", r3 = "ap-southeast-2" }
}

provider "firehose" {
  alias        = "r1"
  region       = local.more.r1
  access_key   = "bench"
  secret_key   = "bench"
  endpoint_url = var.endpoint
}

provider "firehose" {
  alias        = "r2"
  region       = local.more.r2
  access_key   = "bench"
  secret_key   = "bench"
  endpoint_url = var.endpoint
}

provider "firehose" {
  alias        = "r3"
  region       = local.more.r3
  access_key   = "bench"
  secret_key   = "bench"
  endpoint_url = var.endpoint
}

resource "firehose_delivery_stream" "r1" {
  provider = firehose.r1
  count    = local.per_region
  name     = "${var.prefix}-r1-${count.index}"
  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
    }
  }
  tags = { bench = "firehose" }
}

resource "firehose_delivery_stream" "r2" {
  provider = firehose.r2
  count    = local.per_region
  name     = "${var.prefix}-r2-${count.index}"
  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
    }
  }
  tags = { bench = "firehose" }
}

resource "firehose_delivery_stream" "r3" {
  provider = firehose.r3
  count    = local.per_region
  name     = "${var.prefix}-r3-${count.index}"
  destination {
    s3_bucket {
      bucket_arn = var.bucket_arn
    }
  }
  tags = { bench = "firehose" }
}
