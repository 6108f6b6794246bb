//! The OpenSearch Serverless kind behind the `Destination` trait: what the registry
//! calls, tying together the block and rules (`mod.rs`, `rules.rs`) and the
//! SDK shapes (`api.rs`). Nothing in the kind imports this file back.

use super::*;

impl Destination for OpenSearchServerless {
    fn name(&self) -> &'static str {
        "opensearch_serverless"
    }

    fn log_stream(&self) -> &'static str {
        LOG_STREAM
    }

    fn block(&self) -> Block {
        block()
    }

    fn refs(&self, v: &Value, at: &AttrPath) -> Vec<crate::resources::delivery_stream::kind::Reference> {
        let mut out =
            vec![(crate::resources::delivery_stream::kind::RefKind::Collection, at.at("collection_endpoint"), v.attr("collection_endpoint").clone())];
        out.extend(search::vpc_ref(v, at));
        out
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        search::validate(v, at, c);
    }

    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        search::requires_replace(prior, planned, at)
    }

    fn grants(&self, v: &Value, _stream: &str, ctx: &Ctx, g: &mut Grants) -> Option<()> {
        let (id, region) = collection(v.attr("collection_endpoint").as_str()?).ok()?;
        let arn = Arn::new(&ctx.partition, "aoss", &region, &ctx.account, format!("collection/{id}")).to_string();
        g.statements.push(
            json!({"Sid": "OpenSearchServerless", "Effect": "Allow", "Action": "aoss:APIAccessAll", "Resource": arn}),
        );
        search::vpc_grants(v, &ctx.region, &ctx.partition, &ctx.account, g)
    }

    fn metrics(&self, _v: &Value) -> Vec<&'static str> {
        METRICS.to_vec()
    }

    crate::resources::delivery_stream::kind::sdk_methods!(
        api,
        amazon_open_search_serverless_destination_configuration,
        amazon_open_search_serverless_destination_update,
        amazon_open_search_serverless_destination_description
    );
}
