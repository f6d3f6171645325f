#!/usr/bin/env python3
"""PyTorch's side of `./submit.sh benchmark --recipe conf/fashion-mnist.properties`.

Trains the recipe that conf/fashion-mnist.properties (or --conf) gives, read from the file so the
two sides cannot drift apart: its hidden layers with ReLU, softmax + cross-entropy, pixels
standardised with the training set's mean and std per pixel, Adam (stepSize, adamBeta1/2,
adamEpsilon), sparkprop's cosine schedule with its linear warm-up over the first warmupEpochs,
regParam as L2 on the weights (not the biases) added to the gradient, round(rows / batchSize)
steps an epoch over the rows reshuffled each epoch, maxEpochs epochs. A conf asking for anything
else (another optimizer, activation or schedule, dropout) is refused rather than run differently.
Prints, per epoch, the training seconds (test scoring excluded, as sparkprop's recipe benchmark
counts them) and the test accuracy, then the seconds at which test accuracy first reached --target.

Threads: --threads sets PyTorch's own (OpenMP) threads, and --blas-threads those of the BLAS
its matrix products call. Debian's torch calls the system BLAS (OpenBLAS, with
libopenblas0-pthread), which runs one thread per core whatever torch.set_num_threads says, so
--threads 1 alone still multiplies on every core. The JSON line reports both counts.

Debian: sudo apt-get install python3-torch dataset-fashion-mnist
Run:    /usr/bin/python3 src/bench/fashion_pytorch.py --dtype float32 --threads 1 --blas-threads 1
"""
import argparse
import ctypes
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# What the script implements, key by key: a conf that sets one of these otherwise is refused.
REQUIRED = {"task": "classification", "data.format": "idx", "activation": "relu", "loss": "crossentropy",
            "optimizer": "adam", "schedule": "cosine", "standardize": "true"}
DEFAULTS = {"adamBeta1": "0.9", "adamBeta2": "0.999", "adamEpsilon": "1e-8", "warmupEpochs": "0",
            "regParam": "0", "dropout": "0", "seed": "42"}


def read_conf(path):
    """key=value lines of a Java properties file; '#' and '!' start comments."""
    conf = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and line[0] not in "#!":
                key, _, value = line.partition("=")
                conf[key.strip()] = value.strip()
    for key, want in REQUIRED.items():
        if conf.get(key, "").lower() != want:
            raise SystemExit(f"{path}: {key}={conf.get(key)!r}; this script trains only {key}={want}")
    if any(float(r) != 0 for r in conf.get("dropout", "0").split(",")):
        raise SystemExit(f"{path}: dropout={conf['dropout']}; this script trains without dropout")
    return {**DEFAULTS, **conf}


def idx(path):
    with gzip.open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def images_and_labels(images_path):
    """The labels file sits next to the images file, as sparkprop's idx reader finds it."""
    x = idx(images_path)
    y = idx(images_path.replace("images-idx3", "labels-idx1")).astype(np.int64)
    return x.reshape(x.shape[0], -1).astype(np.float64), y


def step_size(base, epoch, step, steps, epochs, warmup):
    """sparkprop's LearningRateSchedule for cosine: epoch 1-based, step 0-based within it."""
    done = (epoch - 1) + step / steps
    alpha = base * 0.5 * (1 + math.cos(math.pi * min(1.0, done / epochs)))
    if warmup > 0 and epoch <= warmup:
        alpha *= ((epoch - 1) * steps + step + 1) / (warmup * steps)
    return alpha


def openblas():
    """The OpenBLAS that numpy and torch loaded (one library, whatever name each linked), or None."""
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        return lib if hasattr(lib, "openblas_get_num_threads") else None
    except OSError:
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--conf", default=os.path.join(ROOT, "conf", "fashion-mnist.properties"))
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--threads", type=int, default=2, help="PyTorch's threads")
    p.add_argument("--blas-threads", type=int, help="OpenBLAS's threads; default: its own (one per core)")
    p.add_argument("--epochs", type=int, help="default: the conf's maxEpochs")
    p.add_argument("--target", type=float, default=0.88)
    a = p.parse_args()
    blas = openblas()
    if a.blas_threads:
        if blas is None:
            raise SystemExit("--blas-threads: no OpenBLAS is loaded in this process")
        blas.openblas_set_num_threads(a.blas_threads)
    conf = read_conf(a.conf)
    epochs = a.epochs or int(conf["maxEpochs"])
    base = float(conf["stepSize"])
    warmup = int(conf["warmupEpochs"])
    batch = int(conf["batchSize"])
    hidden = [int(h) for h in conf["hiddenLayers"].split(",")]
    torch.set_num_threads(a.threads)
    torch.manual_seed(int(conf["seed"]))
    dtype = torch.float32 if a.dtype == "float32" else torch.float64

    x, y = images_and_labels(conf["data.train"])
    tx, ty = images_and_labels(conf["data.test"])
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std == 0] = 1.0
    x = torch.tensor((x - mean) / std, dtype=dtype)
    tx = torch.tensor((tx - mean) / std, dtype=dtype)
    y = torch.tensor(y)
    ty = torch.tensor(ty)
    rows = x.shape[0]

    widths = [x.shape[1]] + hidden + [int(y.max()) + 1]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers).to(dtype)
    weights = [m.weight for m in net if isinstance(m, torch.nn.Linear)]
    biases = [m.bias for m in net if isinstance(m, torch.nn.Linear)]
    opt = torch.optim.Adam([{"params": weights, "weight_decay": float(conf["regParam"])},
                            {"params": biases, "weight_decay": 0.0}],
                           lr=base, betas=(float(conf["adamBeta1"]), float(conf["adamBeta2"])),
                           eps=float(conf["adamEpsilon"]))
    steps = max(1, math.floor(rows / batch + 0.5))  # Java's Math.round, as sparkprop counts them

    loss_fn = torch.nn.CrossEntropyLoss()
    trained = 0.0
    reached = None
    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        for s, part in enumerate(torch.tensor_split(torch.randperm(rows), steps)):
            for g in opt.param_groups:
                g["lr"] = step_size(base, epoch, s, steps, epochs, warmup)
            opt.zero_grad()
            loss = loss_fn(net(x[part]), y[part])
            loss.backward()
            opt.step()
        trained += time.perf_counter() - start
        with torch.no_grad():
            accuracy = (net(tx).argmax(dim=1) == ty).double().mean().item()
        history.append({"epoch": epoch, "trainingSeconds": trained, "testAccuracy": accuracy})
        print(f"epoch {epoch:2d}  {trained:6.1f} s  test accuracy {accuracy:.4f}", flush=True)
        if reached is None and accuracy >= a.target:
            reached = trained
    print(json.dumps({"dtype": a.dtype, "threads": a.threads,
                      "blasThreads": blas and blas.openblas_get_num_threads(),
                      "secondsToTarget": reached, "target": a.target,
                      "finalAccuracy": history[-1]["testAccuracy"], "trainingSeconds": trained}))


if __name__ == "__main__":
    main()
