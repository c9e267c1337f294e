//! The engine's random generator, written out for the exported PyTorch scripts' Python port
//! (www/js/shared/py-engine.js, `EngineRng`): tests/data/engine_rng.json holds its streams, this
//! test checks the Rust generator against the file, and tests/js/rng-port.test.mjs runs the
//! Python port (python3, no torch needed) against the same file. `UPDATE_GOLDEN=1 cargo test
//! --test rng_port` rewrites the file after an intended change of the generator.
use optplay::rng::Rng;
use serde_json::{json, Value};

fn streams() -> Value {
    let mut cases = vec![];
    for (seed, tag) in [
        (0u64, None),
        (1, None),
        (7, Some(3u64)),
        (12345, Some(1)),
        (u64::MAX - 4, Some(4)),
    ] {
        let mut r = match tag {
            Some(t) => Rng::derive(seed, t),
            None => Rng::new(seed),
        };
        let u64s: Vec<String> = (0..5).map(|_| r.next_u64().to_string()).collect();
        let uniforms: Vec<f64> = (0..3).map(|_| r.uniform()).collect();
        let below: Vec<usize> = (0..5).map(|_| r.below(7)).collect();
        let mut perm: Vec<usize> = (0..20).collect();
        r.shuffle(&mut perm);
        cases.push(json!({"seed": seed.to_string(), "tag": tag, "u64": u64s, "uniform": uniforms, "below7": below, "shuffle20": perm}));
    }
    Value::Array(cases)
}

#[test]
fn the_python_port_has_the_engine_streams_to_match() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/engine_rng.json");
    let got = streams();
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::write(path, serde_json::to_string_pretty(&got).unwrap()).unwrap();
    }
    let want: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        got, want,
        "the engine's generator changed: update the Python port and the file"
    );
}
