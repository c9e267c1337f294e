// The activations of the vanishing-gradient lab: their labels, formulas for the captions and the
// largest value of g′ (the lecture's bound). The curves themselves come from the engine
// (E.activationCurve); tests/js/activation-reference.mjs holds PyTorch's formulas, against which
// the engine is checked.
//
// Lecture §1: the update ΔW = −η ∂L/∂W contains a factor g′ for every layer on the way back;
// the sigmoid's g′ never exceeds 1/4, so L sigmoid layers contribute at most (1/4)^L.

/** The activations the engine knows (E.networkOptions().activations), with formulas for labels. */
export const ACTIVATIONS = {
  identity: { label: 'identity', g: 'g(x) = x', dg: "g′(x) = 1", maxDerivative: 1 },
  sigmoid: { label: 'sigmoid', g: 'σ(x) = 1/(1 + e^−x)', dg: "σ′(x) = σ(x)(1 − σ(x)) ≤ 1/4", maxDerivative: 0.25 },
  tanh: { label: 'tanh', g: 'tanh(x)', dg: "tanh′(x) = 1 − tanh²(x) ≤ 1", maxDerivative: 1 },
  relu: { label: 'ReLU', g: 'max(0, x)', dg: "relu′(x) = 1 if x > 0, else 0", maxDerivative: 1 },
  leaky_relu: { label: 'leaky ReLU', g: 'max(0, x) + a·min(0, x)', dg: "1 if x > 0, else a (a = negative_slope, 0.01)", maxDerivative: 1 },
  gelu: { label: 'GELU', g: 'x·Φ(x)', dg: "Φ(x) + x·φ(x)", maxDerivative: 1.1289 },
};

/** The lecture's bound: the product of L factors g′ ≤ m is at most m^L (e.g. 0.25^L for the sigmoid). */
export const boundAtDepth = (m, L) => m ** L;
