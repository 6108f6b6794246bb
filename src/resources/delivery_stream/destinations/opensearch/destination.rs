//! The OpenSearch Service kind behind the `Destination` trait: what the registry
//! calls, tying together the block and rules (`mod.rs`, `rules.rs`) and the
//! SDK shapes (`api.rs`). Nothing in the kind imports this file back.

use super::*;

impl Destination for OpenSearch {
    fn name(&self) -> &'static str {
        "opensearch"
    }

    fn log_stream(&self) -> &'static str {
        LOG_STREAM
    }

    fn block(&self) -> Block {
        block()
    }

    fn refs(&self, v: &Value, at: &AttrPath) -> Vec<crate::resources::delivery_stream::kind::Reference> {
        let mut out = vec![
            (crate::resources::delivery_stream::kind::RefKind::Domain, at.at("domain_arn"), v.attr("domain_arn").clone()),
            (crate::resources::delivery_stream::kind::RefKind::DomainEndpoint, at.at("cluster_endpoint"), v.attr("cluster_endpoint").clone()),
        ];
        out.extend(search::vpc_ref(v, at));
        out
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        search::validate(v, at, c);
        rules::validate(v, at, c);
    }

    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        search::requires_replace(prior, planned, at)
    }

    fn grants(&self, v: &Value, _stream: &str, ctx: &Ctx, g: &mut Grants) -> Option<()> {
        let domain = rules::domain(v, ctx)?;
        let index = v.attr("index_name").as_str()?;
        let ty = v.attr("type_name");
        if !ty.is_known() {
            return None;
        }
        let mapping = match ty.as_str() {
            Some(t) => format!("{domain}/{index}*/_mapping/{t}"),
            None => format!("{domain}/{index}*/_mapping"),
        };
        g.statements.push(json!({
            "Sid": "OpenSearchDomain",
            "Effect": "Allow",
            "Action": DOMAIN_ACTIONS,
            "Resource": [domain.clone(), format!("{domain}/*")],
        }));
        let reads: Vec<String> =
            ["_all/_settings", "_cluster/stats", "_nodes", "_nodes/stats", "_nodes/*/stats", "_stats"]
                .iter()
                .map(|p| format!("{domain}/{p}"))
                .chain([mapping, format!("{domain}/{index}*/_stats"), format!("{domain}/")])
                .collect();
        g.statements
            .push(json!({"Sid": "OpenSearchReads", "Effect": "Allow", "Action": "es:ESHttpGet", "Resource": reads}));
        search::vpc_grants(v, &ctx.region, &ctx.partition, &ctx.account, g)
    }

    fn metrics(&self, _v: &Value) -> Vec<&'static str> {
        METRICS.to_vec()
    }

    crate::resources::delivery_stream::kind::sdk_methods!(
        api,
        amazonopensearchservice_destination_configuration,
        amazonopensearchservice_destination_update,
        amazonopensearchservice_destination_description
    );
}
