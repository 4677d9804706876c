"""PyTorch's side of scripts/bench-peers: Liandan's W1 (MLP 784-128-64-10, Adam, batch 64) and W2
(ConvNetJS's MNIST CNN, Adam, batch 32) on the same MNIST files, with 1 and 2 threads, as JSON
lines. Runs under Debian's python3 with python3-torch. Debian's torch calls the system BLAS:
the reference one unless libopenblas0-pthread is installed (ten times slower on W1), so each line
says which it used. OpenBLAS's own threads are turned off: they fought PyTorch's (W1 at 2 threads
fell from 59,000 to 8,000 samples/s), and "threads" means PyTorch's intra-op threads.

    python3 scripts/peers/torch_bench.py MNIST_DIR [--seconds S] [--threads 1,2]
"""
import argparse
import gzip
import json
import os
import struct
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before torch loads the BLAS

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def blas_in_use():
    """The BLAS library this process mapped (after a product ran), as a file name."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line}
    return ", ".join(sorted(p.replace("/usr/lib/x86_64-linux-gnu/", "") for p in paths)) or "none"


def model_for(workload):
    if workload == "W1":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    return nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 10))


def run(workload, threads, seconds, x, y):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = model_for(workload)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = 64 if workload == "W1" else 32
    n = x.shape[0]
    losses, steps = [], 0
    order, at = torch.randperm(n), 0
    start = measured_from = time.perf_counter()
    measuring = False
    while True:
        if at + batch > n:
            order, at = torch.randperm(n), 0
        idx = order[at:at + batch]
        at += batch
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        steps += 1
        now = time.perf_counter()
        if not measuring and now - start >= 1.0:  # warm-up: allocator, caches
            measuring, measured_from, steps_from = True, now, steps
        if measuring and now - measured_from >= seconds:
            break
    wall = time.perf_counter() - measured_from
    k = 20
    return {"engine": "pytorch", "version": torch.__version__, "blas": blas_in_use(), "workload": workload, "threads": threads,
            "samples_per_s": round((steps - steps_from) * batch / wall),
            "loss": [round(float(np.mean(losses[:k])), 4), round(float(np.mean(losses[-k:])), 4)]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mnist_dir")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    images = read_idx(f"{args.mnist_dir}/train-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    labels = read_idx(f"{args.mnist_dir}/train-labels-idx1-ubyte.gz").astype(np.int64)
    x = torch.from_numpy(images).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(labels)
    for workload in ("W1", "W2"):
        for threads in (int(t) for t in args.threads.split(",")):
            print(json.dumps(run(workload, threads, args.seconds, x, y)), flush=True)


if __name__ == "__main__":
    main()
