//! ORC output end to end, with every ORC setting (`dictionary_key_threshold`
//! included): `examples/format_conversion` with its Parquet block swapped
//! for ORC applies, plans clean, changes a setting in place, imports clean
//! and destroys leaving nothing.

mod support;

use aws_sdk_firehose::types as fh;
use support::given::{supply, tfvars};
use support::{moto, unique, Tf};

const PARQUET: &str = "          parquet {\n            compression = \"SNAPPY\"\n          }";

fn orc(threshold: &str) -> String {
    format!(
        "          orc {{\n            compression              = \"ZLIB\"\n            stripe_size_bytes        = 8388608\n            \
         bloom_filter_columns     = [\"customer_id\"]\n            dictionary_key_threshold = {threshold}\n          }}"
    )
}

async fn orc_serde(aws: &support::aws::Aws, name: &str) -> fh::OrcSerDe {
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    let s3 = d.destinations()[0].extended_s3_destination_description().unwrap();
    let conv = s3.data_format_conversion_configuration().unwrap();
    conv.output_format_configuration().and_then(|o| o.serializer()).and_then(|s| s.orc_ser_de()).unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn orc_output_with_every_setting() {
    let example = std::fs::read_to_string(support::repo().join("examples/format_conversion/main.tf")).unwrap();
    assert!(example.contains(PARQUET), "the example's Parquet block moved");
    let main = example.replace(PARQUET, &orc("0.4"));
    let aws = support::aws::clients(moto()).await;
    let name = unique("orc");
    let given = supply(&aws, &main, &name).await;
    let tf = Tf::new(&main);
    tf.write("terraform.tfvars", &tfvars(&given.vars));
    tf.apply().ok();
    let o = orc_serde(&aws, &name).await;
    assert_eq!(o.compression(), Some(&fh::OrcCompression::Zlib));
    assert_eq!(o.dictionary_key_threshold(), Some(0.4));
    assert_eq!(o.bloom_filter_columns(), ["customer_id".to_string()]);
    tf.assert_no_changes();

    tf.write("main.tf", &example.replace(PARQUET, &orc("1")));
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    assert_eq!(orc_serde(&aws, &name).await.dictionary_key_threshold(), Some(1.0));
    tf.assert_no_changes();

    tf.reimport(&name);
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
