# Terraform 1.14 and later. After `terraform apply`, run
#   terraform apply -invoke=action.firehose_delivery_check.events
# to put one canary record into the stream and see the object it lands in
# (or the error Firehose logged). Terraform 1.13 ignores this block and
# older lines cannot read it: delete the file there, main.tf works alone.
action "firehose_delivery_check" "events" {
  config {
    stream_name = firehose_delivery_stream.events.name
  }
}
