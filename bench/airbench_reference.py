#!/usr/bin/python3
"""The cifar10-fast recipe (airbench94_muon, Keller Jordan 2024) written in PyTorch 1.13 for the CPU: the reference
that tells whether a gap between Nabla's cifar10-fast and the published 94.01 % comes from the data or from Nabla.

Same recipe as `./nabla lab run cifar10-fast` (defaults = the published settings): frozen 2x2 patch-whitening conv
(24 filters from the first 5,000 training images, eps 5e-4) whose bias trains for 3 epochs, three conv groups
(conv3x3-pool-BN-GELU-conv3x3-BN-GELU, widths 64/256/256, Dirac-initialised, BN eps 1e-12 with a frozen scale and
running-stat momentum 0.4), max-pool 3, Linear(256, 10) without bias at unit std, logits / 256; summed cross-entropy
with label smoothing 0.2; Nesterov SGD (momentum 0.85) on the biases (lr 0.053) and the head (lr 0.67) with coupled
decay 2e-6 x batch / lr; Muon (lr 0.24, Nesterov momentum 0.6, 3 quintic Newton-Schulz steps, weights renormalised
to sqrt(out) each step) on the six 3x3 filters; every rate decays linearly to zero; batch 2000, 8 epochs;
alternating flip and +-2 px reflect translation; 6-view test-time augmentation. Differences from the published
script: float32 everywhere (it runs fp16 activations and a bf16 Newton-Schulz on a GPU), and the data sources below.

Data (under --data-root, default $NABLA_DATA; the folder layout of ../shared/data):
  --train jpeg       all 50,000 images of cifar10/cifar-10-jpeg.tar.gz, interleaved by class as Nabla reads them
  --train genuine    the 4,000 lossless records of cifar10/genuine-partial/data_batch_1.first4000.bin
  --train jpeg-of-genuine   the JPEG-copy versions of exactly those 4,000 images (train/<class>/k.jpg is the k-th
                            image of that class in the original order)
  --test  jpeg | genuine | jpeg-of-genuine   likewise (10,000 / the first 1,000 test records / their JPEG versions);
          several may be given, comma-separated: each is scored once at the end.
Prints one JSON line per run (accuracy with TTA and one view on each test source, training seconds).
"""
import argparse, io, json, math, os, tarfile, time

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--data-root", default=os.environ.get("NABLA_DATA", os.path.expanduser("~/.nabla/data")))
p.add_argument("--train", default="jpeg", choices=["jpeg", "genuine", "jpeg-of-genuine"])
p.add_argument("--test", default="jpeg")
p.add_argument("--epochs", type=float, default=8)
p.add_argument("--batch", type=int, default=2000)
p.add_argument("--widths", default="64,256,256")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--threads", type=int, default=2)
args = p.parse_args()

os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
np.random.seed(args.seed)
CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
root = os.path.join(args.data_root, "cifar10")


def read_bin(name):
    raw = np.fromfile(os.path.join(root, "genuine-partial", name), dtype=np.uint8).reshape(-1, 3073)
    return raw[:, 1:].reshape(-1, 3, 32, 32).copy(), raw[:, 0].astype(np.int64)


_jpeg = None
def jpeg_members():
    global _jpeg
    if _jpeg is None:
        _jpeg = {}
        with tarfile.open(os.path.join(root, "cifar-10-jpeg.tar.gz")) as tar:
            for m in tar:
                if m.isfile() and m.name.endswith(".jpg"):
                    parts = m.name.split("/")
                    split, cls, k = parts[-3], parts[-2], int(parts[-1][:-4])
                    img = Image.open(io.BytesIO(tar.extractfile(m).read())).convert("RGB")
                    _jpeg[(split, CLASSES.index(cls), k)] = np.asarray(img, dtype=np.uint8).transpose(2, 0, 1)
    return _jpeg


def load(source, split):
    if source == "genuine" or source == "jpeg-of-genuine":
        x, y = read_bin("data_batch_1.first4000.bin" if split == "train" else "test_batch.first1000.bin")
        if source == "genuine":
            return x, y
        seen = [0] * 10
        out = np.empty_like(x)
        for i, c in enumerate(y):
            out[i] = jpeg_members()[(split, int(c), seen[c])]
            seen[c] += 1
        return out, y
    per_class = 5000 if split == "train" else 1000
    j = jpeg_members()
    x = np.stack([j[(split, c, k)] for k in range(per_class) for c in range(10)])   # airplane 0, automobile 0, ...
    y = np.array([c for k in range(per_class) for c in range(10)], dtype=np.int64)
    return x, y


MEAN = torch.tensor((0.4914, 0.4822, 0.4465)).view(1, 3, 1, 1)
STD = torch.tensor((0.2470, 0.2435, 0.2616)).view(1, 3, 1, 1)
def normalise(x):
    return (torch.from_numpy(x).float() / 255 - MEAN) / STD


class GroupOfConvs(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.n1 = nn.BatchNorm2d(cout, eps=1e-12, momentum=0.4)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.n2 = nn.BatchNorm2d(cout, eps=1e-12, momentum=0.4)
        with torch.no_grad():
            nn.init.dirac_(self.c1.weight[:min(cin, cout)])
            nn.init.dirac_(self.c2.weight)
        self.n1.weight.requires_grad_(False)
        self.n2.weight.requires_grad_(False)

    def forward(self, x):
        x = F.gelu(self.n1(F.max_pool2d(self.c1(x), 2)))
        return F.gelu(self.n2(self.c2(x)))


class Net(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.whiten = nn.Conv2d(3, 24, 2, bias=True)
        self.whiten.weight.requires_grad_(False)
        self.groups = nn.Sequential(GroupOfConvs(24, widths[0]), GroupOfConvs(widths[0], widths[1]), GroupOfConvs(widths[1], widths[2]))
        self.head = nn.Linear(widths[2], 10, bias=False)
        with torch.no_grad():
            self.head.weight /= self.head.weight.std()

    def set_whitening(self, images, eps=5e-4):
        patches = images.unfold(2, 2, 1).unfold(3, 2, 1).transpose(1, 3).reshape(-1, 3, 2, 2).double()
        flat = patches.reshape(len(patches), -1)
        cov = flat.T @ flat / len(flat)
        values, vectors = torch.linalg.eigh(cov)
        filters = vectors.T.reshape(-1, 3, 2, 2) / torch.sqrt(values.view(-1, 1, 1, 1) + eps)
        self.whiten.weight.data[:] = torch.cat((filters, -filters)).float()

    def forward(self, x):
        x = self.groups(F.gelu(self.whiten(x)))
        x = F.max_pool2d(x, 3).flatten(1)
        return self.head(x) / x.size(1)


def newton_schulz(g, steps=3, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    x = g / (g.norm() + eps)
    tall = x.size(0) > x.size(1)
    if tall:
        x = x.T
    for _ in range(steps):
        s = x @ x.T
        x = a * x + (b * s + c * s @ s) @ x
    return x.T if tall else x


def muon_step(params, buffers, lr, momentum=0.6):
    with torch.no_grad():
        for w in params:
            buf = buffers.setdefault(w, torch.zeros_like(w))
            buf.mul_(momentum).add_(w.grad)
            g = w.grad.add(buf, alpha=momentum)
            w.mul_(len(w) ** 0.5 / w.norm())
            w.add_(newton_schulz(g.reshape(len(g), -1)).view_as(w), alpha=-lr)


def views(model, x):
    """Logits of the six TTA views combined as airbench does, and of the plain view."""
    def mirror(v):
        return 0.5 * model(v) + 0.5 * model(v.flip(-1))
    plain = model(x)
    both = 0.5 * plain + 0.5 * model(x.flip(-1))
    padded = F.pad(x, (1,) * 4, "reflect")
    shifted = 0.5 * (mirror(padded[:, :, 0:32, 0:32]) + mirror(padded[:, :, 2:34, 2:34]))
    return 0.5 * both + 0.5 * shifted, plain


def score(model, x, y):
    model.eval()
    tta, plain = [], []
    with torch.no_grad():
        for chunk in x.split(500):
            t, p1 = views(model, chunk)
            tta.append(t.argmax(1)); plain.append(p1.argmax(1))
    return (torch.cat(tta) == y).float().mean().item(), (torch.cat(plain) == y).float().mean().item()


def main():
    widths = [int(w) for w in args.widths.split(",")]
    t0 = time.time()
    xtr_u8, ytr = load(args.train, "train")
    tests = {src: load(src, "test") for src in args.test.split(",")}
    load_s = time.time() - t0
    xtr, ytr = normalise(xtr_u8), torch.from_numpy(ytr)
    n, b = len(xtr), args.batch
    steps_per_epoch = n // b
    total = math.ceil(steps_per_epoch * args.epochs)
    whiten_steps = 3 * steps_per_epoch
    model = Net(widths)
    filters = [q for q in model.parameters() if q.ndim == 4 and q.requires_grad]
    norm_biases = [m.bias for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    wd = 2e-6 * b
    sgd = torch.optim.SGD([dict(params=[model.whiten.bias], lr=0.053, weight_decay=wd / 0.053),
                           dict(params=norm_biases, lr=0.053, weight_decay=wd / 0.053),
                           dict(params=[model.head.weight], lr=0.67, weight_decay=wd / 0.67)], lr=0.053, momentum=0.85, nesterov=True)
    initial = [g["lr"] for g in sgd.param_groups]
    buffers = {}

    clock = time.time()
    model.set_whitening(xtr[:5000])
    # alternating flip: a fixed random base orientation per image, every image mirrored in odd epochs
    base_flip = torch.rand(n) < 0.5
    padded = F.pad(torch.where(base_flip.view(-1, 1, 1, 1), xtr.flip(-1), xtr), (2,) * 4, "reflect")
    step, epoch, history = 0, 0, []
    while step < total:
        model.train()
        dy = torch.randint(0, 5, (n,))
        dx = torch.randint(0, 5, (n,))
        order = torch.randperm(n)
        correct = seen = 0
        for k in range(steps_per_epoch):
            if step >= total:
                break
            idx = order[k * b:(k + 1) * b]
            rows = dy[idx].view(-1, 1) + torch.arange(32).view(1, -1)           # [b, 32]
            cols = dx[idx].view(-1, 1) + torch.arange(32).view(1, -1)
            batch = padded[idx][torch.arange(b).view(-1, 1, 1, 1), torch.arange(3).view(1, -1, 1, 1), rows.view(b, 1, 32, 1), cols.view(b, 1, 1, 32)]
            if epoch % 2 == 1:
                batch = batch.flip(-1)
            f = 1 - step / total
            sgd.param_groups[0]["lr"] = initial[0] * (1 - step / whiten_steps) if step < whiten_steps else 0.0
            for g, lr0 in zip(sgd.param_groups[1:], initial[1:]):
                g["lr"] = lr0 * f
            model.whiten.bias.requires_grad_(step < whiten_steps)
            if step >= whiten_steps:
                model.whiten.bias.grad = None
            out = model(batch)
            loss = F.cross_entropy(out, ytr[idx], label_smoothing=0.2, reduction="sum")
            loss.backward()
            sgd.step()
            muon_step(filters, buffers, 0.24 * f)
            model.zero_grad(set_to_none=True)
            correct += (out.detach().argmax(1) == ytr[idx]).sum().item()
            seen += b
            step += 1
        epoch += 1
        history.append(dict(epoch=epoch, train_acc=correct / max(seen, 1), seconds=time.time() - clock))
        print(f"epoch {epoch}: train acc {100 * correct / max(seen, 1):.2f} %, {time.time() - clock:.0f} s", flush=True)
    train_s = time.time() - clock
    result = dict(recipe="airbench94_muon (PyTorch reference)", torch=torch.__version__, threads=args.threads, seed=args.seed,
                  train=args.train, train_images=n, epochs=args.epochs, batch=b, steps=step, widths=widths,
                  train_seconds=round(train_s, 1), load_seconds=round(load_s, 1))
    for src, (x, y) in tests.items():
        tta, plain = score(model, normalise(x), torch.from_numpy(y))
        result[f"test_{src}"] = dict(images=len(y), tta=round(tta, 4), plain=round(plain, 4))
    print(json.dumps(result), flush=True)


main()
