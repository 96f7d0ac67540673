#!/usr/bin/env python3
"""Writes the tiny ONNX models under src/test/resources/onnx/, exported from PyTorch.

They stand for "any ONNX model" (not Kiln's own export) in the endpoint server's tests. Each
model.onnx comes with <name>.expected.json: seeded input rows and PyTorch's own outputs for them,
so a test checks ONNX Runtime in the server against the framework that trained the model.

Run once, from endpoint-server/, with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 src/test/python/make_test_models.py
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "onnx")


def export(name, model, example, input_name, output_name, dynamic=True, rows=3):
    model.eval()
    path = os.path.join(OUT, name + ".onnx")
    axes = {input_name: {0: "N"}, output_name: {0: "N"}} if dynamic else None
    torch.onnx.export(model, example, path, input_names=[input_name],
                      output_names=[output_name], dynamic_axes=axes, opset_version=13)
    gen = torch.Generator().manual_seed(7)
    shape = (rows,) + tuple(example.shape[1:])
    x = torch.randn(shape, generator=gen, dtype=example.dtype)
    with torch.no_grad():
        y = model(x)
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump({"input_shape": list(x.shape),
                   "input": [float(v) for v in x.flatten()],
                   "output_shape": list(y.shape),
                   "output": [float(v) for v in y.flatten()]}, f)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    # A classifier like Kiln's digits model: 64 features, 10 classes, softmax in the graph.
    mlp = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(),
                              torch.nn.Linear(32, 10), torch.nn.Softmax(dim=1))
    export("torch_mlp_64_10", mlp, torch.zeros(1, 64), "input", "probabilities")
    # A regression model that takes float64 input (the server converts).
    reg = torch.nn.Sequential(torch.nn.Linear(4, 3)).double()
    export("torch_fp64_regression_4_3", reg, torch.zeros(1, 4, dtype=torch.float64), "x", "output")
    # Exported without dynamic axes: batch fixed to 1, so the server runs rows one at a time.
    fixed = torch.nn.Sequential(torch.nn.Linear(5, 2), torch.nn.Softmax(dim=1))
    export("torch_fixed_batch_5_2", fixed, torch.zeros(1, 5), "features", "probabilities",
           dynamic=False)
    # An image-shaped input [N, 1, 4, 4].
    img = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 3), torch.nn.Softmax(dim=1))
    export("torch_image_1x4x4_3", img, torch.zeros(1, 1, 4, 4), "image", "probabilities")


if __name__ == "__main__":
    main()
