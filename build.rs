//! Compiles our own protocol definitions in `proto/` with a pure-Rust
//! protobuf compiler, so no `protoc` is needed on the build machine.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("proto")?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "proto"))
        .collect();
    files.sort();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    // A position-independent executable makes the dynamic loader apply tens
    // of thousands of relocations at every start, dirtying the pages they
    // touch; Terraform starts the provider several times per command. Go
    // providers are built the same way (not PIE).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    let fds = protox::compile(&files, ["proto"])?;
    tonic_build::configure().build_client(true).build_server(true).compile_fds(fds)?;
    Ok(())
}
