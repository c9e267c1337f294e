//! The batch-normalization lab's measurements of a trainer (src/nn/probe.rs) and the trainer
//! options it needs: the loss along the gradient (checked by finite differences and against a
//! direct computation), weight-scale invariance behind batch norm, the running statistics'
//! momentum and initialization, and the data's scale factor.

use optplay::nn::layer::Mode;
use optplay::nn::{self, spec::TrainerSpec, Buffers, Loss, Rng, Trainer};

fn spec(json: &str) -> TrainerSpec {
    nn::spec::trainer(&serde_json::from_str(json).unwrap()).unwrap()
}

fn spec_err(json: &str) -> String {
    match nn::spec::trainer(&serde_json::from_str(json).unwrap()) {
        Ok(_) => panic!("accepted: {json}"),
        Err(e) => e.to_string(),
    }
}

fn net(bn: bool, extra: &str) -> String {
    format!(
        r#"{{"layer_sizes": [2, 10, 10, 3], "activation": "sigmoid", "init": {{"name": "normal", "std": 0.5}},
        "optimizer": {{"name": "sgd", "lr": 0.5}}, "batch_size": 20, "seed": 3, "batch_norm": {bn}
        {extra}, "data": {{"name": "blobs", "n": 150, "validation_split": 0.2}}}}"#
    )
}

#[test]
fn gradient_probe_is_the_loss_along_the_gradient_and_changes_nothing() {
    for bn in [false, true] {
        let s = spec(&net(bn, ""));
        let mut t = Trainer::<f64>::new(s.config.clone(), &s.data);
        let mut twin = Trainer::<f64>::new(s.config, &s.data);
        t.step(30);
        twin.step(30);
        let etas = [0.0, 1e-7, 1e-6, 0.1, 1.0, 4.0];
        let p = t.gradient_probe(&etas).unwrap();
        assert_eq!(p.losses.len(), etas.len());
        // η = 0 is the probe batch's loss itself, and the gradient does not change.
        assert!(
            (p.losses[0] - p.loss).abs() <= 1e-15 * p.loss.abs().max(1.0),
            "bn {bn}"
        );
        assert!(p.grad_change[0] <= 1e-15, "bn {bn}: {}", p.grad_change[0]);
        // Finite differences along −g: (L(θ − ηg) − L(θ)) / η → −‖g‖².
        let g2 = p.grad_norm * p.grad_norm;
        for k in [1, 2] {
            let slope = (p.losses[k] - p.loss) / etas[k];
            assert!(
                (slope + g2).abs() <= 1e-4 * g2,
                "bn {bn}: slope {slope} vs −‖g‖² {}",
                -g2
            );
        }
        // Small steps change the gradient by about η‖Hg‖: the effective β is finite and ≥ the
        // ratio at every probed η.
        for (k, &eta) in etas.iter().enumerate().skip(1) {
            assert!(p.grad_change[k] / (eta * p.grad_norm) <= p.beta * (1.0 + 1e-12));
        }
        assert!(p.beta.is_finite() && p.beta > 0.0);
        // A direct computation on the first batch-size training rows: L(θ − ηg) and the gradient
        // change at η = 0.1 through the network's own forward/backward.
        let mut d = Trainer::<f64>::new(spec(&net(bn, "")).config, &spec(&net(bn, "")).data);
        d.step(30);
        let rows = 20;
        let (x, y) = (d.train.x[..rows * 2].to_vec(), d.train.t[..rows].to_vec());
        let mut bufs = Buffers::default();
        let mut rng = Rng::new(0);
        let l0 = d.net.loss_and_grad(
            &x,
            &y,
            rows,
            Loss::CrossEntropy,
            Mode::Probe,
            &mut rng,
            &mut bufs,
        );
        assert_eq!(l0, p.loss);
        let g = d.net.grads.clone();
        for (w, gi) in d.net.params.iter_mut().zip(&g) {
            *w -= 0.1 * gi;
        }
        let l = d.net.loss_and_grad(
            &x,
            &y,
            rows,
            Loss::CrossEntropy,
            Mode::Probe,
            &mut rng,
            &mut bufs,
        );
        assert_eq!(l, p.losses[3]);
        let dg = d
            .net
            .grads
            .iter()
            .zip(&g)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        assert!((dg - p.grad_change[3]).abs() <= 1e-15 * dg.max(1.0));
        // Nothing changed: the probed trainer trains on exactly as its twin.
        t.step(20);
        twin.step(20);
        assert_eq!(t.losses(), twin.losses(), "bn {bn}");
        assert_eq!(t.net.params, twin.net.params);
        if bn {
            assert_eq!(
                t.net
                    .running_stats_mut(0)
                    .map(|(m, v)| (m.clone(), v.clone())),
                twin.net
                    .running_stats_mut(0)
                    .map(|(m, v)| (m.clone(), v.clone()))
            );
        }
    }
}

#[test]
fn gradient_probe_rejects_negative_steps() {
    let s = spec(&net(false, ""));
    let mut t = Trainer::<f64>::new(s.config, &s.data);
    assert!(t.gradient_probe(&[-0.1]).is_none());
    assert!(t.gradient_probe(&[f64::NAN]).is_none());
    assert!(t.gradient_probe(&[0.5]).is_some());
}

#[test]
fn batch_norm_makes_the_loss_invariant_to_a_layers_weight_scale() {
    let scales = [0.25, 1.0, 4.0, 20.0];
    let mut t = Trainer::<f64>::new(spec(&net(true, "")).config, &spec(&net(true, "")).data);
    t.step(10);
    let r = t.weight_scale_probe(1, &scales).unwrap();
    // BN(a·z) = BN(z) but for ε = 1e-5 next to the batch variance a²σ²: the loss moves by
    // O(ε/(a²σ²)) — 16 times less for every 4 times larger a — and ‖∂L/∂W‖ ∝ 1/a.
    let (l_inf, g_inf) = (r[3].0, r[3].1 * 20.0);
    let dev: Vec<f64> = r.iter().map(|(l, _)| (l - l_inf).abs()).collect();
    assert!(dev[0] > dev[1] && dev[1] > dev[2], "{r:?}");
    assert!((8.0..=32.0).contains(&(dev[1] / dev[2])), "{r:?}");
    assert!(dev[1] <= 1e-4 * l_inf, "a = 1: {r:?}");
    for (k, &a) in scales.iter().enumerate() {
        let tol = if a >= 1.0 { 5e-3 } else { 5e-2 };
        assert!((r[k].1 * a - g_inf).abs() <= tol * g_inf, "a {a}: {r:?}");
    }
    // Without batch norm the same scaling changes the loss.
    let mut plain = Trainer::<f64>::new(spec(&net(false, "")).config, &spec(&net(false, "")).data);
    plain.step(10);
    let r = plain.weight_scale_probe(1, &scales).unwrap();
    let moved = r
        .iter()
        .map(|(l, _)| (l - r[1].0).abs())
        .fold(0.0, f64::max);
    assert!(moved > 0.05 * r[1].0, "{r:?}");
    // The network is left as it was.
    let before = plain.net.params.clone();
    plain.weight_scale_probe(0, &[3.0]).unwrap();
    assert_eq!(plain.net.params, before);
    assert!(plain.weight_scale_probe(3, &[1.0]).is_none());
}

/// Layer 0's running mean after `steps` steps.
fn running_mean(extra: &str, steps: usize) -> Vec<f64> {
    let s = spec(&net(true, extra));
    let mut t = Trainer::<f64>::new(s.config, &s.data);
    t.step(steps);
    t.net.running_stats_mut(0).unwrap().0.clone()
}

#[test]
fn running_statistics_momentum_and_initialization() {
    // Momentum 1 keeps the last batch's statistics: s1 after one step, s2 after two (the running
    // statistics do not influence training, so every variant sees the same batches).
    let s1 = running_mean(r#", "bn_momentum": 1"#, 1);
    let s2 = running_mean(r#", "bn_momentum": 1"#, 2);
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-12);
    // torch's default: 0 → 0.1·s1 → 0.9·0.1·s1 + 0.1·s2.
    let d1 = running_mean("", 1);
    let d2 = running_mean("", 2);
    assert!(close(&d1, &s1.iter().map(|x| 0.1 * x).collect::<Vec<_>>()));
    let want: Vec<f64> = s1
        .iter()
        .zip(&s2)
        .map(|(a, b)| 0.9 * 0.1 * a + 0.1 * b)
        .collect();
    assert!(close(&d2, &want));
    // The lecture's MA⁽¹⁾ = μ_B⁽¹⁾: s1, then 0.9·s1 + 0.1·s2.
    let f1 = running_mean(r#", "bn_running_init": "first_batch""#, 1);
    let f2 = running_mean(r#", "bn_running_init": "first_batch""#, 2);
    assert!(close(&f1, &s1));
    let want: Vec<f64> = s1.iter().zip(&s2).map(|(a, b)| 0.9 * a + 0.1 * b).collect();
    assert!(close(&f2, &want));
    // momentum null (torch's None): the cumulative average (s1 + s2)/2.
    let c2 = running_mean(r#", "bn_momentum": null"#, 2);
    let want: Vec<f64> = s1.iter().zip(&s2).map(|(a, b)| (a + b) / 2.0).collect();
    assert!(close(&c2, &want));
    assert!(
        s1.iter().zip(&s2).any(|(a, b)| (a - b).abs() > 1e-6),
        "the batches differ"
    );
}

#[test]
fn data_scale_multiplies_every_feature() {
    let base = r#"{"layer_sizes": [2, 3, 1], "optimizer": {"name": "sgd", "lr": 0.1}, "data": {"inputs": [[16, 8], [4, 0], [2, 12]], "labels": [0, 1, 0]SCALE}}"#;
    let a = spec(&base.replace("SCALE", ""));
    let b = spec(&base.replace("SCALE", r#", "scale": 0.0625"#));
    let scaled: Vec<f64> = a.data.x.iter().map(|v| v / 16.0).collect();
    assert_eq!(b.data.x, scaled);
    for (bad, msg) in [("0", "(0, 1e6]"), ("-1", "(0, 1e6]"), ("\"x\"", "number")] {
        let e = spec_err(&base.replace("SCALE", &format!(r#", "scale": {bad}"#)));
        assert!(e.starts_with("data.scale:") && e.contains(msg), "{e}");
    }
}

#[test]
fn batch_norm_option_errors_name_the_field() {
    let e = spec_err(&net(true, r#", "bn_momentum": 1.5"#));
    assert!(e.starts_with("bn_momentum: must be in [0, 1]"), "{e}");
    let e = spec_err(&net(true, r#", "bn_momentum": "fast""#));
    assert!(e.starts_with("bn_momentum:"), "{e}");
    let e = spec_err(&net(true, r#", "bn_running_init": "zeros""#));
    assert!(e.starts_with("bn_running_init: must be \"torch\""), "{e}");
}

#[test]
fn bn_unit_stats_are_the_last_batch_and_the_running_statistics() {
    // Momentum 1: the running statistics are the last batch's (running variance unbiased).
    let s = spec(&net(true, r#", "bn_momentum": 1"#));
    let mut t = Trainer::<f64>::new(s.config, &s.data);
    assert!(t.bn_unit_stats(0, 0).is_none(), "before the first step");
    t.step(3);
    let [m, v, rm, rv] = t.bn_unit_stats(1, 4).unwrap();
    assert!((m - rm).abs() <= 1e-12, "{m} {rm}");
    assert!(
        (v * 20.0 / 19.0 - rv).abs() <= 1e-12 * rv.max(1.0),
        "{v} {rv}"
    );
    assert!(
        t.bn_unit_stats(2, 0).is_none(),
        "the output layer has no batch norm"
    );
    assert!(t.bn_unit_stats(1, 10).is_none());
    let s = spec(&net(false, ""));
    let mut plain = Trainer::<f64>::new(s.config, &s.data);
    plain.step(1);
    assert!(plain.bn_unit_stats(0, 0).is_none());
}

#[test]
fn batch_norm_after_the_activation_normalizes_the_activations() {
    let after = r#", "bn_placement": "after", "bn_momentum": 1"#;
    let s = spec(&net(true, after));
    let mut t = Trainer::<f64>::new(s.config, &s.data);
    t.step(3);
    // What it normalizes is a sigmoid output: its batch mean lies in (0, 1), and momentum 1 makes
    // the running statistics that batch's (the running variance unbiased).
    let [m, v, rm, rv] = t.bn_unit_stats(0, 2).unwrap();
    assert!(m > 0.0 && m < 1.0 && v > 0.0 && v < 0.25, "{m} {v}");
    assert!((m - rm).abs() <= 1e-12 && (v * 20.0 / 19.0 - rv).abs() <= 1e-12);
    // Inference works with every kind of statistics; population statistics from the activations.
    let pop = t.population_stats();
    let (pm, pv) = pop[0].as_ref().unwrap();
    assert!(pm.iter().all(|x| *x > 0.0 && *x < 1.0) && pv.iter().all(|x| *x > 0.0));
    assert!(pop[2].is_none(), "the output layer has no batch norm");
    for stats in [
        nn::BnStats::Running,
        nn::BnStats::Batch,
        nn::BnStats::Population,
    ] {
        assert!(t.evaluate_bn(stats, 20).train_loss.is_finite());
    }
    // The placement changes training: a different network from the same initial weights.
    let s = spec(&net(true, r#", "bn_momentum": 1"#));
    let mut before = Trainer::<f64>::new(s.config, &s.data);
    assert_eq!(before.net.params.len(), t.net.params.len());
    before.step(3);
    assert_ne!(before.net.params, t.net.params);
    // With batch norm after the activation, scaling W moves the activation's input: no invariance.
    let r = t.weight_scale_probe(1, &[1.0, 4.0]).unwrap();
    assert!((r[0].0 - r[1].0).abs() > 1e-3 * r[0].0, "{r:?}");
    let e = spec_err(&net(true, r#", "bn_placement": "middle""#));
    assert!(e.starts_with("bn_placement: must be \"before\""), "{e}");
}
