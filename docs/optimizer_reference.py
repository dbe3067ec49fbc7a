#!/usr/bin/python3
"""Reference values for nn/src/test/.../OptimizerRulesTest: torch optimizers on p0 = (1, -2) in float64,
loss at step k = <g_k, p>. Run: /usr/bin/python3 docs/optimizer_reference.py"""
import torch
torch.set_printoptions(precision=17)
grads=[[0.5,-1.0],[0.25,2.0],[-1.5,0.75],[1.0,1.0],[-0.5,0.5],[2.0,-0.25],[0.1,0.3]]
def run(make, n):
    p=torch.tensor([1.0,-2.0],dtype=torch.float64,requires_grad=True)
    o=make([p]); out=[]
    for k in range(n):
        o.zero_grad(); (torch.tensor(grads[k],dtype=torch.float64)*p).sum().backward(); o.step()
        out.append(p.detach().tolist())
    return out
for name,mk,n in [
 ("sgd_momentum_wd", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),3),
 ("sgd_nesterov", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),3),
 ("adam_l2", lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9,0.99), eps=1e-8, weight_decay=0.1),3),
 ("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.01, betas=(0.9,0.99), eps=1e-8, weight_decay=0.1),3),
 ("radam", lambda ps: torch.optim.RAdam(ps, lr=0.01, betas=(0.9,0.9), eps=1e-8, weight_decay=0.1),7),
]:
    r=run(mk,n)
    print(name); [print("  {%r, %r}," % tuple(x)) for x in r]

# Per-parameter steps, parameter groups, amsgrad, maximize (OptimizerRulesTest's later cases).
# Two parameters a = (1, -2) and b = (0.5, 3); b gets no gradient before step 3 (torch then gives it
# its own step 1); the loss at step k is <g_k, a> + <h_k, b>.
hgrads=[[0.3,-0.7],[1.2,0.4],[-0.6,0.9],[0.8,-0.2],[0.05,-1.5]]
def run2(make, n, b_from):
    a=torch.tensor([1.0,-2.0],dtype=torch.float64,requires_grad=True)
    b=torch.tensor([0.5,3.0],dtype=torch.float64,requires_grad=True)
    o=make(a,b); out=[]
    for k in range(n):
        o.zero_grad()
        loss=(torch.tensor(grads[k],dtype=torch.float64)*a).sum()
        if k>=b_from: loss=loss+(torch.tensor(hgrads[k],dtype=torch.float64)*b).sum()
        loss.backward(); o.step()
        out.append(a.detach().tolist()+b.detach().tolist())
    return out
for name,mk,n,bf in [
 ("adam_late_start", lambda a,b: torch.optim.Adam([a,b], lr=0.01, betas=(0.9,0.99)),4,2),
 ("adamw_groups", lambda a,b: torch.optim.AdamW([{"params":[a]},{"params":[b],"lr":0.05,"betas":(0.5,0.9),"weight_decay":0.0}], lr=0.01, betas=(0.9,0.99), weight_decay=0.1),3,0),
 ("adam_amsgrad", lambda a,b: torch.optim.Adam([a,b], lr=0.01, betas=(0.9,0.99), weight_decay=0.1, amsgrad=True),5,0),
 ("adamw_amsgrad_maximize", lambda a,b: torch.optim.AdamW([a,b], lr=0.01, betas=(0.9,0.99), weight_decay=0.1, amsgrad=True, maximize=True),5,1),
]:
    r=run2(mk,n,bf)
    print(name); [print("  {%r, %r, %r, %r}," % tuple(x)) for x in r]

# maximize for SGD (torch 1.13 has it) and RAdam (torch 1.13's RAdam has no maximize; torch 2.x's negates
# the gradient first, g = -grad + lambda p, which is exactly 1.13's RAdam on the negated loss -<g_k, p>).
def run_signed(make, n, sign):
    p=torch.tensor([1.0,-2.0],dtype=torch.float64,requires_grad=True)
    o=make([p]); out=[]
    for k in range(n):
        o.zero_grad(); (sign*torch.tensor(grads[k],dtype=torch.float64)*p).sum().backward(); o.step()
        out.append(p.detach().tolist())
    return out
for name,mk,n,sign in [
 ("sgd_maximize", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01, maximize=True),3,1.0),
 ("sgd_nesterov_maximize", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05, maximize=True),3,1.0),
 ("radam_maximize (RAdam on the negated loss)", lambda ps: torch.optim.RAdam(ps, lr=0.01, betas=(0.9,0.9), eps=1e-8, weight_decay=0.1),7,-1.0),
]:
    r=run_signed(mk,n,sign)
    print(name); [print("  {%r, %r}," % tuple(x)) for x in r]
