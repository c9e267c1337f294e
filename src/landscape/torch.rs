//! The torch source of a landscape, written by the landscape's own formula: [`Py`] is a [`Real`]
//! whose arithmetic records Python instead of computing, so `eval::<Py>` on a built-in (with its
//! parameters) or on a typed expression prints exactly the operations the engine performs, in
//! the engine's order, with its constants (a rotated quadratic's cos θ and sin θ included) —
//! the formula stays written once. The exported script evaluates it on a float64 tensor.

use super::Landscape;
pub use crate::optim::torch::py_float;
use crate::real::Real;
use std::cell::RefCell;
use std::ops::{Add, Div, Mul, Neg, Sub};

thread_local! {
    /// The recorded terms; a `Py` is an index into it (a `Real` must be `Copy`).
    static TERMS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A recorded Python term of `x` and `y` (torch tensors in the script).
#[derive(Clone, Copy, Debug)]
pub struct Py(usize);

impl Py {
    fn new(s: String) -> Py {
        TERMS.with(|t| {
            let mut t = t.borrow_mut();
            t.push(s);
            Py(t.len() - 1)
        })
    }
    fn text(self) -> String {
        TERMS.with(|t| t.borrow()[self.0].clone())
    }
    fn call(self, f: &str) -> Py {
        Py::new(format!("{f}({})", self.text()))
    }
    fn bin(self, op: &str, b: Py) -> Py {
        Py::new(format!("({} {op} {})", self.text(), b.text()))
    }
}

impl Add for Py {
    type Output = Py;
    fn add(self, b: Py) -> Py {
        self.bin("+", b)
    }
}
impl Sub for Py {
    type Output = Py;
    fn sub(self, b: Py) -> Py {
        self.bin("-", b)
    }
}
impl Mul for Py {
    type Output = Py;
    fn mul(self, b: Py) -> Py {
        self.bin("*", b)
    }
}
impl Div for Py {
    type Output = Py;
    fn div(self, b: Py) -> Py {
        self.bin("/", b)
    }
}
impl Neg for Py {
    type Output = Py;
    fn neg(self) -> Py {
        Py::new(format!("(-{})", self.text()))
    }
}

impl Real for Py {
    fn cst(c: f64) -> Py {
        Py::new(py_float(c))
    }
    fn sin(self) -> Py {
        self.call("torch.sin")
    }
    fn cos(self) -> Py {
        self.call("torch.cos")
    }
    fn tan(self) -> Py {
        self.call("torch.tan")
    }
    fn exp(self) -> Py {
        self.call("torch.exp")
    }
    fn ln(self) -> Py {
        self.call("torch.log")
    }
    fn sqrt(self) -> Py {
        self.call("torch.sqrt")
    }
    fn abs(self) -> Py {
        self.call("torch.abs")
    }
    fn tanh(self) -> Py {
        self.call("torch.tanh")
    }
    fn powi(self, n: i32) -> Py {
        Py::new(format!(
            "({}**{})",
            self.text(),
            if n < 0 {
                format!("({n})")
            } else {
                n.to_string()
            }
        ))
    }
    fn powf(self, p: f64) -> Py {
        Py::new(format!("({}**{})", self.text(), py_float(p)))
    }
    // `pow` keeps the trait's exp(p·ln b): the engine's semantics (NaN for b < 0), not torch's `**`.
}

/// F(x, y) of the landscape as a torch expression in tensors `x` and `y`; a landscape built
/// from data has none (its script fits the data instead).
pub fn torch_source(l: &Landscape) -> Result<String, String> {
    if let Landscape::Data(_) = l {
        return Err(
            "a landscape built from data has no closed form: its script fits the data".into(),
        );
    }
    TERMS.with(|t| t.borrow_mut().clear());
    let f = l.eval(Py::new("x".into()), Py::new("y".into())).text();
    TERMS.with(|t| t.borrow_mut().clear());
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landscape::builtin::{Builtin, BUILTINS};
    use crate::landscape::Expr;

    fn builtin(name: &str, values: &[Option<f64>]) -> Landscape {
        let def = BUILTINS.iter().find(|d| d.name == name).unwrap();
        Landscape::Builtin(Builtin::new(def, values))
    }

    #[test]
    fn formulas_print_as_the_engine_computes_them() {
        assert_eq!(
            torch_source(&builtin("rosenbrock", &[])).unwrap(),
            "(((1.0 - x)**2) + (100.0 * ((y - (x**2))**2)))"
        );
        assert_eq!(
            torch_source(&builtin("rosenbrock", &[Some(2.0), Some(0.5)])).unwrap(),
            "(((2.0 - x)**2) + (0.5 * ((y - (x**2))**2)))"
        );
        // A tilted quadratic carries the engine's cos θ and sin θ as literals.
        let q = torch_source(&builtin("quadratic", &[Some(2.0), Some(5.0), Some(30.0)])).unwrap();
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        assert!(
            q.contains(&format!("({c:?} * x)")) && q.contains(&format!("((-{s:?}) * x)")),
            "{q}"
        );
        let e = Expr::parse("sin(x)*cos(y) + 0.1*(x^2 + y**-1) - 2^x + abs(-3)").unwrap();
        assert_eq!(
            torch_source(&Landscape::Expression(e)).unwrap(),
            // (constant subexpressions are folded by the parser: abs(-3) is 3)
            "((((torch.sin(x) * torch.cos(y)) + (0.1 * ((x**2) + (y**(-1))))) - torch.exp((x * torch.log(2.0)))) + 3.0)"
        );
        assert_eq!(py_float(-0.0), "(-0.0)");
        assert_eq!(py_float(1e-7), "1e-7");
    }

    #[test]
    fn every_builtin_has_a_balanced_finite_source_in_x_and_y() {
        for def in BUILTINS {
            let src = torch_source(&builtin(def.name, &[])).unwrap();
            let open = src.matches('(').count();
            assert_eq!(open, src.matches(')').count(), "{}: {src}", def.name);
            assert!(
                src.contains('x') && src.contains('y'),
                "{}: {src}",
                def.name
            );
            assert!(
                !src.contains("NaN") && !src.contains("inf"),
                "{}: {src}",
                def.name
            );
        }
    }
}
