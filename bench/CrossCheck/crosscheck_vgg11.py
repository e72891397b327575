"""Replays bench/CrossCheck's VGG11-BN steps in PyTorch from the same weights and batches.

Prints, per parameter, the first step's gradient difference (max |nabla - torch64| / max |torch64|, next to the same
figure for PyTorch float32), then the loss of each SGD step for PyTorch, to put beside Nabla's printed losses.
Usage: python3 bench/CrossCheck/crosscheck_vgg11.py OUT [STEPS=20] [LR=0.05]
Conv biases followed by BatchNorm have a zero gradient in exact arithmetic, so their relative errors are noise.
"""
import sys
import numpy as np
import torch
import torch.nn as nn

out = sys.argv[1]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
lr = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05
torch.set_num_threads(2)
plan = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']


def build(dtype):
    layers, c = [], 3
    for v in plan:
        if v == 'M':
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU()]
            c = v
    layers += [nn.Flatten(), nn.Linear(512, 10)]
    m = nn.Sequential(*layers).to(dtype)
    init, sd = np.load(f'{out}/init.npz'), m.state_dict()
    m.load_state_dict({k: torch.tensor(init[k]).to(sd[k].dtype) for k in sd})
    return m


data, g0 = np.load(f'{out}/data.npz'), np.load(f'{out}/grad0.npz')
grads = {}
for dtype in (torch.float32, torch.float64):
    m = build(dtype)
    m.train()
    nn.functional.cross_entropy(m(torch.tensor(data['x0']).to(dtype)), torch.tensor(data['y0']).long()).backward()
    grads[dtype] = {k: p.grad.double().numpy() for k, p in m.named_parameters()}
print('first-step gradient, max abs difference / max abs value of the float64 PyTorch gradient')
for k, ref in grads[torch.float64].items():
    scale = np.abs(ref).max() + 1e-30
    print(f'  {k:10s} nabla {np.abs(g0[k] - ref).max() / scale:.2e}   torch float32 {np.abs(grads[torch.float32][k] - ref).max() / scale:.2e}')
m = build(torch.float32)
m.train()
opt = torch.optim.SGD(m.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4, nesterov=True)
for i in range(steps):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(m(torch.tensor(data[f'x{i}'])), torch.tensor(data[f'y{i}']).long())
    loss.backward()
    opt.step()
    print(i, f'{loss.item():.6f}')
