//! The TypeScript name unions the wasm module declares (src/web/*.rs's `typescript_custom_section`)
//! list exactly the names the engine's registries accept: a new optimizer, schedule, activation,
//! loss or initialization that is not in its union fails here, not in a page's type check.

use optplay::nn::activation::ACTIVATIONS;
use optplay::nn::init::INITS;
use optplay::nn::loss::LOSSES;
use optplay::optim::schedule::SCHEDULES;
use optplay::optim::OPTIMIZERS;
use std::collections::BTreeSet;

/// The string literals of the union that follows `marker` up to the next `;` (or `{`).
fn union(file: &str, marker: &str) -> BTreeSet<String> {
    let src =
        std::fs::read_to_string(format!("{}/src/web/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let start = src
        .find(marker)
        .unwrap_or_else(|| panic!("{file}: no {marker:?}"))
        + marker.len();
    let rest = &src[start..];
    let end = rest.find([';', '{']).unwrap();
    rest[..end]
        .split('|')
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            assert!(
                s.starts_with('"') && s.ends_with('"'),
                "{marker} {s}: not a string literal"
            );
            s.trim_matches('"').to_string()
        })
        .collect()
}

fn set(names: impl IntoIterator<Item = &'static str>) -> BTreeSet<String> {
    names.into_iter().map(String::from).collect()
}

#[test]
fn the_typescript_unions_are_the_registries() {
    assert_eq!(
        union("mod.rs", "export interface OptimizerSpec {\n  name:"),
        set(OPTIMIZERS.iter().map(|d| d.name))
    );
    assert_eq!(
        union("mod.rs", "export interface SchedulerSpec {\n  name:"),
        set(SCHEDULES.iter().map(|d| d.name))
    );
    assert_eq!(
        union("nn.rs", "export type ActivationName ="),
        set(ACTIVATIONS.iter().copied())
    );
    assert_eq!(
        union("nn.rs", "export type LossName ="),
        set(LOSSES.iter().copied())
    );
    assert_eq!(
        union("nn.rs", "export type InitName ="),
        set(INITS.iter().copied())
    );
}
