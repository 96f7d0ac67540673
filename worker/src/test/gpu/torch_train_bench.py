"""PyTorch's samples/s on the MLP of `kiln bench train` (784-512-256-10, fp32, cross entropy,
SGD momentum 0.9), on the same GPU, for the comparison in issue 8. Prints one JSON object.

Two numbers: batches already on the GPU (PyTorch's best case) and batches copied from host memory
each step, as Kiln's trainer hands them over. TF32 is off so both use FP32 (non-tensor) math.
"""
import argparse
import json
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=128)
p.add_argument("--seconds", type=float, default=10)
a = p.parse_args()
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.manual_seed(0)
dev = torch.device("cuda")
model = torch.nn.Sequential(
    torch.nn.Linear(784, 512), torch.nn.ReLU(),
    torch.nn.Linear(512, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 10)).to(dev)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = torch.nn.CrossEntropyLoss()
samples = max(8192, 2 * a.batch)
x_host = torch.rand(samples, 784) * 2 - 1
y_host = torch.randint(0, 10, (samples,))
batches = samples // a.batch


def run(on_device):
    x = x_host.to(dev) if on_device else x_host
    y = y_host.to(dev) if on_device else y_host

    def step(s):
        xb = x[s * a.batch:(s + 1) * a.batch].to(dev, non_blocking=False)
        yb = y[s * a.batch:(s + 1) * a.batch].to(dev, non_blocking=False)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    for i in range(30):
        step(i % batches)
    torch.cuda.synchronize()
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < a.seconds:
        loss = step(steps % batches)
        loss.item()  # Kiln reads the loss every step too
        steps += 1
    torch.cuda.synchronize()
    return steps * a.batch / (time.perf_counter() - t0)


params = sum(t.numel() for t in model.parameters())
print(json.dumps({
    "benchmark": "train", "backend": "pytorch", "device": torch.cuda.get_device_name(0),
    "torch": torch.__version__, "batch": a.batch, "parameters": params,
    "samples_per_sec_device_data": round(run(True), 1),
    "samples_per_sec_host_data": round(run(False), 1)}))
