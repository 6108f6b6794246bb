//! Figures of one reliability scenario for docs/reliability.md: with
//! `RELIABILITY_SUMMARY=<file>` each scenario appends one JSON line
//! (`scripts/reliability` renders them).

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

/// Figures of one scenario for docs/reliability.md.
#[derive(Default)]
pub struct Figures {
    pub operations: u64,
    pub converged: u64,
    pub kill_points: u64,
    pub orphans: u64,
    pub calls: u64,
    pub faults: BTreeMap<String, u64>,
    pub notes: Vec<String>,
}

impl Figures {
    pub fn op(&mut self, ok: bool) {
        self.operations += 1;
        self.converged += u64::from(ok);
    }

    pub fn add_stats(&mut self, stats: &Json) {
        self.calls += stats["total"].as_u64().unwrap_or(0);
        if let Some(f) = stats["faults"].as_object() {
            for (k, v) in f {
                *self.faults.entry(k.clone()).or_default() += v.as_u64().unwrap_or(0);
            }
        }
    }

    pub fn write(&self, scenario: &str) {
        let Ok(path) = std::env::var("RELIABILITY_SUMMARY") else { return };
        let line = json!({
            "scenario": scenario,
            "operations": self.operations,
            "converged": self.converged,
            "kill_points": self.kill_points,
            "orphans": self.orphans,
            "calls": self.calls,
            "faults": self.faults,
            "notes": self.notes,
        });
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("open summary");
        f.write_all(format!("{line}\n").as_bytes()).expect("write summary");
    }
}
