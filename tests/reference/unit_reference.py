"""Reference numbers for the input normalization lab's single unit (src/unit.rs).

numpy (float64) for the curvature: the Hessian of the training loss at w = 0 of σ(w·x̂ + b) with
BCEWithLogitsLoss (¼·E[z̃z̃ᵀ], z̃ = (x̂, 1)) and of w·x̂ + b with MSELoss (2·E[z̃z̃ᵀ]), its
eigenvalues (numpy.linalg.eigh) and κ, for every shipped data set and transform, statistics over
all rows (validation_split 0: no permutation involved), ε = 1e-5, biased variance.

PyTorch (float64) for training: nn.Linear(d, 1) initialised to zero, full batch, SGD / Adam /
RMSprop, the losses and parameters of every step in each coordinate system.

    python tests/reference/unit_reference.py > tests/data/unit_reference.json
"""
import csv, json, os, sys
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "www", "data")
EPS = 1e-5


def load(name, features=None):
    with open(os.path.join(DATA, name)) as f:
        rows = list(csv.reader(f))
    head, body = rows[0], [r for r in rows[1:] if r]
    cols = [head.index(c) for c in features] if features else list(range(len(head) - 1))
    x = np.array([[float(r[c]) for c in cols] for r in body])
    y = np.array([float(r[-1]) for r in body])
    return x, y, [head[c] for c in cols]


def coords(x, transform):
    mu, var = x.mean(0), x.var(0)  # biased
    c = mu if transform in ("center", "standardize") else np.zeros_like(mu)
    s = np.sqrt(var + EPS) if transform in ("scale", "standardize") else np.ones_like(mu)
    return (x - c) / s


def hessian0(xt, model):
    z = np.hstack([xt, np.ones((len(xt), 1))])
    m = z.T @ z / len(xt)
    return 0.25 * m if model == "logistic" else 2.0 * m


cases = []
for file, feats in [("breast_cancer.csv", ["mean_area", "mean_smoothness"]), ("breast_cancer.csv", None), ("wine.csv", None), ("digits.csv", None)]:
    x, y, names = load(file, feats)
    for transform in ("raw", "center", "scale", "standardize"):
        for model in ("logistic", "linear"):
            h = hessian0(coords(x, transform), model)
            ev = np.linalg.eigh(h)[0]
            cases.append({"kind": "curvature", "file": file, "features": feats, "transform": transform, "model": model,
                          "hessian": h.ravel().tolist() if len(h) <= 14 else None, "eigenvalues": ev.tolist()})

runs = []
x, y, _ = load("breast_cancer.csv", ["mean_area", "mean_smoothness"])
for transform, opt, lr, steps in [("raw", "sgd", 1e-5, 60), ("center", "sgd", 6e-5, 60), ("scale", "sgd", 0.15, 60), ("standardize", "sgd", 4.0, 60),
                                  ("raw", "adam", 0.01, 60), ("standardize", "rmsprop", 0.01, 60), ("standardize", "sgd_momentum", 1.0, 60)]:
    for model in ("logistic", "linear"):
        if model == "linear" and transform != "standardize":
            continue
        X = torch.tensor(coords(x, transform))
        Y = torch.tensor(y).unsqueeze(1)
        lin = torch.nn.Linear(2, 1)
        torch.nn.init.zeros_(lin.weight); torch.nn.init.zeros_(lin.bias)
        loss_fn = torch.nn.BCEWithLogitsLoss() if model == "logistic" else torch.nn.MSELoss()
        if opt == "sgd":
            o, spec = torch.optim.SGD(lin.parameters(), lr=lr), {"name": "sgd", "lr": lr}
        elif opt == "sgd_momentum":
            o, spec = torch.optim.SGD(lin.parameters(), lr=lr, momentum=0.9, nesterov=True), {"name": "sgd", "lr": lr, "momentum": 0.9, "nesterov": True}
        elif opt == "adam":
            o, spec = torch.optim.Adam(lin.parameters(), lr=lr, foreach=False), {"name": "adam", "lr": lr}
        else:
            o, spec = torch.optim.RMSprop(lin.parameters(), lr=lr, foreach=False), {"name": "rmsprop", "lr": lr}
        params, losses = [], []
        for t in range(steps + 1):
            o.zero_grad()
            loss = loss_fn(lin(X), Y)
            params.append(lin.weight.detach().ravel().tolist() + lin.bias.detach().tolist())
            losses.append(loss.item())
            if t < steps:
                loss.backward()
                o.step()
        runs.append({"kind": "run", "transform": transform, "model": model, "optimizer": spec, "steps": steps, "params": params, "loss": losses})

json.dump({"torch": torch.__version__, "numpy": np.__version__, "eps": EPS, "curvature": cases, "runs": runs}, sys.stdout)
