//! Custom landscapes typed by the user, e.g. `sin(x)*cos(y) + 0.1*(x^2+y^2)`.
//!
//! Grammar (precedence low → high; `^` is right-associative and binds tighter than unary minus,
//! so `-x^2 = -(x^2)` as in mathematics and Python):
//! ```text
//! expr  := term (('+' | '-') term)*
//! term  := unary (('*' | '/') unary)*
//! unary := ('-' | '+') unary | power
//! power := atom (('^' | '**') unary)?
//! atom  := number | 'x' | 'y' | 'pi' | 'e' | func '(' expr ')' | '(' expr ')'
//! func  := sin cos tan exp log sqrt abs tanh
//! ```
//! The tree is evaluated generically over [`Real`], so the same parse gives values (f64),
//! exact gradients and Hessians ([`crate::real::Dual2`]) and SIMD heatmaps.

use crate::real::Real;
use std::fmt;

/// Longest expression accepted (characters), and deepest nesting: bounds on work and recursion.
pub const MAX_LEN: usize = 500;
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub struct ExprError {
    /// 0-based character index where the problem is.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at column {})", self.message, self.position + 1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Func {
    Sin,
    Cos,
    Tan,
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
}

const FUNCS: [(&str, Func); 8] = [
    ("sin", Func::Sin),
    ("cos", Func::Cos),
    ("tan", Func::Tan),
    ("exp", Func::Exp),
    ("log", Func::Log),
    ("sqrt", Func::Sqrt),
    ("abs", Func::Abs),
    ("tanh", Func::Tanh),
];

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Const(f64),
    X,
    Y,
    Neg(Box<Node>),
    Add(Box<Node>, Box<Node>),
    Sub(Box<Node>, Box<Node>),
    Mul(Box<Node>, Box<Node>),
    Div(Box<Node>, Box<Node>),
    /// Power with a small integer exponent (exact repeated multiplication).
    PowI(Box<Node>, i32),
    /// Power with another constant exponent.
    PowF(Box<Node>, f64),
    /// Power with a variable exponent: exp(p ln b).
    Pow(Box<Node>, Box<Node>),
    Call(Func, Box<Node>),
}

impl Node {
    pub fn eval<T: Real>(&self, x: T, y: T) -> T {
        match self {
            Node::Const(c) => T::cst(*c),
            Node::X => x,
            Node::Y => y,
            Node::Neg(a) => -a.eval(x, y),
            Node::Add(a, b) => a.eval(x, y) + b.eval(x, y),
            Node::Sub(a, b) => a.eval(x, y) - b.eval(x, y),
            Node::Mul(a, b) => a.eval(x, y) * b.eval(x, y),
            Node::Div(a, b) => a.eval(x, y) / b.eval(x, y),
            Node::PowI(a, n) => a.eval(x, y).powi(*n),
            Node::PowF(a, p) => a.eval(x, y).powf(*p),
            Node::Pow(a, p) => a.eval(x, y).pow(p.eval(x, y)),
            Node::Call(f, a) => {
                let v = a.eval(x, y);
                match f {
                    Func::Sin => v.sin(),
                    Func::Cos => v.cos(),
                    Func::Tan => v.tan(),
                    Func::Exp => v.exp(),
                    Func::Log => v.ln(),
                    Func::Sqrt => v.sqrt(),
                    Func::Abs => v.abs(),
                    Func::Tanh => v.tanh(),
                }
            }
        }
    }

    fn depends_on_xy(&self) -> bool {
        match self {
            Node::Const(_) => false,
            Node::X | Node::Y => true,
            Node::Neg(a) | Node::PowI(a, _) | Node::PowF(a, _) | Node::Call(_, a) => {
                a.depends_on_xy()
            }
            Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b)
            | Node::Pow(a, b) => a.depends_on_xy() || b.depends_on_xy(),
        }
    }
}

/// A parsed, validated expression in x and y.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub source: String,
    pub root: Node,
}

impl Expr {
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        let chars: Vec<char> = src.chars().collect();
        if chars.len() > MAX_LEN {
            return Err(ExprError {
                position: MAX_LEN,
                message: format!(
                    "expression is too long ({} characters, at most {MAX_LEN})",
                    chars.len()
                ),
            });
        }
        let tokens = lex(&chars)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            depth: 0,
            end: chars.len(),
        };
        if p.tokens.is_empty() {
            return Err(ExprError {
                position: 0,
                message: "expression is empty".into(),
            });
        }
        let root = p.expr()?;
        if let Some(t) = p.peek() {
            let hint = match t.kind {
                Tok::Num(_) | Tok::Ident(_) | Tok::LParen => ": use * for multiplication",
                _ => "",
            };
            return Err(ExprError {
                position: t.pos,
                message: format!("unexpected {}{hint}", t.kind.describe()),
            });
        }
        Ok(Expr {
            source: src.to_string(),
            root,
        })
    }

    pub fn eval<T: Real>(&self, x: T, y: T) -> T {
        self.root.eval(x, y)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Num(v) => format!("number {v}"),
            Tok::Ident(s) => format!("'{s}'"),
            Tok::Plus => "'+'".into(),
            Tok::Minus => "'-'".into(),
            Tok::Star => "'*'".into(),
            Tok::Slash => "'/'".into(),
            Tok::Caret => "'^'".into(),
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
        }
    }
}

struct Token {
    kind: Tok,
    pos: usize,
}

fn lex(c: &[char]) -> Result<Vec<Token>, ExprError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let start = i;
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        if ch.is_ascii_digit() || ch == '.' {
            while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.') {
                i += 1;
            }
            // Exponent part: 1e-3, 2.5E+4
            if i < c.len() && (c[i] == 'e' || c[i] == 'E') {
                let mut j = i + 1;
                if j < c.len() && (c[j] == '+' || c[j] == '-') {
                    j += 1;
                }
                if j < c.len() && c[j].is_ascii_digit() {
                    while j < c.len() && c[j].is_ascii_digit() {
                        j += 1;
                    }
                    i = j;
                }
            }
            let text: String = c[start..i].iter().collect();
            let v: f64 = text.parse().map_err(|_| ExprError {
                position: start,
                message: format!("'{text}' is not a number"),
            })?;
            out.push(Token {
                kind: Tok::Num(v),
                pos: start,
            });
            continue;
        }
        if ch.is_ascii_alphabetic() || ch == '_' {
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Token {
                kind: Tok::Ident(c[start..i].iter().collect()),
                pos: start,
            });
            continue;
        }
        let kind = match ch {
            '+' => Tok::Plus,
            '-' | '−' => Tok::Minus,
            '*' if c.get(i + 1) == Some(&'*') => {
                i += 1;
                Tok::Caret
            }
            '*' | '·' | '×' => Tok::Star,
            '/' => Tok::Slash,
            '^' => Tok::Caret,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            _ => {
                return Err(ExprError {
                    position: start,
                    message: format!("unexpected character '{ch}'"),
                });
            }
        };
        i += 1;
        out.push(Token { kind, pos: start });
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }
    fn here(&self) -> usize {
        self.peek().map_or(self.end, |t| t.pos)
    }
    fn eat(&mut self, k: &Tok) -> bool {
        if self.peek().is_some_and(|t| &t.kind == k) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError {
                position: self.here(),
                message: format!("nesting is deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Node, ExprError> {
        self.enter()?;
        let mut a = self.term()?;
        loop {
            if self.eat(&Tok::Plus) {
                a = fold(Node::Add(Box::new(a), Box::new(self.term()?)));
            } else if self.eat(&Tok::Minus) {
                a = fold(Node::Sub(Box::new(a), Box::new(self.term()?)));
            } else {
                break;
            }
        }
        self.depth -= 1;
        Ok(a)
    }

    fn term(&mut self) -> Result<Node, ExprError> {
        let mut a = self.unary()?;
        loop {
            if self.eat(&Tok::Star) {
                a = fold(Node::Mul(Box::new(a), Box::new(self.unary()?)));
            } else if self.eat(&Tok::Slash) {
                a = fold(Node::Div(Box::new(a), Box::new(self.unary()?)));
            } else {
                break;
            }
        }
        Ok(a)
    }

    fn unary(&mut self) -> Result<Node, ExprError> {
        self.enter()?;
        let r = if self.eat(&Tok::Minus) {
            Ok(fold(Node::Neg(Box::new(self.unary()?))))
        } else if self.eat(&Tok::Plus) {
            self.unary()
        } else {
            self.power()
        };
        self.depth -= 1;
        r
    }

    fn power(&mut self) -> Result<Node, ExprError> {
        let base = self.atom()?;
        if !self.eat(&Tok::Caret) {
            return Ok(base);
        }
        let exp = self.unary()?;
        Ok(fold(match exp {
            Node::Const(p) if p.fract() == 0.0 && p.abs() <= 64.0 => {
                Node::PowI(Box::new(base), p as i32)
            }
            Node::Const(p) => Node::PowF(Box::new(base), p),
            e => Node::Pow(Box::new(base), Box::new(e)),
        }))
    }

    fn atom(&mut self) -> Result<Node, ExprError> {
        let Some(t) = self.peek() else {
            return Err(ExprError {
                position: self.end,
                message: "expression ends too early: expected a number, x, y or '('".into(),
            });
        };
        let pos = t.pos;
        let kind = t.kind.clone();
        self.pos += 1;
        match kind {
            Tok::Num(v) => Ok(Node::Const(v)),
            Tok::LParen => {
                let inner = self.expr()?;
                if !self.eat(&Tok::RParen) {
                    return Err(ExprError {
                        position: self.here(),
                        message: format!("missing ')' to close the '(' at column {}", pos + 1),
                    });
                }
                Ok(inner)
            }
            Tok::Ident(name) => match name.as_str() {
                "x" => Ok(Node::X),
                "y" => Ok(Node::Y),
                "pi" => Ok(Node::Const(std::f64::consts::PI)),
                "e" => Ok(Node::Const(std::f64::consts::E)),
                _ => {
                    let Some(&(_, f)) = FUNCS.iter().find(|(n, _)| *n == name) else {
                        let known: Vec<&str> = FUNCS.iter().map(|(n, _)| *n).collect();
                        return Err(ExprError {
                            position: pos,
                            message: format!(
                                "unknown name '{name}': use x, y, pi, e or a function ({})",
                                known.join(", ")
                            ),
                        });
                    };
                    if !self.eat(&Tok::LParen) {
                        return Err(ExprError {
                            position: self.here(),
                            message: format!("expected '(' after {name}"),
                        });
                    }
                    let arg = self.expr()?;
                    if !self.eat(&Tok::RParen) {
                        return Err(ExprError {
                            position: self.here(),
                            message: format!("missing ')' to close {name}("),
                        });
                    }
                    Ok(fold(Node::Call(f, Box::new(arg))))
                }
            },
            other => Err(ExprError {
                position: pos,
                message: format!(
                    "unexpected {}: expected a number, x, y or '('",
                    other.describe()
                ),
            }),
        }
    }
}

/// Constant folding: a node with no x or y becomes its value.
fn fold(n: Node) -> Node {
    if n.depends_on_xy() {
        n
    } else {
        Node::Const(n.eval(0.0f64, 0.0f64))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn v(src: &str, x: f64, y: f64) -> f64 {
        Expr::parse(src).unwrap().eval(x, y)
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(v("1 + 2*3", 0.0, 0.0), 7.0);
        assert_eq!(v("-x^2", 3.0, 0.0), -9.0);
        assert_eq!(v("2^3^2", 0.0, 0.0), 512.0);
        assert_eq!(v("x**2 + y", 2.0, 1.0), 5.0);
        assert_eq!(v("(x - y) / 2", 5.0, 1.0), 2.0);
        assert_eq!(v("2^-1", 0.0, 0.0), 0.5);
        assert!((v("sin(pi/2) + log(e) + sqrt(4) + abs(-1)", 0.0, 0.0) - 5.0).abs() < 1e-15);
        assert_eq!(v("1e-3*1E+3 + .5", 0.0, 0.0), 1.5);
    }

    #[test]
    fn errors_carry_positions() {
        let e = Expr::parse("sin(x)*cos(y) + ").unwrap_err();
        assert_eq!(e.position, 16);
        let e = Expr::parse("2x").unwrap_err();
        assert_eq!(e.position, 1);
        assert!(
            e.message.contains("use * for multiplication"),
            "{}",
            e.message
        );
        let e = Expr::parse("foo(x)").unwrap_err();
        assert_eq!(e.position, 0);
        assert!(e.message.contains("unknown name 'foo'"));
        let e = Expr::parse("(x + 1").unwrap_err();
        assert!(e.message.contains("missing ')'"));
        assert_eq!(Expr::parse("x $ y").unwrap_err().position, 2);
        assert!(Expr::parse("").is_err());
        assert!(Expr::parse(&"(".repeat(400))
            .unwrap_err()
            .message
            .contains("nesting"));
        assert!(Expr::parse(&"x+".repeat(400))
            .unwrap_err()
            .message
            .contains("too long"));
    }
}
