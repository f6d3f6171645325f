#!/usr/bin/env python3
"""PyTorch's side of `./submit.sh benchmark --recipe conf/fashion-mnist.properties`.

The same recipe as conf/fashion-mnist.properties: 784-256-128-10 ReLU, softmax + cross-entropy,
pixels standardised with the training set's mean and std per pixel, Adam (stepSize 0.008, betas
0.9/0.999, eps 1e-8), a linear warm-up over the first epoch's steps then cosine decay to 0 at
epoch 20, L2 1e-4 on the weights (not the biases) added to the gradient, batches of 2048 rows
reshuffled each epoch, 20 epochs. Prints, per epoch, the training seconds (test scoring
excluded, as sparkprop's recipe benchmark counts them) and the test accuracy, then the seconds
at which test accuracy first reached --target.

Debian: sudo apt-get install python3-torch dataset-fashion-mnist
Run:    python3 src/bench/fashion_pytorch.py --dtype float32 --threads 2
"""
import argparse
import gzip
import json
import math
import struct
import time

import numpy as np
import torch

DATA = "/usr/share/datasets/fashion-mnist/"


def idx(path):
    with gzip.open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--target", type=float, default=0.88)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dtype = torch.float32 if a.dtype == "float32" else torch.float64

    x = idx(DATA + "train-images-idx3-ubyte.gz").reshape(60000, 784).astype(np.float64)
    y = idx(DATA + "train-labels-idx1-ubyte.gz").astype(np.int64)
    tx = idx(DATA + "t10k-images-idx3-ubyte.gz").reshape(10000, 784).astype(np.float64)
    ty = idx(DATA + "t10k-labels-idx1-ubyte.gz").astype(np.int64)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std == 0] = 1.0
    x = torch.tensor((x - mean) / std, dtype=dtype)
    tx = torch.tensor((tx - mean) / std, dtype=dtype)
    y = torch.tensor(y)
    ty = torch.tensor(ty)

    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                              torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(dtype)
    weights = [m.weight for m in net if isinstance(m, torch.nn.Linear)]
    biases = [m.bias for m in net if isinstance(m, torch.nn.Linear)]
    opt = torch.optim.Adam([{"params": weights, "weight_decay": 1e-4}, {"params": biases, "weight_decay": 0.0}],
                           lr=0.008, betas=(0.9, 0.999), eps=1e-8)
    batch = 2048
    steps = math.ceil(60000 / batch)
    total = steps * a.epochs

    def rate(t):  # t: steps taken so far
        if t < steps:
            return 0.008 * (t + 1) / steps
        return 0.008 * 0.5 * (1 + math.cos(math.pi * (t - steps) / (total - steps)))

    loss_fn = torch.nn.CrossEntropyLoss()
    trained = 0.0
    reached = None
    t = 0
    history = []
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(60000)
        for s in range(steps):
            rows = order[s * batch:(s + 1) * batch]
            for g in opt.param_groups:
                g["lr"] = rate(t)
            opt.zero_grad()
            loss = loss_fn(net(x[rows]), y[rows])
            loss.backward()
            opt.step()
            t += 1
        trained += time.perf_counter() - start
        with torch.no_grad():
            accuracy = (net(tx).argmax(dim=1) == ty).double().mean().item()
        history.append({"epoch": epoch, "trainingSeconds": trained, "testAccuracy": accuracy})
        print(f"epoch {epoch:2d}  {trained:6.1f} s  test accuracy {accuracy:.4f}", flush=True)
        if reached is None and accuracy >= a.target:
            reached = trained
    print(json.dumps({"dtype": a.dtype, "threads": a.threads, "secondsToTarget": reached, "target": a.target,
                      "finalAccuracy": history[-1]["testAccuracy"], "trainingSeconds": trained}))


if __name__ == "__main__":
    main()
