//! Metadata the UI builds its controls from: landscapes, optimizers and schedules with their
//! parameters, PyTorch defaults and sensible ranges. Serializable (JS objects, JSON).

use crate::landscape::builtin::Builtin;
use crate::landscape::data::{Regression, DATA_LANDSCAPES, STANDARDIZE_EPS};
use crate::landscape::{Info, Landscape, Point, BUILTINS};
use crate::optim::schedule::SCHEDULES;
use crate::optim::{Kind, ParamSpec, OPTIMIZERS};
use serde::Serialize;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ParamMeta {
    pub name: &'static str,
    /// "number", "bool" or "pair"
    pub kind: &'static str,
    /// number, bool or [number, number]
    pub default: serde_json_like::V,
    /// Hard bounds (None = unbounded) and whether they are open.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_open: bool,
    pub max_open: bool,
    /// A sensible slider range.
    pub ui_min: Option<f64>,
    pub ui_max: Option<f64>,
    pub log: bool,
    /// Whole numbers only (sliders step by 1, fields reject fractions).
    pub integer: bool,
    pub help: &'static str,
}

/// A tiny value type so defaults of different kinds serialize naturally.
pub mod serde_json_like {
    use serde::Serialize;
    #[derive(Serialize, Clone, Debug, PartialEq)]
    #[serde(untagged)]
    pub enum V {
        Num(f64),
        Bool(bool),
        Pair([f64; 2]),
    }
}
use serde_json_like::V;

fn fin(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

pub fn param_meta(p: &ParamSpec) -> ParamMeta {
    match p.kind {
        Kind::Num {
            default,
            min,
            max,
            min_open,
            max_open,
            ui,
            log,
            integer,
        } => ParamMeta {
            name: p.name,
            kind: "number",
            default: V::Num(default),
            min: fin(min),
            max: fin(max),
            min_open,
            max_open,
            ui_min: Some(ui[0]),
            ui_max: Some(ui[1]),
            log,
            integer,
            help: p.help,
        },
        Kind::Bool { default } => ParamMeta {
            name: p.name,
            kind: "bool",
            default: V::Bool(default),
            min: None,
            max: None,
            min_open: false,
            max_open: false,
            ui_min: None,
            ui_max: None,
            log: false,
            integer: false,
            help: p.help,
        },
        Kind::Pair { default, min, max } => ParamMeta {
            name: p.name,
            kind: "pair",
            default: V::Pair(default),
            min: Some(min),
            max: Some(max),
            min_open: false,
            max_open: true,
            ui_min: Some(0.5),
            ui_max: Some(0.9999),
            log: false,
            integer: false,
            help: p.help,
        },
    }
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct OptimizerMeta {
    pub name: &'static str,
    pub label: &'static str,
    pub params: Vec<ParamMeta>,
    pub state: &'static [&'static str],
}

pub fn optimizers() -> Vec<OptimizerMeta> {
    OPTIMIZERS
        .iter()
        .map(|d| OptimizerMeta {
            name: d.name,
            label: d.label,
            params: d.params.iter().map(param_meta).collect(),
            state: d.state,
        })
        .collect()
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ScheduleMeta {
    pub name: &'static str,
    pub label: &'static str,
    pub short: &'static str,
    pub torch: &'static str,
    pub formula: &'static str,
    pub params: Vec<ParamMeta>,
}

pub fn schedulers() -> Vec<ScheduleMeta> {
    SCHEDULES
        .iter()
        .map(|d| ScheduleMeta {
            name: d.name,
            label: d.label,
            short: d.short,
            torch: d.torch,
            formula: d.formula,
            params: d.params.iter().map(param_meta).collect(),
        })
        .collect()
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PointMeta {
    pub x: f64,
    pub y: f64,
    pub f: f64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct LandscapeParamMeta {
    pub name: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub value: f64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct LandscapeMeta {
    pub name: String,
    pub label: String,
    pub formula: String,
    pub domain: [f64; 4],
    pub scale: &'static str,
    pub minima: Vec<PointMeta>,
    pub saddles: Vec<PointMeta>,
    pub starts: Vec<[f64; 2]>,
    pub params: Vec<LandscapeParamMeta>,
    /// For a data landscape: which data it fits (src/landscape/data.rs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<DataMeta>,
}

/// A data landscape's data set: the bundled file and columns, their labels, the number of
/// examples (a mini-batch size's range), whether x is standardized and with which ε, its twin.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct DataMeta {
    pub csv: &'static str,
    pub source: &'static str,
    pub x_column: &'static str,
    pub y_column: &'static str,
    pub x_label: &'static str,
    pub y_label: &'static str,
    pub n: usize,
    pub standardize: bool,
    pub eps: f64,
    pub twin: &'static str,
}

impl From<Info> for LandscapeMeta {
    fn from(i: Info) -> Self {
        let pts = |v: Vec<Point>| {
            v.into_iter()
                .map(|p| PointMeta {
                    x: p.x,
                    y: p.y,
                    f: p.f,
                })
                .collect()
        };
        LandscapeMeta {
            name: i.name,
            label: i.label,
            formula: i.formula,
            domain: i.domain,
            scale: i.scale.as_str(),
            minima: pts(i.minima),
            saddles: pts(i.saddles),
            starts: i.starts,
            params: i
                .params
                .into_iter()
                .map(|p| LandscapeParamMeta {
                    name: p.name,
                    default: p.default,
                    min: p.min,
                    max: p.max,
                    value: p.value,
                })
                .collect(),
            data: None,
        }
    }
}

/// Every named landscape: the formulas, then the data sets.
pub fn landscapes() -> Vec<LandscapeMeta> {
    let formulas = BUILTINS
        .iter()
        .map(|d| Landscape::Builtin(Builtin::new(d, &[])).info().into());
    let data = DATA_LANDSCAPES.iter().filter_map(|d| {
        let r = Regression::by_name(d.name)?;
        let mut m: LandscapeMeta = r.info().into();
        m.data = Some(DataMeta {
            csv: d.csv,
            source: d.source,
            x_column: d.x_column,
            y_column: d.y_column,
            x_label: d.x_label,
            y_label: d.y_label,
            n: r.len(),
            standardize: d.standardize,
            eps: STANDARDIZE_EPS,
            twin: d.twin,
        });
        Some(m)
    });
    formulas.chain(data).collect()
}
