//! The `torch.nn` side of a network run, printed by the engine for the exported scripts (the
//! JS writes the script around these lines): the activation module, the loss module and the
//! `torch.nn.init` calls that draw W and b as the engine does (see `nn::init`).

use super::init::{Init, PRESETS};
use super::loss::Loss;
use crate::optim::torch::py_float;

impl Loss {
    /// The `torch.nn` loss module, `reduction='mean'` (its default).
    pub fn torch(self) -> &'static str {
        match self {
            Loss::Mse => "nn.MSELoss()",
            Loss::BceWithLogits => "nn.BCEWithLogitsLoss()",
            Loss::CrossEntropy => "nn.CrossEntropyLoss()",
        }
    }
}

/// Whether `s` is a Python attribute path like `net[0]` or `lin` (what `Init::torch_lines` splices
/// into code).
pub fn is_python_target(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
}

impl Init {
    /// Python lines that initialize `lin` (an `nn.Linear`, fan_in = `lin.in_features`) with the
    /// same distribution as the engine: W, then b (0 except for `torch_default`).
    pub fn torch_lines(&self, lin: &str) -> Vec<String> {
        let w = format!("{lin}.weight");
        let weight = match *self {
            Init::TorchDefault => {
                return vec![format!(
                    "{lin}.reset_parameters()  # nn.Linear's own: W, b ~ U(±1/sqrt(fan_in))"
                )]
            }
            Init::Zeros => format!("nn.init.zeros_({w})"),
            Init::Constant(c) => format!("nn.init.constant_({w}, {})", py_float(c)),
            Init::Uniform(a) => format!("nn.init.uniform_({w}, -{0}, {0})", py_float(a)),
            Init::Normal(s) => format!("nn.init.normal_({w}, 0.0, {})", py_float(s)),
            Init::XavierUniform { gain } => {
                format!("nn.init.xavier_uniform_({w}, gain={})", py_float(gain))
            }
            Init::XavierNormal {
                gain,
                fan_in_only: true,
            } => format!(
                "nn.init.normal_({w}, 0.0, {} / math.sqrt({lin}.in_features))  # Xavier, the lecture's N(0, 1/h[l-1])",
                py_float(gain)
            ),
            Init::XavierNormal { gain, .. } => format!(
                "nn.init.xavier_normal_({w}, gain={})  # N(0, 2/(h[l-1] + h[l]))",
                py_float(gain)
            ),
            Init::KaimingNormal {
                nonlinearity,
                fan_out,
            }
            | Init::KaimingUniform {
                nonlinearity,
                fan_out,
            } => format!(
                "nn.init.{}_({w}, a={}, mode=\"{}\", nonlinearity=\"{}\")",
                if matches!(self, Init::KaimingNormal { .. }) {
                    "kaiming_normal"
                } else {
                    "kaiming_uniform"
                },
                py_float(nonlinearity.a),
                if fan_out { "fan_out" } else { "fan_in" },
                nonlinearity.name
            ),
            Init::LecunNormal => format!(
                "nn.init.normal_({w}, 0.0, 1.0 / math.sqrt({lin}.in_features))  # LeCun: N(0, 1/fan_in)"
            ),
            Init::Orthogonal { gain } => {
                format!("nn.init.orthogonal_({w}, gain={})", py_float(gain))
            }
            Init::Preset(v) => {
                let name = PRESETS.iter().find(|p| p.1 == v).map_or("preset", |p| p.0);
                if v == 0.0 {
                    format!("nn.init.zeros_({w})  # deeplearning.ai \"{name}\"")
                } else {
                    format!(
                        "nn.init.normal_({w}, 0.0, math.sqrt({0} / {lin}.in_features))  # deeplearning.ai \"{name}\": N(0, {0}/fan_in)",
                        py_float(v)
                    )
                }
            }
        };
        vec![weight, format!("nn.init.zeros_({lin}.bias)")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::init::Nonlinearity;

    #[test]
    fn init_lines_name_torchs_functions_with_the_engines_parameters() {
        let cases: &[(Init, &str)] = &[
            (Init::Zeros, "nn.init.zeros_(lin.weight)"),
            (Init::Constant(0.5), "nn.init.constant_(lin.weight, 0.5)"),
            (Init::Uniform(0.2), "nn.init.uniform_(lin.weight, -0.2, 0.2)"),
            (Init::Normal(0.5), "nn.init.normal_(lin.weight, 0.0, 0.5)"),
            (Init::XavierUniform { gain: 1.0 }, "nn.init.xavier_uniform_(lin.weight, gain=1.0)"),
            (
                Init::KaimingUniform {
                    nonlinearity: Nonlinearity::new("identity", 0.0).unwrap(),
                    fan_out: true,
                },
                "nn.init.kaiming_uniform_(lin.weight, a=0.0, mode=\"fan_out\", nonlinearity=\"linear\")",
            ),
            (Init::Orthogonal { gain: 2.0 }, "nn.init.orthogonal_(lin.weight, gain=2.0)"),
        ];
        for (init, line) in cases {
            let l = init.torch_lines("lin");
            assert_eq!(l, [line.to_string(), "nn.init.zeros_(lin.bias)".into()]);
        }
        assert!(Init::Preset(100.0).torch_lines("net[0]")[0]
            .contains("math.sqrt(100.0 / net[0].in_features))  # deeplearning.ai \"too_large\""));
        assert_eq!(Init::TorchDefault.torch_lines("lin").len(), 1);
        assert!(is_python_target("net[2]") && is_python_target("lin"));
        assert!(
            !is_python_target("x); import os") && !is_python_target("") && !is_python_target("0a")
        );
    }
}
