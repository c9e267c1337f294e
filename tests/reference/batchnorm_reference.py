"""Reference numbers for the functional BatchNorm1d of the engine (`batchNorm1d` in the JS API,
`optplay::nn::layer::batch_norm_values` natively): torch.nn.BatchNorm1d in float64, training
batches with an upstream gradient each (forward, backward, running statistics), then one
evaluation input. Widths 1, 3, 7; batch sizes 2, 5, 16; momentum 0.1, 0.5 and None (the
cumulative average); eps 1e-5 and 1e-3; affine and not; running statistics from PyTorch's 0/1
and from given values.

    python tests/reference/batchnorm_reference.py > tests/data/torch_batchnorm.json
"""
import json, sys
import torch

torch.set_default_dtype(torch.float64)
g = torch.Generator().manual_seed(20261202)
cases = []
configs = [
    (3, 2, 0.1, 1e-5, True, False),
    (3, 5, 0.1, 1e-5, True, True),
    (7, 16, 0.5, 1e-3, True, False),
    (1, 2, None, 1e-5, True, True),
    (7, 5, None, 1e-5, False, False),
    (3, 16, 0.1, 1e-3, False, True),
    (7, 2, 0.5, 1e-5, True, True),
]
for k, (n, batch, momentum, eps, affine, given_running) in enumerate(configs):
    bn = torch.nn.BatchNorm1d(n, eps=eps, momentum=momentum, affine=affine)
    spec = {"num_features": n, "eps": eps, "momentum": momentum, "affine": affine, "dtype": "f64"}
    with torch.no_grad():
        if affine:
            bn.weight.copy_(1 + 0.5 * torch.randn(n, generator=g))
            bn.bias.copy_(0.3 * torch.randn(n, generator=g))
            spec["gamma"] = bn.weight.tolist(); spec["beta"] = bn.bias.tolist()
        if given_running:
            bn.running_mean.copy_(torch.randn(n, generator=g))
            bn.running_var.copy_(0.5 + torch.rand(n, generator=g))
            spec["running_mean"] = bn.running_mean.tolist(); spec["running_var"] = bn.running_var.tolist()
    batches, out = [], []
    bn.train()
    for b in range(3):
        scale = 1 + 2 * b
        x = (scale * torch.randn(batch, n, generator=g) + b).requires_grad_(True)
        up = torch.randn(batch, n, generator=g)
        y = bn(x)
        y.backward(up)
        xd = x.detach()
        batches.append({"input": xd.tolist(), "upstream_grad": up.tolist()})
        out.append({
            "output": y.detach().tolist(), "batch_mean": xd.mean(0).tolist(),
            "batch_var_biased": xd.var(0, unbiased=False).tolist(), "batch_var_unbiased": xd.var(0, unbiased=True).tolist(),
            "running_mean": bn.running_mean.tolist(), "running_var": bn.running_var.tolist(),
            "grad_input": x.grad.tolist(),
            "grad_gamma": bn.weight.grad.tolist() if affine else None, "grad_beta": bn.bias.grad.tolist() if affine else None,
        })
        if affine:
            bn.weight.grad = None; bn.bias.grad = None
    spec["train_batches"] = batches
    ev = torch.randn(4, n, generator=g)
    spec["eval_input"] = ev.tolist()
    bn.eval()
    with torch.no_grad():
        eval_output = bn(ev).tolist()
    cases.append({"id": f"bn{k}-n{n}-b{batch}-m{momentum}-eps{eps}-affine{int(affine)}", "spec": spec, "batches": out, "eval_output": eval_output})
json.dump({"torch": torch.__version__, "cases": cases}, sys.stdout)
