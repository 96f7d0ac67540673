"""A PyTorch DDP training script that runs unchanged under Kiln, on a cluster or in local mode.

Kiln gives every rank the rank contract: RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT (what
torch.distributed's env:// rendezvous reads), KILN_CHANNEL_TRAIN (a folder holding the downloaded
training channel), KILN_MODEL_DIR (uploaded to <output>/model/ when rank 0 exits 0) and
KILN_HYPERPARAMETERS (JSON). Rank 0 prints one line per epoch; the job's `metrics` regexes turn
those lines into the job's status.metrics.
"""

import argparse
import csv
import glob
import json
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel


def load(channel_dir, label="label"):
    files = sorted(glob.glob(os.path.join(channel_dir, "**", "*.csv"), recursive=True))
    if not files:
        raise SystemExit(f"no CSV file in {channel_dir}")
    with open(files[0], newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    y_col = header.index(label)
    x = torch.tensor([[float(v) for i, v in enumerate(r) if i != y_col] for r in rows])
    y = torch.tensor([int(float(r[y_col])) for r in rows])
    return x, y


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    hyperparameters = json.loads(os.environ.get("KILN_HYPERPARAMETERS", "{}"))
    lr = float(hyperparameters.get("lr", "0.005"))

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    dist.init_process_group("gloo")  # env:// from RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT
    rank, world = dist.get_rank(), dist.get_world_size()

    x, y = load(os.environ["KILN_CHANNEL_TRAIN"])
    g = torch.Generator().manual_seed(0)
    order = torch.randperm(len(y), generator=g)
    x, y = x[order] / 16.0, y[order]
    n_val = len(y) // 5
    x_val, y_val = x[:n_val], y[:n_val]
    x_train, y_train = x[n_val:], y[n_val:]
    # Every rank takes the same number of whole batches, so DDP's all-reduces line up.
    per_rank = len(y_train) // world
    batches = per_rank // args.batch_size
    mine = slice(rank * per_rank, rank * per_rank + batches * args.batch_size)
    x_mine, y_mine = x_train[mine], y_train[mine]

    torch.manual_seed(42)
    model = nn.Sequential(nn.Linear(x.shape[1], 128), nn.ReLU(), nn.Linear(128, 10))
    ddp = DistributedDataParallel(model)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()

    for epoch in range(1, args.epochs + 1):
        ddp.train()
        shuffle = torch.randperm(len(y_mine), generator=torch.Generator().manual_seed(epoch))
        total = 0.0
        for b in range(batches):
            idx = shuffle[b * args.batch_size : (b + 1) * args.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(ddp(x_mine[idx]), y_mine[idx])
            loss.backward()
            optimizer.step()
            total += loss.item()
        mean = torch.tensor([total / max(1, batches)])
        dist.all_reduce(mean)
        ddp.eval()
        with torch.no_grad():
            accuracy = (model(x_val).argmax(dim=1) == y_val).float().mean().item()
        if rank == 0:
            print(f"epoch={epoch} loss={mean.item() / world:.4f} val_accuracy={accuracy:.4f}", flush=True)

    if rank == 0:
        out = os.environ.get("KILN_MODEL_DIR", "model")
        os.makedirs(out, exist_ok=True)
        torch.save(model.state_dict(), os.path.join(out, "model.pt"))
        with open(os.path.join(out, "metrics.json"), "w") as f:
            json.dump({"val_accuracy": accuracy, "epochs": args.epochs, "world_size": world}, f)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
