//! Weight initializations (`torch.nn.init`), seeded through an explicit [`Rng`]. For a dense
//! layer W[l] ∈ R^{h[l]×h[l−1]} (torch's [out][in]): fan_in = h[l−1], fan_out = h[l]. Biases are
//! 0 except for `torch_default`.
//!
//! | name | distribution of W | Var W |
//! |---|---|---|
//! | `zeros` / preset `zero` | 0 | 0 |
//! | `constant` (value c) | c | 0 |
//! | `uniform` (a) | U(−a, a) | a²/3 |
//! | `normal` (std σ) | N(0, σ²) | σ² |
//! | `xavier_uniform` (gain) | U(±gain·√(6/(fan_in + fan_out))) | gain²·2/(fan_in + fan_out) |
//! | `xavier_normal` (gain, variant `fan_avg`) | N(0, gain²·2/(fan_in + fan_out)), the lecture's second form | same |
//! | `xavier_normal` (variant `fan_in`) | N(0, gain²/fan_in), the lecture's first form N(0, 1/h[l−1]) | gain²/fan_in |
//! | `kaiming_normal` (mode, nonlinearity) | N(0, gain²/fan), gain √2 for relu | gain²/fan |
//! | `kaiming_uniform` (mode, nonlinearity) | U(±gain·√(3/fan)) | gain²/fan |
//! | `lecun_normal` | N(0, 1/fan_in) (plain, not truncated) | 1/fan_in |
//! | `orthogonal` (gain) | gain·Q, Q with orthonormal rows or columns (torch: QR of a Gaussian, sign-fixed) | gain²/max(fan_in, fan_out) |
//! | `torch_default` | `nn.Linear`'s own: W, b ~ U(±1/√fan_in) | 1/(3·fan_in) |
//! | presets `too_small`, `appropriate`, `too_large` (deeplearning.ai) | N(0, v/fan_in), v = 0.01, 1, 100 | v/fan_in |

use super::rng::Rng;
use crate::optim::Scalar;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    Zeros,
    Constant(f64),
    Uniform(f64),
    Normal(f64),
    XavierUniform {
        gain: f64,
    },
    XavierNormal {
        gain: f64,
        fan_in_only: bool,
    },
    KaimingNormal {
        nonlinearity: Nonlinearity,
        fan_out: bool,
    },
    KaimingUniform {
        nonlinearity: Nonlinearity,
        fan_out: bool,
    },
    LecunNormal,
    Orthogonal {
        gain: f64,
    },
    TorchDefault,
    /// deeplearning.ai's scale presets: W ~ N(0, v/fan_in).
    Preset(f64),
}

/// One parameter of an initialization spec (`{name, ...params}`), with its kind, range and default.
#[derive(Clone, Copy, Debug, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InitParam {
    Real {
        name: &'static str,
        min: f64,
        max: f64,
        default: f64,
    },
    Choice {
        name: &'static str,
        values: &'static [&'static str],
        default: &'static str,
    },
}

impl InitParam {
    pub fn name(&self) -> &'static str {
        match *self {
            InitParam::Real { name, .. } | InitParam::Choice { name, .. } => name,
        }
    }
}

/// A parameter's validated value, in the order of its definition's `params`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InitArg {
    Real(f64),
    Choice(&'static str),
}

fn real(a: &[InitArg], i: usize) -> f64 {
    match a.get(i) {
        Some(InitArg::Real(x)) => *x,
        _ => 0.0,
    }
}

fn choice(a: &[InitArg], i: usize) -> &'static str {
    match a.get(i) {
        Some(InitArg::Choice(c)) => c,
        _ => "",
    }
}

/// What the engine knows about one initialization: its spec name, a label with its distribution
/// (the pages' menus), its parameters and how they make an [`Init`].
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct InitDef {
    pub name: &'static str,
    pub label: &'static str,
    pub params: &'static [InitParam],
    #[serde(skip)]
    pub build: fn(&[InitArg]) -> Init,
}

const GAIN: InitParam = InitParam::Real {
    name: "gain",
    min: 0.0,
    max: 1e3,
    default: 1.0,
};
const KAIMING: &[InitParam] = &[
    InitParam::Real {
        name: "a",
        min: 0.0,
        max: 1e3,
        default: 0.0,
    },
    InitParam::Choice {
        name: "mode",
        values: &["fan_in", "fan_out"],
        default: "fan_in",
    },
    InitParam::Choice {
        name: "nonlinearity",
        values: NONLINEARITIES,
        default: "leaky_relu",
    },
];

fn kaiming(a: &[InitArg]) -> (Nonlinearity, bool) {
    let nl = Nonlinearity::new(choice(a, 2), real(a, 0)).unwrap_or(Nonlinearity::RELU);
    (nl, choice(a, 1) == "fan_out")
}

/// The initializations, in the order the pages offer them.
pub const INIT_DEFS: [InitDef; 15] = [
    InitDef {
        name: "zeros",
        label: "zeros",
        params: &[],
        build: |_| Init::Zeros,
    },
    InitDef {
        name: "constant",
        label: "constant c",
        params: &[InitParam::Real {
            name: "value",
            min: -1e3,
            max: 1e3,
            default: 0.0,
        }],
        build: |a| Init::Constant(real(a, 0)),
    },
    InitDef {
        name: "uniform",
        label: "U(−a, a) with a fixed a",
        params: &[InitParam::Real {
            name: "a",
            min: 0.0,
            max: 1e3,
            default: 1.0,
        }],
        build: |a| Init::Uniform(real(a, 0)),
    },
    InitDef {
        name: "normal",
        label: "N(0, σ²) with a fixed σ",
        params: &[InitParam::Real {
            name: "std",
            min: 0.0,
            max: 1e3,
            default: 1.0,
        }],
        build: |a| Init::Normal(real(a, 0)),
    },
    InitDef {
        name: "xavier_uniform",
        label: "Xavier (Glorot) uniform",
        params: &[GAIN],
        build: |a| Init::XavierUniform { gain: real(a, 0) },
    },
    InitDef {
        name: "xavier_normal",
        label: "Xavier (Glorot) normal: N(0, 2/(n_in+n_out))",
        params: &[
            GAIN,
            InitParam::Choice {
                name: "variant",
                values: &["fan_avg", "fan_in"],
                default: "fan_avg",
            },
        ],
        build: |a| Init::XavierNormal {
            gain: real(a, 0),
            fan_in_only: choice(a, 1) == "fan_in",
        },
    },
    InitDef {
        name: "kaiming_normal",
        label: "He (Kaiming) normal: N(0, 2/n_in)",
        params: KAIMING,
        build: |a| {
            let (nonlinearity, fan_out) = kaiming(a);
            Init::KaimingNormal {
                nonlinearity,
                fan_out,
            }
        },
    },
    InitDef {
        name: "kaiming_uniform",
        label: "He (Kaiming) uniform",
        params: KAIMING,
        build: |a| {
            let (nonlinearity, fan_out) = kaiming(a);
            Init::KaimingUniform {
                nonlinearity,
                fan_out,
            }
        },
    },
    InitDef {
        name: "lecun_normal",
        label: "LeCun normal: N(0, 1/n_in)",
        params: &[],
        build: |_| Init::LecunNormal,
    },
    InitDef {
        name: "orthogonal",
        label: "orthogonal",
        params: &[GAIN],
        build: |a| Init::Orthogonal { gain: real(a, 0) },
    },
    InitDef {
        name: "torch_default",
        label: "PyTorch default: U(±1/√n_in)",
        params: &[],
        build: |_| Init::TorchDefault,
    },
    InitDef {
        name: "zero",
        label: "deeplearning.ai \"zero\"",
        params: &[],
        build: |_| Init::Preset(PRESETS[0].1),
    },
    InitDef {
        name: "too_small",
        label: "deeplearning.ai \"too small\": N(0, 0.01/n_in)",
        params: &[],
        build: |_| Init::Preset(PRESETS[1].1),
    },
    InitDef {
        name: "appropriate",
        label: "deeplearning.ai \"appropriate\": N(0, 1/n_in)",
        params: &[],
        build: |_| Init::Preset(PRESETS[2].1),
    },
    InitDef {
        name: "too_large",
        label: "deeplearning.ai \"too large\": N(0, 100/n_in)",
        params: &[],
        build: |_| Init::Preset(PRESETS[3].1),
    },
];

/// Names accepted in specs (the registry's, in its order).
pub const INITS: &[&str] = &{
    let mut names = [""; INIT_DEFS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = INIT_DEFS[i].name;
        i += 1;
    }
    names
};

/// The deeplearning.ai presets: name and v in W ~ N(0, v/fan_in).
pub const PRESETS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("too_small", 0.01),
    ("appropriate", 1.0),
    ("too_large", 100.0),
];

/// The nonlinearities `torch.nn.init.calculate_gain` knows (Kaiming's `nonlinearity`), and
/// `identity`, the activation's name for `linear`.
pub const NONLINEARITIES: &[&str] = &[
    "linear",
    "identity",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
];

/// Kaiming's `nonlinearity` and `a` (leaky_relu's negative slope), as torch takes them; the gain
/// is `calculate_gain(nonlinearity, a)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Nonlinearity {
    pub name: &'static str,
    pub a: f64,
}

impl Nonlinearity {
    /// `identity` is accepted for `linear` (the activation's name).
    pub fn new(name: &str, a: f64) -> Option<Nonlinearity> {
        let name = match *NONLINEARITIES.iter().find(|n| **n == name)? {
            "identity" => "linear",
            n => n,
        };
        Some(Nonlinearity { name, a })
    }

    /// ReLU's √2 (torch's default nonlinearity leaky_relu with a = 0).
    pub const RELU: Nonlinearity = Nonlinearity {
        name: "relu",
        a: 0.0,
    };

    /// torch.nn.init.calculate_gain.
    pub fn gain(self) -> f64 {
        match self.name {
            "tanh" => 5.0 / 3.0,
            "relu" => std::f64::consts::SQRT_2,
            "leaky_relu" => (2.0 / (1.0 + self.a * self.a)).sqrt(),
            "selu" => 0.75,
            _ => 1.0,
        }
    }
}

impl Init {
    /// The variance of each weight this scheme promises (what the statistical tests check).
    pub fn variance(&self, fan_in: usize, fan_out: usize) -> f64 {
        let (fi, fo) = (fan_in as f64, fan_out as f64);
        match *self {
            Init::Zeros | Init::Constant(_) => 0.0,
            Init::Uniform(a) => a * a / 3.0,
            Init::Normal(s) => s * s,
            Init::XavierUniform { gain } => gain * gain * 2.0 / (fi + fo),
            Init::XavierNormal { gain, fan_in_only } => {
                gain * gain
                    * if fan_in_only {
                        1.0 / fi
                    } else {
                        2.0 / (fi + fo)
                    }
            }
            Init::KaimingNormal {
                nonlinearity,
                fan_out,
            }
            | Init::KaimingUniform {
                nonlinearity,
                fan_out,
            } => nonlinearity.gain().powi(2) / if fan_out { fo } else { fi },
            Init::LecunNormal => 1.0 / fi,
            Init::Orthogonal { gain } => gain * gain / fi.max(fo),
            Init::TorchDefault => 1.0 / (3.0 * fi),
            Init::Preset(v) => v / fi,
        }
    }

    /// Fill W (fan_out rows × fan_in columns, row-major) and b (fan_out).
    pub fn fill<F: Scalar>(
        &self,
        w: &mut [F],
        b: &mut [F],
        fan_in: usize,
        fan_out: usize,
        rng: &mut Rng,
    ) {
        let (fi, fo) = (fan_in.max(1) as f64, fan_out.max(1) as f64);
        b.iter_mut().for_each(|v| *v = F::zero());
        let normal = |w: &mut [F], rng: &mut Rng, s: f64| {
            w.iter_mut().for_each(|v| *v = F::of(s * rng.normal()))
        };
        let uniform = |w: &mut [F], rng: &mut Rng, a: f64| {
            w.iter_mut().for_each(|v| *v = F::of(rng.range(-a, a)))
        };
        match *self {
            Init::Zeros => w.iter_mut().for_each(|v| *v = F::zero()),
            Init::Constant(c) => w.iter_mut().for_each(|v| *v = F::of(c)),
            Init::Uniform(a) => uniform(w, rng, a),
            Init::Normal(s) => normal(w, rng, s),
            Init::XavierUniform { gain } => uniform(w, rng, gain * (6.0 / (fi + fo)).sqrt()),
            Init::XavierNormal { .. }
            | Init::KaimingNormal { .. }
            | Init::LecunNormal
            | Init::Preset(_) => {
                normal(w, rng, self.variance(fan_in.max(1), fan_out.max(1)).sqrt())
            }
            Init::KaimingUniform { .. } => uniform(
                w,
                rng,
                (3.0 * self.variance(fan_in.max(1), fan_out.max(1))).sqrt(),
            ),
            Init::Orthogonal { gain } => orthogonal(w, fan_out, fan_in, gain, rng),
            Init::TorchDefault => {
                let a = 1.0 / fi.sqrt();
                uniform(w, rng, a);
                uniform(b, rng, a);
            }
        }
    }
}

/// torch.nn.init.orthogonal_: for rows ≥ cols, the Q of a rows×cols Gaussian matrix (orthonormal
/// columns); otherwise the transpose of that for cols×rows (orthonormal rows); times gain.
/// Q comes from modified Gram–Schmidt with one re-orthogonalization pass, whose R has a positive
/// diagonal — the same matrix as torch's QR with its sign correction.
fn orthogonal<F: Scalar>(w: &mut [F], rows: usize, cols: usize, gain: f64, rng: &mut Rng) {
    if rows == 0 || cols == 0 || w.len() < rows * cols {
        return;
    }
    let (tall, short) = (rows.max(cols), rows.min(cols));
    // `short` vectors of length `tall`, stored contiguously.
    let mut q: Vec<f64> = (0..tall * short).map(|_| rng.normal()).collect();
    for j in 0..short {
        let (done, rest) = q.split_at_mut(j * tall);
        let v = &mut rest[..tall];
        for _pass in 0..2 {
            for u in done.chunks_exact(tall) {
                let d: f64 = u.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(x, &y)| *x -= d * y);
            }
        }
        let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let n = if n > 0.0 { n } else { 1.0 };
        v.iter_mut().for_each(|x| *x /= n);
    }
    for r in 0..rows {
        for c in 0..cols {
            // rows ≥ cols: column c is vector c; otherwise row r is vector r.
            let v = if rows >= cols {
                q[c * tall + r]
            } else {
                q[r * tall + c]
            };
            w[r * cols + c] = F::of(gain * v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::spec;
    use crate::spec::Val;

    fn parse(json: &str) -> Result<Init, String> {
        let v: Val = serde_json::from_str(json).unwrap();
        spec::init(&v, "init").map_err(|e| e.to_string())
    }

    #[test]
    fn the_registry_names_each_initialization_once_and_builds_it_from_its_defaults() {
        let mut seen = std::collections::BTreeSet::new();
        for d in &INIT_DEFS {
            assert!(seen.insert(d.name), "{} twice", d.name);
            let defaults: Vec<InitArg> = d
                .params
                .iter()
                .map(|p| match *p {
                    InitParam::Real {
                        default, min, max, ..
                    } => {
                        assert!(
                            min <= default && default <= max,
                            "{}: default outside its range",
                            d.name
                        );
                        InitArg::Real(default)
                    }
                    InitParam::Choice {
                        default, values, ..
                    } => {
                        assert!(
                            values.contains(&default),
                            "{}: default not a choice",
                            d.name
                        );
                        InitArg::Choice(default)
                    }
                })
                .collect();
            assert_eq!(
                parse(&format!("{:?}", d.name)),
                Ok((d.build)(&defaults)),
                "{}",
                d.name
            );
        }
        assert_eq!(INITS.len(), INIT_DEFS.len());
        for (name, v) in PRESETS {
            assert_eq!(parse(&format!("{name:?}")), Ok(Init::Preset(*v)));
        }
        for n in NONLINEARITIES {
            assert!(Nonlinearity::new(n, 0.0).is_some(), "{n}");
        }
        assert_eq!(Nonlinearity::new("identity", 0.0).unwrap().name, "linear");
    }

    #[test]
    fn parameters_are_checked_by_kind_and_range_with_the_field_named() {
        assert_eq!(
            parse(
                r#"{"name":"kaiming_uniform","a":0.2,"mode":"fan_out","nonlinearity":"leaky_relu"}"#
            ),
            Ok(Init::KaimingUniform {
                nonlinearity: Nonlinearity {
                    name: "leaky_relu",
                    a: 0.2
                },
                fan_out: true
            })
        );
        assert_eq!(
            parse(r#"{"name":"xavier_normal","variant":"fan_in","gain":2}"#),
            Ok(Init::XavierNormal {
                gain: 2.0,
                fan_in_only: true
            })
        );
        for (json, field) in [
            (r#"{"name":"normal","std":-1}"#, "init.std"),
            (r#"{"name":"normal","std":"big"}"#, "init.std"),
            (r#"{"name":"kaiming_normal","mode":"fan_avg"}"#, "init.mode"),
            (
                r#"{"name":"kaiming_normal","nonlinearity":"swish"}"#,
                "init.nonlinearity",
            ),
            (r#"{"name":"xavier_normal","variant":3}"#, "init.variant"),
            (r#"{"name":"zeros","std":1}"#, "init.std"),
            (r#"{"name":"glorot"}"#, "init.name"),
            (r#""glorot""#, "init"),
        ] {
            let e = parse(json).unwrap_err();
            assert!(e.starts_with(&format!("{field}:")), "{json}: {e}");
        }
    }
}
