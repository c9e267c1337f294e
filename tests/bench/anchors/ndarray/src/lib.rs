//! The plain-ndarray anchor of ../shared/PERF.md (ported from shared/anchors/native/src/lib.rs,
//! unchanged in what it computes): a dense MLP train step (forward + backward + Adam) on
//! ndarray/matrixmultiply, built for wasm32 + simd128 by `./build.sh bench` and measured next to the
//! engine in the same Chromium page (tests/bench/anchors/page.js).
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, Axis, Zip};

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Act { Tanh, Relu, Linear }
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Loss { Mse, SoftmaxCe }

pub struct NetSpec { pub name: &'static str, pub sizes: &'static [usize], pub hidden: Act, pub loss: Loss }

pub const NETS: [NetSpec; 3] = [
    NetSpec { name: "small", sizes: &[2, 8, 8, 1], hidden: Act::Tanh, loss: Loss::Mse },
    NetSpec { name: "medium", sizes: &[2, 64, 64, 64, 1], hidden: Act::Relu, loss: Loss::Mse },
    NetSpec { name: "wide", sizes: &[784, 256, 128, 10], hidden: Act::Relu, loss: Loss::SoftmaxCe },
];

/// multiply-accumulates per example (forward); FLOP/step = 3 * 2 * B * macs
pub fn macs_per_example(sizes: &[usize]) -> usize { sizes.windows(2).map(|w| w[0] * w[1]).sum() }

pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self { Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1) }
    pub fn next_u32(&mut self) -> u32 { let mut x = self.0; x ^= x << 13; x ^= x >> 7; x ^= x << 17; self.0 = x; (x >> 32) as u32 }
    pub fn uniform(&mut self) -> f32 { (self.next_u32() as f32) / 4294967296.0 }
    pub fn sym(&mut self) -> f32 { 2.0 * self.uniform() - 1.0 }
}

struct Layer {
    w: Array2<f32>, b: Array1<f32>,
    mw: Array2<f32>, vw: Array2<f32>, mb: Array1<f32>, vb: Array1<f32>,
    gw: Array2<f32>, gb: Array1<f32>,
    z: Array2<f32>,   // pre-activation -> reused as dZ
    a: Array2<f32>,   // activation output
    da_prev: Array2<f32>,
    act: Act,
}

pub struct Mlp { layers: Vec<Layer>, loss: Loss, t: i32, lr: f32, batch: usize, pub x: Array2<f32>, pub y: Array2<f32> }

impl Mlp {
    pub fn new(spec: &NetSpec, batch: usize, seed: u64) -> Mlp {
        let mut rng = Rng::new(seed);
        let n = spec.sizes.len() - 1;
        let mut layers = Vec::new();
        for l in 0..n {
            let (fi, fo) = (spec.sizes[l], spec.sizes[l + 1]);
            let s = (6.0 / (fi + fo) as f32).sqrt(); // glorot uniform
            let w = Array2::from_shape_fn((fi, fo), |_| s * rng.sym());
            let act = if l == n - 1 { Act::Linear } else { spec.hidden };
            layers.push(Layer {
                w, b: Array1::zeros(fo), mw: Array2::zeros((fi, fo)), vw: Array2::zeros((fi, fo)),
                mb: Array1::zeros(fo), vb: Array1::zeros(fo), gw: Array2::zeros((fi, fo)), gb: Array1::zeros(fo),
                z: Array2::zeros((batch, fo)), a: Array2::zeros((batch, fo)), da_prev: Array2::zeros((batch, fi)), act,
            });
        }
        let nin = spec.sizes[0];
        let nout = *spec.sizes.last().unwrap();
        let x = Array2::from_shape_fn((batch, nin), |_| rng.sym());
        let mut y = Array2::zeros((batch, nout));
        for i in 0..batch {
            if spec.loss == Loss::SoftmaxCe { let k = (rng.next_u32() as usize) % nout; y[[i, k]] = 1.0; }
            else { y[[i, 0]] = if x[[i, 0]] * x[[i, 1]] > 0.0 { 1.0 } else { -1.0 }; } // XOR-ish
        }
        Mlp { layers, loss: spec.loss, t: 0, lr: 0.01, batch, x, y }
    }

    /// one full training step on (self.x, self.y); returns loss
    pub fn step(&mut self) -> f32 {
        let n = self.layers.len();
        let bsz = self.batch as f32;
        // forward
        for l in 0..n {
            let (prev, cur) = self.layers.split_at_mut(l);
            let layer = &mut cur[0];
            let input = if l == 0 { &self.x } else { &prev[l - 1].a };
            general_mat_mul(1.0, input, &layer.w, 0.0, &mut layer.z);
            layer.z += &layer.b;
            match layer.act {
                Act::Tanh => Zip::from(&mut layer.a).and(&layer.z).for_each(|a, &z| *a = z.tanh()),
                Act::Relu => Zip::from(&mut layer.a).and(&layer.z).for_each(|a, &z| *a = z.max(0.0)),
                Act::Linear => layer.a.assign(&layer.z),
            }
        }
        // loss + dLoss/dZ_out written into last.z
        let mut loss = 0.0f32;
        {
            let last = &mut self.layers[n - 1];
            match self.loss {
                Loss::Mse => {
                    Zip::from(&mut last.z).and(&last.a).and(&self.y).for_each(|dz, &a, &y| {
                        let d = a - y; loss += d * d; *dz = 2.0 * d / bsz; // mean over batch (1 output)
                    });
                    loss /= bsz;
                }
                Loss::SoftmaxCe => {
                    for (mut zrow, (arow, yrow)) in last.z.outer_iter_mut().zip(last.a.outer_iter().zip(self.y.outer_iter())) {
                        let m = arow.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                        let s: f32 = arow.iter().map(|&v| (v - m).exp()).sum();
                        for j in 0..zrow.len() {
                            let p = (arow[j] - m).exp() / s;
                            if yrow[j] > 0.0 { loss -= p.max(1e-30).ln(); }
                            zrow[j] = (p - yrow[j]) / bsz;
                        }
                    }
                    loss /= bsz;
                }
            }
        }
        // backward
        for l in (0..n).rev() {
            let (prev, cur) = self.layers.split_at_mut(l);
            let layer = &mut cur[0];
            if l != n - 1 {
                // dZ = dA (stored in next layer's da_prev, copied in below) * act'(Z)
                match layer.act {
                    Act::Tanh => Zip::from(&mut layer.z).and(&layer.a).for_each(|dz, &a| *dz *= 1.0 - a * a),
                    Act::Relu => Zip::from(&mut layer.z).and(&layer.a).for_each(|dz, &a| if a <= 0.0 { *dz = 0.0 }),
                    Act::Linear => {}
                }
            }
            let input = if l == 0 { &self.x } else { &prev[l - 1].a };
            general_mat_mul(1.0, &input.t(), &layer.z, 0.0, &mut layer.gw);
            layer.gb.assign(&layer.z.sum_axis(Axis(0)));
            if l > 0 {
                general_mat_mul(1.0, &layer.z, &layer.w.t(), 0.0, &mut layer.da_prev);
                prev[l - 1].z.assign(&layer.da_prev); // hand dA to previous layer (its z becomes dZ)
            }
        }
        // Adam
        self.t += 1;
        let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-7f32);
        let c1 = 1.0 - b1.powi(self.t);
        let c2 = 1.0 - b2.powi(self.t);
        let lr_t = self.lr * c2.sqrt() / c1;
        for layer in self.layers.iter_mut() {
            Zip::from(&mut layer.w).and(&mut layer.mw).and(&mut layer.vw).and(&layer.gw).for_each(|w, m, v, &g| {
                *m = b1 * *m + (1.0 - b1) * g; *v = b2 * *v + (1.0 - b2) * g * g; *w -= lr_t * *m / (v.sqrt() + eps);
            });
            Zip::from(&mut layer.b).and(&mut layer.mb).and(&mut layer.vb).and(&layer.gb).for_each(|w, m, v, &g| {
                *m = b1 * *m + (1.0 - b1) * g; *v = b2 * *v + (1.0 - b2) * g * g; *w -= lr_t * *m / (v.sqrt() + eps);
            });
        }
        loss
    }
}

/// C = A*B with A,B,C n x n f32 via ndarray/matrixmultiply sgemm.
pub struct Sgemm { a: Array2<f32>, b: Array2<f32>, c: Array2<f32> }
impl Sgemm {
    pub fn new(n: usize) -> Sgemm {
        let mut r = Rng::new(7);
        Sgemm { a: Array2::from_shape_fn((n, n), |_| r.sym()), b: Array2::from_shape_fn((n, n), |_| r.sym()), c: Array2::zeros((n, n)) }
    }
    pub fn run(&mut self) -> f32 { general_mat_mul(1.0, &self.a, &self.b, 0.0, &mut self.c); self.c[[0, 0]] }
}

// ---- tiny C ABI used by the wasm32 build (also harmless natively) ----
static mut NET: Option<Mlp> = None;
static mut GEMM: Option<Sgemm> = None;

#[no_mangle]
pub extern "C" fn anchors_init(net: u32, batch: u32) -> u32 {
    unsafe { NET = Some(Mlp::new(&NETS[net as usize], batch as usize, 42)); }
    macs_per_example(NETS[net as usize].sizes) as u32
}
#[no_mangle]
pub extern "C" fn anchors_steps(n: u32) -> f32 {
    #[allow(static_mut_refs)]
    let m = unsafe { NET.as_mut().unwrap() };
    let mut l = 0.0;
    for _ in 0..n { l = m.step(); }
    l
}
#[no_mangle]
pub extern "C" fn anchors_gemm_init(n: u32) { unsafe { GEMM = Some(Sgemm::new(n as usize)); } }
#[no_mangle]
pub extern "C" fn anchors_gemm_run(reps: u32) -> f32 {
    #[allow(static_mut_refs)]
    let g = unsafe { GEMM.as_mut().unwrap() };
    let mut s = 0.0;
    for _ in 0..reps { s += g.run(); }
    s
}
