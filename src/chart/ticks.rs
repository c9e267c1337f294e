//! Tick positions and labels, the rules the page's charts always had (formerly format.js niceTicks/tickLabel,
//! xychart.js decadeTicks/logTicks/pow10Label): linear 1-2-5 steps; on a log axis (positions are
//! exponents) whole decades, or 1-2-5 and then 1…9 inside a span under two decades.

/// "Nice" ticks covering [lo, hi] with about n of them (steps 1, 2, 5 × 10^k).
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return Vec::new();
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let step = mag
        * if f < 1.5 {
            1.0
        } else if f < 3.0 {
            2.0
        } else if f < 7.0 {
            5.0
        } else {
            10.0
        };
    let mut out = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi + step * 1e-9 && out.len() < 1000 {
        let v = k * step;
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        k += 1.0;
    }
    out
}

/// Whole exponents in [lo, hi], at most about n of them.
pub fn decade_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (a, b) = ((lo - 1e-9).ceil(), (hi + 1e-9).floor());
    let step = ((b - a + 1.0) / n.max(2) as f64).ceil().max(1.0);
    let mut out = Vec::new();
    let mut t = a;
    while t <= b && out.len() < 1000 {
        out.push(t);
        t += step;
    }
    if out.is_empty() && lo.is_finite() && hi.is_finite() {
        out.push(((lo + hi) / 2.0).round());
    }
    out
}

/// Log-axis ticks (exponents): decades, or 1-2-5 (then 1…9) steps inside a short span, else
/// linear nice ticks of the values placed on the log axis.
pub fn log_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi - lo >= 2.0 {
        return decade_ticks(lo, hi, n);
    }
    for ms in [
        &[1.0f64, 2.0, 5.0][..],
        &[1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0][..],
    ] {
        let mut out = Vec::new();
        let mut k = lo.floor() - 1.0;
        while k <= hi.ceil() {
            for m in ms {
                let t = k + m.log10();
                if t >= lo - 1e-9 && t <= hi + 1e-9 {
                    out.push(t);
                }
            }
            k += 1.0;
        }
        if out.len() >= 3 {
            return out;
        }
    }
    let lin: Vec<f64> = nice_ticks(10f64.powf(lo), 10f64.powf(hi), n)
        .into_iter()
        .filter(|v| *v > 0.0)
        .map(f64::log10)
        .collect();
    if lin.len() >= 2 {
        lin
    } else {
        decade_ticks(lo, hi, n)
    }
}

/// `v` to `digits` significant digits, as JS `Number(v.toPrecision(d))` prints it.
pub(crate) fn sig(v: f64, digits: usize) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        return exp(v, digits.saturating_sub(2).max(1));
    }
    let d = digits as i32 - 1 - a.log10().floor() as i32;
    trim(format!("{:.*}", d.max(0) as usize, v))
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// JS `v.toExponential(d)` with "e+" written "e": 1.5e5, 2.0e-7.
fn exp(v: f64, d: usize) -> String {
    format!("{:.*e}", d, v)
}

/// A linear tick's label for the tick step (no 0.30000000000000004).
pub fn tick_label(v: f64, step: f64) -> String {
    let d = (-(step.log10() + 1e-9).floor()).max(0.0) as usize;
    let a = v.abs();
    if a != 0.0 && !(1e-4..1e5).contains(&a) {
        return exp(v, 1);
    }
    format!("{:.*}", d.min(8), v)
}

/// A log tick's label: 1, 10, 0.1, then 1e±k; between decades the value to 3 digits.
pub fn pow10_label(t: f64) -> String {
    let k = t.round();
    if (t - k).abs() > 1e-9 {
        return sig(10f64.powf(t), 3);
    }
    if (-2.0..=3.0).contains(&k) {
        return trim(format!("{:.2}", 10f64.powf(k)));
    }
    format!("1e{}", k as i32)
}
