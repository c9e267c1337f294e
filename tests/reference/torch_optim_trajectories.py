"""PyTorch float64 trajectories for the playground's reference tests.

    python tests/reference/torch_optim_trajectories.py check   # recompute tests/data/torch_optim_trajectories.json, compare
    python tests/reference/torch_optim_trajectories.py extra   # write tests/data/torch_optim_extra.json

The first mode re-derives the shared reference file (PyTorch 2.15, foreach=False) from the loop
its README describes, so the semantics our Rust tests rely on are pinned by code, not prose. The
second mode writes more cases of the same kind (other landscapes, start points, a rotated
quadratic and a typed expression), which tests/reference.rs checks to 1e-9 as well.
Needs torch (CPU) in the Python that runs it; CI does not install it (the JSON files are
committed).
"""
import json
import math
import sys

import torch

torch.set_default_dtype(torch.float64)
pi = math.pi

# Written exactly as the reference README writes them (x = p[0], y = p[1]).
FUNCTIONS = {
    "quadratic": lambda x, y: 0.5 * (1 * x**2 + 10 * y**2),
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "beale": lambda x, y: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2,
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "saddle": lambda x, y: x**2 - y**2,
    "rastrigin": lambda x, y: 20 + (x**2 - 10 * torch.cos(2 * pi * x)) + (y**2 - 10 * torch.cos(2 * pi * y)),
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "six_hump_camel": lambda x, y: (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
}

CLASSES = {
    "sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
    "adadelta": torch.optim.Adadelta, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
    "adamax": torch.optim.Adamax, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam,
}


def scheduler(opt, cfg):
    if cfg is None:
        return None
    name = cfg["name"]
    if name == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=cfg["gamma"])
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=cfg["step_size"], gamma=cfg["gamma"])
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg["T_max"], eta_min=cfg["eta_min"])
    raise ValueError(name)


def finite(t):
    return bool(torch.isfinite(t).all())


def trajectory(f, start, opt_cfg, sched_cfg, steps):
    F = lambda p: f(p[0], p[1])
    p = torch.tensor(start, requires_grad=True)
    points, values, lrs = [list(start)], [F(p).item()], []
    diverged, reason = None, None
    name = opt_cfg["name"]
    if name == "newton":
        eta = opt_cfg["eta"]
        for k in range(1, steps + 1):
            q = p.detach().clone().requires_grad_(True)
            g = torch.autograd.grad(F(q), q)[0]
            H = torch.autograd.functional.hessian(F, p.detach())
            if not finite(H) or torch.linalg.det(H).item() == 0.0:
                diverged, reason = k, "singular_hessian"
                break
            try:
                d = torch.linalg.solve(H, g)
            except RuntimeError:
                diverged, reason = k, "singular_hessian"
                break
            p = (p.detach() - eta * d).requires_grad_(True)
            v = F(p)
            if not finite(p) or not math.isfinite(v.item()):
                diverged, reason = k, "non_finite"
                break
            points.append(p.tolist())
            values.append(v.item())
        return points, values, None, diverged, reason
    kwargs = {k: (tuple(v) if k == "betas" else v) for k, v in opt_cfg.items() if k != "name"}
    if name == "adamw":
        kwargs.pop("decoupled_weight_decay", None)  # listed in param_groups, not a constructor argument
    opt = CLASSES[name]([p], foreach=False, **kwargs)
    sched = scheduler(opt, sched_cfg)
    for k in range(1, steps + 1):
        lrs.append(opt.param_groups[0]["lr"])
        opt.zero_grad()
        F(p).backward()
        opt.step()
        if sched is not None:
            sched.step()
        with torch.no_grad():
            v = F(p)
        if not finite(p) or not math.isfinite(v.item()):
            diverged, reason = k, "non_finite"
            lrs.pop()
            break
        points.append(p.tolist())
        values.append(v.item())
    return points, values, (lrs if sched_cfg is not None else None), diverged, reason


def chaotic(f, start, opt_cfg, sched_cfg, steps):
    """True when moving the start by one part in 1e15 changes the trajectory by more than 1e-10
    (relative): such a case checks rounding (e.g. of cos), not semantics, so it is left out."""
    a = trajectory(f, start, opt_cfg, sched_cfg, steps)
    b = trajectory(f, [start[0] * (1 + 1e-15) + 1e-300, start[1] * (1 - 1e-15) - 1e-300], opt_cfg, sched_cfg, steps)
    if a[3] != b[3] or len(a[0]) != len(b[0]):
        return True
    return any(abs(u - v) / max(abs(v), 1e-3) > 1e-10 for p, q in zip(a[0], b[0]) for u, v in zip(p, q))


def case(id_, function, start, opt_cfg, sched_cfg, steps, f=None):
    points, values, lrs, div, why = trajectory(f or FUNCTIONS[function], start, opt_cfg, sched_cfg, steps)
    return {"id": id_, "function": function, "start": start, "optimizer": opt_cfg, "scheduler": sched_cfg,
            "steps": steps, "points": points, "values": values, "diverged_at_step": div,
            "diverged_reason": why, "lrs": lrs}


def check():
    ref = json.load(open("tests/data/torch_optim_trajectories.json"))
    worst = 0.0
    for c in ref:
        got = case(c["id"], c["function"], c["start"], c["optimizer"], c["scheduler"], c["steps"])
        assert got["diverged_at_step"] == c["diverged_at_step"], c["id"]
        flat = lambda xs: [v for p in xs for v in (p if isinstance(p, list) else [p])]
        for key in ["points", "values"] + (["lrs"] if c["lrs"] else []):
            a, b = flat(got[key]), flat(c[key])
            assert len(a) == len(b), (c["id"], key)
            worst = max([worst] + [abs(x - y) / max(abs(y), 1e-3) for x, y in zip(a, b)])
    print(f"{len(ref)} reference cases recomputed; worst relative difference {worst:.3e}")
    assert worst <= 1e-12


# Extra cases: the reference's configurations (its rosenbrock learning rates) on other landscapes
# and start points, plus a rotated quadratic and a typed expression (the engine's `expression`).
def extra():
    ref = json.load(open("tests/data/torch_optim_trajectories.json"))
    configs = []
    for c in ref:
        if c["function"] == "rosenbrock":
            configs.append((c["id"].split("-", 2)[2], c["optimizer"], c["scheduler"]))
    adadelta = {"name": "adadelta", "lr": 1.0, "rho": 0.9, "eps": 1e-06, "weight_decay": 0.0}
    configs.append(("adadelta", adadelta, None))
    starts = {
        "beale": [[1.0, 1.5], [-2.0, 2.0]], "himmelblau": [[0.0, 0.0], [-4.0, -1.0]], "saddle": [[-1.8, 0.001]],
        "rastrigin": [[2.2, -1.8]], "booth": [[-8.0, -8.0]], "six_hump_camel": [[-2.0, -1.2]],
    }
    out, dropped = [], []
    for fn, ss in starts.items():
        for si, s in enumerate(ss):
            for cid, oc, sc in configs:
                id_ = f"{fn}-{'AB'[si]}-{cid}"
                if chaotic(FUNCTIONS[fn], s, oc, sc, 100):
                    dropped.append(id_)
                    continue
                out.append(case(id_, fn, s, oc, sc, 100))
    th = math.radians(30.0)
    cs, sn = math.cos(th), math.sin(th)
    rot = lambda x, y: 0.5 * (1.0 * (cs * x + sn * y) ** 2 + 25.0 * (-sn * x + cs * y) ** 2)
    for cid, oc, sc in configs:
        o = dict(oc)
        if "lr" in o and o["name"] in ("sgd", "rmsprop"):
            o["lr"] = 0.03
        out.append(dict(case(f"quadratic_rot30-A-{cid}", "quadratic_rot30", [-2.0, 1.5], o, sc, 100, f=rot),
                        landscape={"name": "quadratic", "a": 1, "b": 25, "angle": 30}))
    expr = "sin(x)*cos(y) + 0.1*(x^2+y^2)"
    fe = lambda x, y: torch.sin(x) * torch.cos(y) + 0.1 * (x**2 + y**2)
    for cid, oc, sc in configs:
        out.append(dict(case(f"expression-A-{cid}", "expression", [2.0, 1.0], oc, sc, 100, f=fe),
                        landscape={"expression": expr}))
    json.dump(out, open("tests/data/torch_optim_extra.json", "w"), separators=(",", ":"))
    print(f"wrote {len(out)} extra cases; left out as chaotic (1e-15 start change → > 1e-10 path change): {dropped}")


if __name__ == "__main__":
    {"check": check, "extra": extra}[sys.argv[1] if len(sys.argv) > 1 else "check"]()
