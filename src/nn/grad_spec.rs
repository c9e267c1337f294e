//! The edge for `mlpGradients`: a network, its parameters and one batch, validated, or a
//! [`SpecError`] naming the field (`weights[1][2]: must have 4 numbers (got 3)`).

use super::activation::Activation;
use super::loss::Loss;
use super::spec::{
    activation, array, layer_sizes, loss, matrix, object, only_keys, string, unknown,
};
use crate::spec::{err, integer, number, SpecError, Val};

/// A validated `mlpGradients` spec: the network, its parameters and one batch.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientSpec {
    pub sizes: Vec<usize>,
    pub activation: Activation,
    pub loss: Loss,
    /// weights[l] flattened [out][in], then biases[l].
    pub params: Vec<f64>,
    pub inputs: Vec<f64>,
    pub rows: usize,
    pub targets: Vec<f64>,
    pub f32: bool,
}

const GRADIENT_FIELDS: &[&str] = &[
    "layer_sizes",
    "activation",
    "loss",
    "weights",
    "biases",
    "inputs",
    "targets",
    "dtype",
];

/// `{layer_sizes, activation, loss, weights[l][out][in], biases[l][out], inputs[B][h0],
/// targets ([B][hL] numbers; [B] class indices for cross_entropy, or numbers when hL = 1), dtype}`.
pub fn gradients(v: &Val) -> Result<GradientSpec, SpecError> {
    let kv = object(v, "spec")?;
    only_keys(kv, GRADIENT_FIELDS, "")?;
    let need = |k: &str| v.get(k).map_or_else(|| err(k, "is missing"), Ok);
    let sizes = layer_sizes(need("layer_sizes")?, "layer_sizes")?;
    let activation = activation(need("activation")?, "activation")?;
    let loss = loss(need("loss")?, "loss")?;
    let f32 = match v.get("dtype") {
        None => false,
        Some(d) => match string(d, "dtype")? {
            "f64" | "float64" => false,
            "f32" | "float32" => true,
            other => return unknown("dtype", "dtype", other, &["f64", "f32"]),
        },
    };
    let weights = array(need("weights")?, "weights")?;
    let biases = array(need("biases")?, "biases")?;
    let depth = sizes.len() - 1;
    for (name, a) in [("weights", weights), ("biases", biases)] {
        if a.len() != depth {
            return err(name, format!("must have {depth} layers (got {})", a.len()));
        }
    }
    let mut params = Vec::new();
    for l in 0..depth {
        let (i, o) = (sizes[l], sizes[l + 1]);
        let w = array(&weights[l], &format!("weights[{l}]"))?;
        if w.len() != o {
            return err(
                format!("weights[{l}]"),
                format!("must have {o} rows [out] (got {})", w.len()),
            );
        }
        params.extend(matrix(w, i, &format!("weights[{l}]"))?);
        let b = array(&biases[l], &format!("biases[{l}]"))?;
        if b.len() != o {
            return err(
                format!("biases[{l}]"),
                format!("must have {o} numbers (got {})", b.len()),
            );
        }
        for (j, x) in b.iter().enumerate() {
            params.push(number(x, &format!("biases[{l}][{j}]"))?);
        }
    }
    let rows_v = array(need("inputs")?, "inputs")?;
    if rows_v.is_empty() {
        return err("inputs", "must have at least one row");
    }
    let rows = rows_v.len();
    let inputs = matrix(rows_v, sizes[0], "inputs")?;
    let n_out = sizes[depth];
    let tv = array(need("targets")?, "targets")?;
    if tv.len() != rows {
        return err(
            "targets",
            format!("must have one row per input ({rows}; got {})", tv.len()),
        );
    }
    let targets = if loss == Loss::CrossEntropy {
        tv.iter()
            .enumerate()
            .map(|(r, t)| {
                let f = format!("targets[{r}]");
                let t = match t {
                    Val::Arr(a) if a.len() == 1 => &a[0],
                    t => t,
                };
                integer(t, &f, 0, n_out - 1).map(|c| c as f64)
            })
            .collect::<Result<Vec<_>, _>>()?
    } else if n_out == 1 && tv.iter().all(|t| matches!(t, Val::Num(_))) {
        tv.iter()
            .enumerate()
            .map(|(r, t)| number(t, &format!("targets[{r}]")))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        matrix(tv, n_out, "targets")?
    };
    Ok(GradientSpec {
        sizes,
        activation,
        loss,
        params,
        inputs,
        rows,
        targets,
        f32,
    })
}
