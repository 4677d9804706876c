"""PyTorch's side of scripts/bench-peers: Liandan's W1 (MLP 784-128-64-10, Adam, batch 64) and W2
(ConvNetJS's MNIST CNN, Adam, batch 32) on the same MNIST files, with 1 and 2 threads, as JSON
lines. Runs under Debian's python3 with python3-torch.

    python3 scripts/peers/torch_bench.py MNIST_DIR [--seconds S] [--threads 1,2]
"""
import argparse
import gzip
import json
import struct
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


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
    return {"engine": "pytorch", "version": torch.__version__, "workload": workload, "threads": threads,
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
