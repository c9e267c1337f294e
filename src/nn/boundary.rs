//! The decision boundary's picture: p(class 1) on a grid (the trainer's `predictGrid`, row 0 at
//! the bottom) painted as a diverging map — class 0 vermilion, class 1 blue (Okabe & Ito's
//! colour-blind-safe pair), white where the network is undecided (p = 0.5), grey where p is not
//! finite — as RGBA rows from the top, ready for an `ImageData`. The training points take the same
//! two colours (`CLASS_COLORS`).

/// The colour of class 0 and of class 1.
pub const CLASS_COLORS: [[u8; 3]; 2] = [[213, 94, 0], [0, 114, 178]];
/// A cell whose probability is not finite (a diverged network).
pub const NOT_FINITE: [u8; 3] = [128, 128, 128];
/// How far a certain cell (p = 0 or 1) moves from white towards its class colour.
pub const STRENGTH: f32 = 0.62;

/// `CLASS_COLORS` as CSS hex strings.
pub fn class_color_css(class: usize) -> String {
    let [r, g, b] = CLASS_COLORS[class.min(1)];
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// RGBA of an `nx` × `ny` grid of probabilities (`p[j·nx + i]`, row j = 0 at the bottom), written
/// top row first into `out` (resized to nx·ny·4). Missing cells (a short `p`) count as not finite.
pub fn paint(p: &[f32], nx: usize, ny: usize, out: &mut Vec<u8>) {
    out.clear();
    out.resize(nx * ny * 4, 255);
    for j in 0..ny {
        let row = ny - 1 - j;
        for i in 0..nx {
            let o = 4 * (row * nx + i);
            let v = p.get(j * nx + i).copied().unwrap_or(f32::NAN);
            let rgb = if v.is_finite() {
                let t = (2.0 * v - 1.0).clamp(-1.0, 1.0);
                let c = CLASS_COLORS[usize::from(t >= 0.0)];
                let a = t.abs() * STRENGTH;
                c.map(|c| (255.0 + (f32::from(c) - 255.0) * a).round() as u8)
            } else {
                NOT_FINITE
            };
            out[o..o + 3].copy_from_slice(&rgb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certain_cells_take_their_class_colour_undecided_ones_white_and_rows_flip() {
        // 2 × 2: bottom row p = 0, 1; top row p = 0.5, NaN.
        let mut out = Vec::new();
        paint(&[0.0, 1.0, 0.5, f32::NAN], 2, 2, &mut out);
        assert_eq!(out.len(), 16);
        let px = |k: usize| [out[4 * k], out[4 * k + 1], out[4 * k + 2], out[4 * k + 3]];
        assert_eq!(px(0), [255, 255, 255, 255], "top left: p = 0.5");
        assert_eq!(px(1), [128, 128, 128, 255], "top right: NaN");
        let toward =
            |c: [u8; 3]| c.map(|c| (255.0 + (f32::from(c) - 255.0) * STRENGTH).round() as u8);
        assert_eq!(px(2)[..3], toward(CLASS_COLORS[0]), "bottom left: class 0");
        assert_eq!(px(3)[..3], toward(CLASS_COLORS[1]), "bottom right: class 1");
        paint(&[0.9], 2, 1, &mut out);
        assert_eq!(
            &out[4..7],
            &NOT_FINITE,
            "a missing cell is not painted as a class"
        );
        assert_eq!(class_color_css(0), "#D55E00");
        assert_eq!(class_color_css(1), "#0072B2");
    }
}
