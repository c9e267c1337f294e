//! The edge for networks: untrusted trainer and gradient specs (a [`Val`]) become validated
//! configurations, or a [`SpecError`] naming the field (`layer_sizes[2]: must be an integer in
//! [1, 4096] (got 0)`). Nothing past this point needs to check anything.

use super::activation::{Activation, ACTIVATIONS};
use super::init::{Init, InitArg, InitParam, INITS, INIT_DEFS};
use super::layer::Granularity;
use super::loss::{Loss, LOSSES};
use super::net::Arch;
use super::train::{TrainerConfig, MAX_ACTIVATIONS};
use crate::data::{self, Dataset, Generator, GENERATORS};
use crate::spec::{self, err, integer, number, SpecError, Val};

/// Most Dense layers.
pub const MAX_DEPTH: usize = 64;
/// Widest layer.
pub const MAX_WIDTH: usize = 4096;
/// Most trained parameters.
pub const MAX_PARAMS: usize = 8 << 20;
/// Largest seed.
pub const MAX_SEED: usize = u32::MAX as usize;

pub(crate) fn short(v: &Val) -> String {
    match v {
        Val::Str(s) => format!("{:?}", s.chars().take(40).collect::<String>()),
        Val::Num(x) => format!("{x}"),
        Val::Null => "null".into(),
        Val::Bool(b) => b.to_string(),
        Val::Arr(_) => "an array".into(),
        Val::Obj(_) => "an object".into(),
    }
}

pub(crate) fn object<'a>(v: &'a Val, field: &str) -> Result<&'a [(String, Val)], SpecError> {
    match v {
        Val::Obj(kv) => Ok(kv),
        other => err(field, format!("must be an object (got {})", short(other))),
    }
}

pub(crate) fn array<'a>(v: &'a Val, field: &str) -> Result<&'a [Val], SpecError> {
    match v {
        Val::Arr(a) => Ok(a),
        other => err(field, format!("must be an array (got {})", short(other))),
    }
}

pub(crate) fn string<'a>(v: &'a Val, field: &str) -> Result<&'a str, SpecError> {
    match v {
        Val::Str(s) => Ok(s),
        other => err(field, format!("must be a string (got {})", short(other))),
    }
}

/// A field that names one of two settings: `off` (also when absent) or `on`, each given as
/// (name, what it means) for the message a bad value gets.
pub fn either(
    v: Option<&Val>,
    field: &str,
    off: (&str, &str),
    on: (&str, &str),
) -> Result<bool, SpecError> {
    match v {
        None => Ok(false),
        Some(Val::Str(x)) if x == off.0 => Ok(false),
        Some(Val::Str(x)) if x == on.0 => Ok(true),
        Some(g) => err(
            field,
            format!(
                "must be \"{}\" ({}) or \"{}\" ({}) (got {})",
                off.0,
                off.1,
                on.0,
                on.1,
                short(g)
            ),
        ),
    }
}

fn boolean(v: &Val, field: &str) -> Result<bool, SpecError> {
    match v {
        Val::Bool(b) => Ok(*b),
        other => err(
            field,
            format!("must be true or false (got {})", short(other)),
        ),
    }
}

fn in_range(v: &Val, field: &str, lo: f64, hi: f64) -> Result<f64, SpecError> {
    let x = number(v, field)?;
    if x < lo || x > hi {
        return err(field, format!("must be in [{lo}, {hi}] (got {x})"));
    }
    Ok(x)
}

pub(crate) fn only_keys(
    kv: &[(String, Val)],
    known: &[&str],
    prefix: &str,
) -> Result<(), SpecError> {
    match kv.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        Some((k, _)) => {
            let k: String = k.chars().take(40).collect();
            let field = if prefix.is_empty() {
                k
            } else {
                format!("{prefix}.{k}")
            };
            err(
                field,
                format!("unknown field (known: {})", known.join(", ")),
            )
        }
        None => Ok(()),
    }
}

pub(crate) fn unknown<T>(
    field: &str,
    what: &str,
    got: &str,
    known: &[&str],
) -> Result<T, SpecError> {
    let got: String = got.chars().take(40).collect();
    err(
        field,
        format!("unknown {what} {got:?} (known: {})", known.join(", ")),
    )
}

/// `[h0, h1, …, hL]`.
pub fn layer_sizes(v: &Val, field: &str) -> Result<Vec<usize>, SpecError> {
    let a = array(v, field)?;
    if a.len() < 2 || a.len() > MAX_DEPTH + 1 {
        return err(
            field,
            format!("must list 2 to {} sizes (got {})", MAX_DEPTH + 1, a.len()),
        );
    }
    let sizes = a
        .iter()
        .enumerate()
        .map(|(i, s)| integer(s, &format!("{field}[{i}]"), 1, MAX_WIDTH))
        .collect::<Result<Vec<_>, _>>()?;
    let params: usize = sizes.windows(2).map(|w| w[0] * w[1] + w[1]).sum();
    if params > MAX_PARAMS {
        return err(
            field,
            format!("at most {MAX_PARAMS} parameters (got {params})"),
        );
    }
    Ok(sizes)
}

/// `"tanh"` or `{name: "leaky_relu", negative_slope}`.
pub fn activation(v: &Val, field: &str) -> Result<Activation, SpecError> {
    let (name, kv) = match v {
        Val::Str(s) => (s.as_str(), &[][..]),
        Val::Obj(kv) => (
            string(
                v.get("name").unwrap_or(&Val::Null),
                &format!("{field}.name"),
            )?,
            &kv[..],
        ),
        other => {
            return err(
                field,
                format!("must be an activation name (got {})", short(other)),
            )
        }
    };
    let Some(mut a) = Activation::by_name(name) else {
        return unknown(field, "activation", name, ACTIVATIONS);
    };
    only_keys(kv, &["name", "negative_slope"], field)?;
    if let Some(s) = v.get("negative_slope") {
        if !matches!(a, Activation::LeakyRelu(_)) {
            return err(format!("{field}.negative_slope"), "only for leaky_relu");
        }
        a = Activation::LeakyRelu(in_range(s, &format!("{field}.negative_slope"), 0.0, 1.0)?);
    }
    Ok(a)
}

pub fn loss(v: &Val, field: &str) -> Result<Loss, SpecError> {
    let name = string(v, field)?;
    Loss::by_name(name).map_or_else(|| unknown(field, "loss", name, LOSSES), Ok)
}

/// `"xavier_normal"` or `{name, ...params}` (see `nn::init`): the registry's definition with each
/// parameter checked against its kind and range, absent ones at their defaults.
pub fn init(v: &Val, field: &str) -> Result<Init, SpecError> {
    let (name, kv) = match v {
        Val::Str(s) => (s.as_str(), &[][..]),
        Val::Obj(kv) => (
            string(
                v.get("name").unwrap_or(&Val::Null),
                &format!("{field}.name"),
            )?,
            &kv[..],
        ),
        other => {
            return err(
                field,
                format!(
                    "must be an initialization name or {{name, ...}} (got {})",
                    short(other)
                ),
            )
        }
    };
    let Some(def) = INIT_DEFS.iter().find(|d| d.name == name) else {
        let at = if kv.is_empty() {
            field.to_string()
        } else {
            format!("{field}.name")
        };
        return unknown(&at, "initialization", name, INITS);
    };
    let mut known = vec!["name"];
    known.extend(def.params.iter().map(InitParam::name));
    only_keys(kv, &known, field)?;
    let mut args = Vec::with_capacity(def.params.len());
    for p in def.params {
        let f = format!("{field}.{}", p.name());
        args.push(match (*p, v.get(p.name())) {
            (InitParam::Real { default, .. }, None) => InitArg::Real(default),
            (InitParam::Real { min, max, .. }, Some(x)) => {
                InitArg::Real(in_range(x, &f, min, max)?)
            }
            (InitParam::Choice { default, .. }, None) => InitArg::Choice(default),
            (InitParam::Choice { name, values, .. }, Some(x)) => {
                let got = string(x, &f)?;
                match values.iter().find(|c| **c == got) {
                    Some(c) => InitArg::Choice(c),
                    None => return unknown(&f, name, got, values),
                }
            }
        });
    }
    Ok((def.build)(&args))
}

/// A data set and how to split and scale it.
#[derive(Clone, Debug, PartialEq)]
pub struct DataSpec {
    pub data: Dataset,
    pub validation_split: f64,
    /// Keep only the first `train_size` training examples of the seeded split (a small training
    /// set next to the same validation set: the dropout lab's overfitting).
    pub train_size: Option<usize>,
    /// Seed of the split's permutation (None: the trainer's seed), so that runs of several seeds
    /// can share one split.
    pub split_seed: Option<u64>,
    pub normalize: bool,
}

const DATA_FIELDS: &[&str] = &[
    "name",
    "n",
    "noise",
    "seed",
    "csv",
    "inputs",
    "labels",
    "validation_split",
    "train_size",
    "split_seed",
    "normalize",
    "scale",
];

/// `{name: "spiral", n, noise, seed}` | `{csv: "text"}` | `{inputs: [[…]], labels: […]}`, each
/// with optional `validation_split` (0), `train_size` (all the training part), `scale` (1: every
/// feature multiplied by it as it is read, e.g. 1/16 for digits' 0–16 pixels → [0, 1]) and
/// `normalize` (false, applied after `scale`). `seed` defaults to `seed`.
pub fn data(v: &Val, field: &str, default_seed: u64) -> Result<DataSpec, SpecError> {
    let kv = object(v, field)?;
    only_keys(kv, DATA_FIELDS, field)?;
    let f = |k: &str| format!("{field}.{k}");
    let validation_split = v
        .get("validation_split")
        .map_or(Ok(0.0), |x| in_range(x, &f("validation_split"), 0.0, 0.9))?;
    let normalize = v
        .get("normalize")
        .map_or(Ok(false), |x| boolean(x, &f("normalize")))?;
    let split_seed = v
        .get("split_seed")
        .map(|x| integer(x, &f("split_seed"), 0, MAX_SEED).map(|s| s as u64))
        .transpose()?;
    let scale = v.get("scale").map_or(Ok(1.0), |x| number(x, &f("scale")))?;
    if !(scale > 0.0 && scale <= 1e6) {
        return err(
            f("scale"),
            format!("must be a factor in (0, 1e6] (got {scale})"),
        );
    }
    let train_size = v
        .get("train_size")
        .map(|x| integer(x, &f("train_size"), 1, data::MAX_SAMPLES))
        .transpose()?;
    let sources = ["name", "csv", "inputs"]
        .iter()
        .filter(|k| v.get(k).is_some())
        .count();
    if sources != 1 {
        return err(
            field,
            "must have exactly one of name (a generator), csv or inputs",
        );
    }
    let not_for = |keys: &[&str], what: &str| -> Result<(), SpecError> {
        match keys.iter().find(|k| v.get(k).is_some()) {
            Some(k) => err(f(k), format!("only for {what}")),
            None => Ok(()),
        }
    };
    let data = if let Some(name) = v.get("name") {
        not_for(&["labels"], "inputs")?;
        let name = string(name, &f("name"))?;
        let Some(g) = Generator::by_name(name) else {
            return unknown(&f("name"), "data set", name, GENERATORS);
        };
        let n = v
            .get("n")
            .map_or(Ok(200), |x| integer(x, &f("n"), 2, data::MAX_SAMPLES))?;
        let noise = v
            .get("noise")
            .map_or(Ok(0.0), |x| in_range(x, &f("noise"), 0.0, 10.0))?;
        let seed = v.get("seed").map_or(Ok(default_seed as usize), |x| {
            integer(x, &f("seed"), 0, MAX_SEED)
        })?;
        g.generate(n, noise, &mut super::rng::Rng::derive(seed as u64, 0))
    } else if let Some(text) = v.get("csv") {
        not_for(&["n", "noise", "seed", "labels"], "generators")?;
        data::parse_csv(string(text, &f("csv"))?).map_err(|e| SpecError {
            field: f("csv"),
            message: e.to_string(),
        })?
    } else {
        not_for(&["n", "noise", "seed"], "generators")?;
        let rows = array(v.get("inputs").unwrap_or(&Val::Null), &f("inputs"))?;
        let Some(labels) = v.get("labels") else {
            return err(f("labels"), "is missing");
        };
        let labels = array(labels, &f("labels"))?;
        if rows.is_empty() {
            return err(f("inputs"), "must have at least one row");
        }
        if labels.len() != rows.len() {
            return err(
                f("labels"),
                format!(
                    "must have one label per input row ({}; got {})",
                    rows.len(),
                    labels.len()
                ),
            );
        }
        let dim = array(&rows[0], &format!("{field}.inputs[0]"))?.len();
        if dim == 0 || dim > data::MAX_FEATURES || dim * rows.len() > data::MAX_VALUES {
            return err(
                format!("{field}.inputs[0]"),
                format!("must have 1 to {} numbers", data::MAX_FEATURES),
            );
        }
        let x = matrix(rows, dim, &f("inputs"))?;
        let labels = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                integer(l, &format!("{field}.labels[{i}]"), 0, data::MAX_CLASSES - 1)
                    .map(|c| c as u32)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let n_classes = labels.iter().max().map_or(0, |&m| m as usize + 1);
        Dataset {
            x,
            labels,
            dim,
            n_classes,
            features: (1..=dim).map(|i| format!("x{i}")).collect(),
        }
    };
    let mut data = data;
    if scale != 1.0 {
        data.x.iter_mut().for_each(|x| *x *= scale);
    }
    Ok(DataSpec {
        data,
        validation_split,
        train_size,
        split_seed,
        normalize,
    })
}

/// Rows of exactly `cols` finite numbers, flattened.
pub(crate) fn matrix(rows: &[Val], cols: usize, field: &str) -> Result<Vec<f64>, SpecError> {
    let mut out = Vec::with_capacity(rows.len() * cols);
    for (i, r) in rows.iter().enumerate() {
        let fi = format!("{field}[{i}]");
        let r = array(r, &fi)?;
        if r.len() != cols {
            return err(fi, format!("must have {cols} numbers (got {})", r.len()));
        }
        for (j, x) in r.iter().enumerate() {
            out.push(number(x, &format!("{fi}[{j}]"))?);
        }
    }
    Ok(out)
}

/// A validated trainer spec.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainerSpec {
    pub config: TrainerConfig,
    pub data: Dataset,
}

const TRAINER_FIELDS: &[&str] = &[
    "layer_sizes",
    "activation",
    "loss",
    "init",
    "optimizer",
    "scheduler",
    "batch_size",
    "seed",
    "data",
    "batch_norm",
    "bn_placement",
    "bn_momentum",
    "bn_running_init",
    "dropout",
    "input_dropout",
    "dropout_granularity",
];

/// `{layer_sizes, activation = "relu", loss (cross_entropy for several outputs, else
/// bce_with_logits), init = "torch_default", optimizer, scheduler = null, batch_size (full batch),
/// seed = 0, data, batch_norm = false, bn_placement = "before" (Dense → BN → activation, the
/// paper) | "after" (Dense → activation → BN, common practice), bn_momentum = 0.1 (null: the cumulative average, as torch's
/// momentum=None), bn_running_init = "torch" (running mean 0, variance 1) | "first_batch" (the
/// lecture's MA⁽¹⁾ = μ_B⁽¹⁾: the first batch's statistics), dropout = 0, input_dropout = 0,
/// dropout_granularity = "example"}`.
pub fn trainer(v: &Val) -> Result<TrainerSpec, SpecError> {
    let kv = object(v, "spec")?;
    only_keys(kv, TRAINER_FIELDS, "")?;
    let need = |k: &str| v.get(k).map_or_else(|| err(k, "is missing"), Ok);
    let sizes = layer_sizes(need("layer_sizes")?, "layer_sizes")?;
    let activation = v
        .get("activation")
        .map_or(Ok(Activation::Relu), |a| activation(a, "activation"))?;
    let n_out = sizes.last().copied().unwrap_or(1);
    let loss = match v.get("loss") {
        Some(l) => loss(l, "loss")?,
        None if n_out > 1 => Loss::CrossEntropy,
        None => Loss::BceWithLogits,
    };
    let init = v
        .get("init")
        .map_or(Ok(Init::TorchDefault), |i| init(i, "init"))?;
    let optimizer = spec::optimizer(need("optimizer")?, "optimizer")?;
    let first_order = match optimizer.def.first_order() {
        Ok(k) => k,
        Err(e) => return err("optimizer.name", e),
    };
    let schedule = spec::scheduler(v.get("scheduler"), "scheduler")?;
    let seed = v
        .get("seed")
        .map_or(Ok(0), |s| integer(s, "seed", 0, MAX_SEED))? as u64;
    let batch_norm = v
        .get("batch_norm")
        .map_or(Ok(false), |b| boolean(b, "batch_norm"))?;
    let bn_after = either(
        v.get("bn_placement"),
        "bn_placement",
        ("before", "Dense → BatchNorm1d → activation, the paper"),
        ("after", "Dense → activation → BatchNorm1d"),
    )?;
    let bn_momentum = match v.get("bn_momentum") {
        None => Some(0.1),
        Some(Val::Null) => None,
        Some(m) => {
            let m = number(m, "bn_momentum")?;
            if !(0.0..=1.0).contains(&m) {
                return err(
                    "bn_momentum",
                    format!("must be in [0, 1] (torch's momentum: the weight of the new batch), or null for the cumulative average (got {m})"),
                );
            }
            Some(m)
        }
    };
    let bn_first_batch = either(
        v.get("bn_running_init"),
        "bn_running_init",
        ("torch", "running mean 0, variance 1"),
        ("first_batch", "the first batch's statistics"),
    )?;
    // Drop probabilities as torch's nn.Dropout(p): p = 1 zeroes every unit (and its gradient).
    let prob = |k: &str| -> Result<f64, SpecError> {
        let p = v.get(k).map_or(Ok(0.0), |d| number(d, k))?;
        if !(0.0..=1.0).contains(&p) {
            return err(k, format!("must be a drop probability in [0, 1] (got {p})"));
        }
        Ok(p)
    };
    let dropout = prob("dropout")?;
    let input_dropout = prob("input_dropout")?;
    let granularity = match v.get("dropout_granularity") {
        None => Granularity::Example,
        Some(g) => match g {
            Val::Str(x) if x == "example" => Granularity::Example,
            Val::Str(x) if x == "batch" => Granularity::Batch,
            _ => {
                return err(
                    "dropout_granularity",
                    format!("must be \"example\" (a mask per example, as nn.Dropout) or \"batch\" (one per mini-batch) (got {})", short(g)),
                )
            }
        },
    };
    let dropping = dropout > 0.0 || input_dropout > 0.0;
    let d = data(need("data")?, "data", seed)?;
    let batch_size = v.get("batch_size").map_or(Ok(usize::MAX), |b| {
        integer(b, "batch_size", 1, data::MAX_SAMPLES)
    })?;
    if d.data.dim != sizes[0] {
        return err(
            "layer_sizes[0]",
            format!(
                "must equal the data's {} features (got {})",
                d.data.dim, sizes[0]
            ),
        );
    }
    let k = d.data.n_classes;
    let ok = match loss {
        Loss::CrossEntropy => n_out >= k,
        _ if n_out == 1 => k <= 2,
        _ => n_out >= k,
    };
    if !ok {
        let need = if loss != Loss::CrossEntropy && k <= 2 {
            "1 or ≥ 2".to_string()
        } else {
            format!("≥ {k}")
        };
        return err(
            format!("layer_sizes[{}]", sizes.len() - 1),
            format!(
                "the data have {k} classes: {} needs {need} outputs (got {n_out})",
                loss.name()
            ),
        );
    }
    let n_train = d.data.len()
        - ((d.data.len() as f64 * d.validation_split).round() as usize).min(d.data.len() - 1);
    if let Some(ts) = d.train_size {
        if ts > n_train {
            return err(
                "data.train_size",
                format!(
                    "must be at most {n_train}, the training examples left after the validation split (got {ts})"
                ),
            );
        }
    }
    let n_train = d.train_size.unwrap_or(n_train);
    // A training pass holds batch × Σ widths values (×2 with batch norm or dropout); evaluation
    // passes shrink their chunk to fit (see Trainer::new), so only the batch is limited here.
    let rows = batch_size.min(n_train).max(1);
    let per_row: usize = sizes.iter().sum::<usize>() * if batch_norm || dropping { 4 } else { 2 };
    let limit = MAX_ACTIVATIONS * 2;
    if per_row > limit {
        return err(
            "layer_sizes",
            format!(
                "the layers are too wide: Σ widths = {} (at most {} per example{})",
                sizes.iter().sum::<usize>(),
                limit / (per_row / sizes.iter().sum::<usize>()),
                if batch_norm || dropping {
                    " with batch norm or dropout"
                } else {
                    ""
                }
            ),
        );
    }
    if rows.saturating_mul(per_row) > limit {
        return err(
            "batch_size",
            format!(
                "at most {} for these layer widths (batch × Σ widths ≤ {limit} values per pass; got {rows})",
                limit / per_row
            ),
        );
    }
    let config = TrainerConfig {
        arch: Arch {
            sizes,
            activation,
            batch_norm,
            bn_after,
            bn_momentum,
            bn_first_batch,
            dropout,
            input_dropout,
            granularity,
        },
        loss,
        init,
        optimizer,
        first_order,
        schedule,
        batch_size,
        seed,
        validation_split: d.validation_split,
        train_size: d.train_size,
        split_seed: d.split_seed,
        normalize: d.normalize,
    };
    Ok(TrainerSpec {
        config,
        data: d.data,
    })
}

/// Most values one `dropout` call takes.
pub const MAX_DROPOUT_VALUES: usize = 1 << 22;

/// A validated `dropout` call: `{input: number[] | number[][], p = 0.5, training = true,
/// seed = 0, granularity = "example"}` (rows of a 2-D input are examples).
pub struct DropoutCall {
    pub x: Vec<f64>,
    pub rows: usize,
    pub p: f64,
    pub training: bool,
    pub seed: u64,
    pub granularity: Granularity,
}

pub fn dropout_call(v: &Val) -> Result<DropoutCall, SpecError> {
    let kv = object(v, "spec")?;
    only_keys(kv, &["input", "p", "training", "seed", "granularity"], "")?;
    let input = v
        .get("input")
        .map_or_else(|| err("input", "is missing"), Ok)?;
    let Val::Arr(items) = input else {
        return err(
            "input",
            format!(
                "must be an array of numbers or of rows (got {})",
                short(input)
            ),
        );
    };
    let (mut x, mut rows, mut width) = (Vec::new(), 0usize, None);
    for (i, item) in items.iter().enumerate() {
        match item {
            Val::Num(_) if width.is_none() || rows == 0 => {
                x.push(number(item, &format!("input[{i}]"))?);
                width = Some(0);
            }
            Val::Arr(row) if width != Some(0) => {
                if width.is_some_and(|w| w != row.len()) {
                    return err(
                        format!("input[{i}]"),
                        format!(
                            "has {} values; every row must have {}",
                            row.len(),
                            width.unwrap_or(0)
                        ),
                    );
                }
                width = Some(row.len());
                for (j, c) in row.iter().enumerate() {
                    x.push(number(c, &format!("input[{i}][{j}]"))?);
                }
                rows += 1;
            }
            other => {
                return err(
                    format!("input[{i}]"),
                    format!(
                        "must be a number, or all rows arrays of numbers (got {})",
                        short(other)
                    ),
                )
            }
        }
        if x.len() > MAX_DROPOUT_VALUES {
            return err("input", format!("at most {MAX_DROPOUT_VALUES} values"));
        }
    }
    if width == Some(0) {
        rows = 1; // a flat array: one example of x.len() units
    }
    let p = v.get("p").map_or(Ok(0.5), |d| number(d, "p"))?;
    if !(0.0..=1.0).contains(&p) {
        return err(
            "p",
            format!("must be a drop probability in [0, 1] (got {p})"),
        );
    }
    let training = v
        .get("training")
        .map_or(Ok(true), |b| boolean(b, "training"))?;
    let seed = v
        .get("seed")
        .map_or(Ok(0), |s| integer(s, "seed", 0, MAX_SEED))? as u64;
    let granularity = match v.get("granularity") {
        None => Granularity::Example,
        Some(Val::Str(g)) if g == "example" => Granularity::Example,
        Some(Val::Str(g)) if g == "batch" => Granularity::Batch,
        Some(g) => {
            return err(
                "granularity",
                format!("must be \"example\" or \"batch\" (got {})", short(g)),
            )
        }
    };
    Ok(DropoutCall {
        x,
        rows,
        p,
        training,
        seed,
        granularity,
    })
}

/// Most numbers a `batchNorm1d` call may hand in.
pub const MAX_BATCH_NORM_VALUES: usize = 1 << 22;
/// Most training batches in one `batchNorm1d` call.
pub const MAX_BATCH_NORM_BATCHES: usize = 1000;

/// A validated `batchNorm1d` call (see [`batch_norm_call`]).
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNormCall {
    pub n: usize,
    pub eps: f64,
    /// None: torch's `momentum=None` (cumulative average).
    pub momentum: Option<f64>,
    pub affine: bool,
    pub gamma: Vec<f64>,
    pub beta: Vec<f64>,
    pub running_mean: Vec<f64>,
    pub running_var: Vec<f64>,
    /// (input rows × n, upstream gradient rows × n) per training batch.
    pub batches: Vec<(Vec<f64>, Vec<f64>)>,
    pub eval_input: Vec<f64>,
}

/// `{num_features, eps = 1e-5, momentum = 0.1 (null: cumulative), affine = true, gamma (1s),
/// beta (0s), running_mean (0s), running_var (1s), train_batches: [{input, upstream_grad}],
/// eval_input = [], dtype = "f64"}` — torch.nn.BatchNorm1d's arguments and state.
pub fn batch_norm_call(v: &Val) -> Result<BatchNormCall, SpecError> {
    let kv = object(v, "spec")?;
    only_keys(
        kv,
        &[
            "num_features",
            "eps",
            "momentum",
            "affine",
            "gamma",
            "beta",
            "running_mean",
            "running_var",
            "train_batches",
            "eval_input",
            "dtype",
        ],
        "",
    )?;
    let n = integer(
        v.get("num_features")
            .map_or_else(|| err("num_features", "is missing"), Ok)?,
        "num_features",
        1,
        MAX_WIDTH,
    )?;
    if let Some(d) = v.get("dtype") {
        if !matches!(d, Val::Str(s) if s == "f64") {
            return err("dtype", format!("must be \"f64\" (got {})", short(d)));
        }
    }
    let eps = v.get("eps").map_or(Ok(1e-5), |x| number(x, "eps"))?;
    if eps <= 0.0 {
        return err("eps", format!("must be > 0 (got {eps})"));
    }
    let momentum = match v.get("momentum") {
        None => Some(0.1),
        Some(Val::Null) => None,
        Some(x) => {
            let m = in_range(x, "momentum", 0.0, 1.0)?;
            Some(m)
        }
    };
    let affine = v.get("affine").map_or(Ok(true), |b| boolean(b, "affine"))?;
    let mut count = 0usize;
    let mut vector = |k: &str, default: f64| -> Result<Vec<f64>, SpecError> {
        match v.get(k) {
            None | Some(Val::Null) => Ok(vec![default; n]),
            Some(x) => {
                let a = array(x, k)?;
                if a.len() != n {
                    return err(
                        k,
                        format!("must have num_features = {n} numbers (got {})", a.len()),
                    );
                }
                count += n;
                a.iter()
                    .enumerate()
                    .map(|(i, y)| number(y, &format!("{k}[{i}]")))
                    .collect()
            }
        }
    };
    if !affine {
        for k in ["gamma", "beta"] {
            if v.get(k).is_some_and(|x| *x != Val::Null) {
                return err(k, "only with affine: true (affine: false has no γ and β)");
            }
        }
    }
    let gamma = vector("gamma", 1.0)?;
    let beta = vector("beta", 0.0)?;
    let running_mean = vector("running_mean", 0.0)?;
    let running_var = vector("running_var", 1.0)?;
    if let Some(i) = running_var.iter().position(|&x| x < 0.0) {
        return err(format!("running_var[{i}]"), "must be ≥ 0 (a variance)");
    }
    let rows_of = |x: &Val, f: &str, total: &mut usize| -> Result<(Vec<f64>, usize), SpecError> {
        let rows = array(x, f)?;
        *total += rows.len() * n;
        if *total > MAX_BATCH_NORM_VALUES {
            return err(
                f,
                format!("at most {MAX_BATCH_NORM_VALUES} numbers in one call"),
            );
        }
        Ok((matrix(rows, n, f)?, rows.len()))
    };
    let mut total = count;
    let batches_v = match v.get("train_batches") {
        None | Some(Val::Null) => &[][..],
        Some(x) => array(x, "train_batches")?,
    };
    if batches_v.len() > MAX_BATCH_NORM_BATCHES {
        return err(
            "train_batches",
            format!("at most {MAX_BATCH_NORM_BATCHES} batches"),
        );
    }
    let mut batches = Vec::with_capacity(batches_v.len());
    for (i, b) in batches_v.iter().enumerate() {
        let f = format!("train_batches[{i}]");
        let bkv = object(b, &f)?;
        only_keys(bkv, &["input", "upstream_grad"], &f)?;
        let (x, rows) = rows_of(
            b.get("input")
                .map_or_else(|| err(format!("{f}.input"), "is missing"), Ok)?,
            &format!("{f}.input"),
            &mut total,
        )?;
        if rows < 2 {
            // torch: "Expected more than 1 value per channel when training".
            return err(
                format!("{f}.input"),
                format!("needs at least 2 rows in training mode (got {rows}): the variance of one value is 0, and torch refuses it too"),
            );
        }
        let up = match b.get("upstream_grad") {
            None | Some(Val::Null) => vec![0.0; x.len()],
            Some(u) => {
                let (u, r) = rows_of(u, &format!("{f}.upstream_grad"), &mut total)?;
                if r != rows {
                    return err(
                        format!("{f}.upstream_grad"),
                        format!("must have {rows} rows, like the input (got {r})"),
                    );
                }
                u
            }
        };
        batches.push((x, up));
    }
    let eval_input = match v.get("eval_input") {
        None | Some(Val::Null) => vec![],
        Some(x) => rows_of(x, "eval_input", &mut total)?.0,
    };
    Ok(BatchNormCall {
        n,
        eps,
        momentum,
        affine,
        gamma,
        beta,
        running_mean,
        running_var,
        batches,
        eval_input,
    })
}
