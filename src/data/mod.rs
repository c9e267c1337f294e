//! Data sets for the network labs: seeded 2-D generators (labels 0/1) and a parser for the
//! bundled CSV files (header row, last column `label`), which the page fetches from its own
//! `www/data/` and hands over as text.
//!
//! Generators (coordinates roughly in [−1, 1]², `noise` = standard deviation of Gaussian noise
//! added to each coordinate, in the same units):
//! - `circle`: class 1 uniformly in the disk r ≤ 0.5, class 0 in the ring 0.7 ≤ r ≤ 1
//!   (TensorFlow Playground's circle, scaled).
//! - `xor`: uniform in [−1, 1]² (kept 0.05 away from the axes), class 1 where x·y > 0.
//! - `blobs`: two Gaussian blobs (σ = 0.25) at (−0.5, −0.5) (class 0) and (0.5, 0.5) (class 1).
//! - `spiral`: two interleaved spirals of 1.75 turns, radius 0 → 1.
//! - `moons`: scikit-learn's `make_moons`, centred and scaled by 0.8.

use crate::nn::rng::Rng;
use std::f64::consts::PI;

/// Most samples a data set may hold.
pub const MAX_SAMPLES: usize = 100_000;
/// Most features a sample may have.
pub const MAX_FEATURES: usize = 4096;
/// Most numbers in a data set (samples × features).
pub const MAX_VALUES: usize = 16 << 20;
/// Most classes.
pub const MAX_CLASSES: usize = 1000;

/// Samples (row-major, `dim` features each) with integer class labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub x: Vec<f64>,
    pub labels: Vec<u32>,
    pub dim: usize,
    pub n_classes: usize,
    pub features: Vec<String>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.labels.len()
    }
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.dim..(i + 1) * self.dim]
    }
    fn from_rows(x: Vec<f64>, labels: Vec<u32>, dim: usize, features: Vec<String>) -> Dataset {
        let n_classes = labels.iter().max().map_or(0, |&m| m as usize + 1);
        Dataset {
            x,
            labels,
            dim,
            n_classes,
            features,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generator {
    Circle,
    Xor,
    Blobs,
    Spiral,
    Moons,
}

pub const GENERATORS: &[&str] = &["circle", "xor", "blobs", "spiral", "moons"];

impl Generator {
    pub fn by_name(name: &str) -> Option<Generator> {
        Some(match name {
            "circle" => Generator::Circle,
            "xor" => Generator::Xor,
            "blobs" | "gaussian" => Generator::Blobs,
            "spiral" => Generator::Spiral,
            "moons" => Generator::Moons,
            _ => return None,
        })
    }

    /// `n` samples, half of each class (class 0 first, then alternating), with Gaussian noise.
    pub fn generate(self, n: usize, noise: f64, rng: &mut Rng) -> Dataset {
        let mut x = Vec::with_capacity(2 * n);
        let mut labels = Vec::with_capacity(n);
        for i in 0..n {
            let label = (i % 2) as u32;
            // Position of this sample within its class, in [0, 1).
            let frac = (i / 2) as f64 / n.div_ceil(2).max(1) as f64;
            let [px, py] = match self {
                Generator::Circle => {
                    let (r0, r1) = if label == 1 { (0.0, 0.5) } else { (0.7, 1.0) };
                    let r = rng.range(r0, r1);
                    let a = rng.range(0.0, 2.0 * PI);
                    [r * a.cos(), r * a.sin()]
                }
                Generator::Xor => loop {
                    let (a, b) = (rng.range(-1.0, 1.0), rng.range(-1.0, 1.0));
                    if a.abs() < 0.05 || b.abs() < 0.05 || ((a * b > 0.0) != (label == 1)) {
                        continue;
                    }
                    break [a, b];
                },
                Generator::Blobs => {
                    let c = if label == 1 { 0.5 } else { -0.5 };
                    [c + 0.25 * rng.normal(), c + 0.25 * rng.normal()]
                }
                Generator::Spiral => {
                    let r = frac;
                    let t = 1.75 * 2.0 * PI * frac + if label == 1 { PI } else { 0.0 };
                    [r * t.sin(), r * t.cos()]
                }
                Generator::Moons => {
                    let t = rng.range(0.0, PI);
                    let (a, b) = if label == 0 {
                        (t.cos(), t.sin())
                    } else {
                        (1.0 - t.cos(), 0.5 - t.sin())
                    };
                    [0.8 * (a - 0.5), 0.8 * (b - 0.25)]
                }
            };
            x.push(px + noise * rng.normal());
            x.push(py + noise * rng.normal());
            labels.push(label);
        }
        Dataset::from_rows(x, labels, 2, vec!["x1".into(), "x2".into()])
    }
}

/// A CSV problem: 1-based line and message.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn cell(s: &str) -> String {
    let s: String = s.chars().take(24).collect();
    format!("{s:?}")
}

/// Parse the bundled format: a header row of feature names, then one sample per line, numbers
/// separated by commas, the last column the integer class label (named `label`). Blank lines
/// are skipped; `\r\n` is accepted.
pub fn parse_csv(text: &str) -> Result<Dataset, CsvError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(CsvError {
            line: 1,
            message: "empty: expected a header row".into(),
        });
    };
    let names: Vec<String> = header.split(',').map(|s| s.trim().to_string()).collect();
    if names.len() < 2 {
        return Err(CsvError {
            line: 1,
            message: "need at least one feature column and a label column".into(),
        });
    }
    let dim = names.len() - 1;
    if dim > MAX_FEATURES {
        return Err(CsvError {
            line: 1,
            message: format!("at most {MAX_FEATURES} features (got {dim})"),
        });
    }
    if names[dim] != "label" {
        return Err(CsvError {
            line: 1,
            message: format!(
                "the last column must be named \"label\" (got {})",
                cell(&names[dim])
            ),
        });
    }
    let mut x = Vec::new();
    let mut labels = Vec::new();
    for (i, line) in lines {
        let ln = i + 1;
        if labels.len() >= MAX_SAMPLES || x.len() + dim > MAX_VALUES {
            return Err(CsvError {
                line: ln,
                message: format!(
                    "too many samples (at most {MAX_SAMPLES} and {MAX_VALUES} numbers)"
                ),
            });
        }
        let mut count = 0;
        for (c, field) in line.split(',').enumerate() {
            count += 1;
            if c > dim {
                continue;
            }
            let f = field.trim();
            let v: f64 = f.parse().map_err(|_| CsvError {
                line: ln,
                message: format!("column {}: not a number ({})", c + 1, cell(f)),
            })?;
            if !v.is_finite() {
                return Err(CsvError {
                    line: ln,
                    message: format!("column {}: not a finite number ({})", c + 1, cell(f)),
                });
            }
            if c < dim {
                x.push(v);
            } else if v.fract() != 0.0 || v < 0.0 || v >= MAX_CLASSES as f64 {
                return Err(CsvError {
                    line: ln,
                    message: format!("label must be an integer in [0, {}) (got {v})", MAX_CLASSES),
                });
            } else {
                labels.push(v as u32);
            }
        }
        if count != dim + 1 {
            return Err(CsvError {
                line: ln,
                message: format!("expected {} columns (got {count})", dim + 1),
            });
        }
    }
    if labels.is_empty() {
        return Err(CsvError {
            line: 2,
            message: "no samples".into(),
        });
    }
    let features = header
        .split(',')
        .take(dim)
        .map(|s| s.trim().to_string())
        .collect();
    Ok(Dataset::from_rows(x, labels, dim, features))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn generators_are_seeded_balanced_and_in_range() {
        for &name in GENERATORS {
            let g = Generator::by_name(name).unwrap();
            let a = g.generate(201, 0.1, &mut Rng::new(5));
            assert_eq!(a, g.generate(201, 0.1, &mut Rng::new(5)), "{name}");
            assert_ne!(a.x, g.generate(201, 0.1, &mut Rng::new(6)).x, "{name}");
            assert_eq!((a.len(), a.dim, a.n_classes), (201, 2, 2));
            assert_eq!(a.labels.iter().filter(|&&l| l == 1).count(), 100);
            assert!(a.x.iter().all(|v| v.abs() < 2.0), "{name}");
        }
        let xor = Generator::Xor.generate(100, 0.0, &mut Rng::new(1));
        for i in 0..100 {
            let r = xor.row(i);
            assert_eq!(xor.labels[i] == 1, r[0] * r[1] > 0.0);
        }
    }

    #[test]
    fn csv_parses_and_reports_lines() {
        let d = parse_csv("a,b,label\r\n1,2,0\n\n3.5,-4e-1,2\n").unwrap();
        assert_eq!((d.len(), d.dim, d.n_classes), (2, 2, 3));
        assert_eq!(d.x, vec![1.0, 2.0, 3.5, -0.4]);
        assert_eq!(d.features, vec!["a", "b"]);
        let e = parse_csv("a,b,label\n1,2,0\n1,x,1\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("column 2"), "{e}");
        assert!(parse_csv("a,b,label\n1,2\n").is_err());
        assert!(parse_csv("a,b,label\n1,2,0.5\n").is_err());
        assert!(parse_csv("a,b,y\n1,2,0\n").is_err());
        assert!(parse_csv("").is_err());
        assert!(parse_csv("a,label\n").is_err());
        assert!(parse_csv("a,label\nNaN,1\n").is_err());
    }
}
