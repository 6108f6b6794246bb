use std::time::Instant;

/// Logs the start and end of an RPC with the fields terraform-plugin-log
/// uses, so `TF_LOG=debug` shows which RPC and resource a line belongs to.
pub(super) struct RpcLog {
    rpc: &'static str,
    resource: String,
    started: Instant,
}

/// `resource` is empty for provider-level RPCs, and for resource RPCs whose
/// type is not decoded yet.
pub(super) fn rpc_log(rpc: &'static str, resource: &str) -> RpcLog {
    if resource.is_empty() {
        crate::debug!(["tf_rpc" = rpc], "Received request");
    } else {
        crate::debug!(["tf_rpc" = rpc, "tf_resource_type" = resource], "Received request");
    }
    RpcLog { rpc, resource: resource.to_string(), started: Instant::now() }
}

impl Drop for RpcLog {
    fn drop(&mut self) {
        let ms = self.started.elapsed().as_millis();
        if self.resource.is_empty() {
            crate::debug!(["tf_rpc" = self.rpc, "tf_req_duration_ms" = ms], "Served request");
        } else {
            crate::debug!(
                ["tf_rpc" = self.rpc, "tf_resource_type" = self.resource, "tf_req_duration_ms" = ms],
                "Served request"
            );
        }
    }
}
