# Terraform's own floor: N resources that call no API. terraform_data is
# built into Terraform, so this measures what Terraform alone costs for N
# resources (start-up, graph walk, state), with the benchmark's variables.
variable "n" { type = number }
variable "endpoint" { type = string }
variable "bucket_arn" { type = string }
variable "regions" {
  type    = number
  default = 1
}

resource "terraform_data" "s" {
  count = var.n
  input = { name = "bench-floor-${count.index}", bucket_arn = var.bucket_arn }
}
