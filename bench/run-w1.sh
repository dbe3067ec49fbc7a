#!/usr/bin/env bash
# W1 GEMM, ours and PyTorch's, in one invocation, with a table of the ratio.
#
#   bench/run-w1.sh                 # builds bench/jmh/target/benchmarks.jar if missing, then runs
#   THREADS=1,2 SIZES=64,512 bench/run-w1.sh
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/run-w1.sh   # another JDK for ours
#   JAVA2=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/run-w1.sh  # a second column for ours
#
# Torch: /usr/bin/python3 bench/torch/w1_gemm.py, Debian's torch with its BLAS; "--threads 1,2"
# sets torch and OpenBLAS threads alike (1:1 and 2:2).
# Both harnesses wait for a quiet machine (ANCHOR_QUIET_WAIT seconds, default 20 here) and
# record the CPU other processes used during each cell (foreign_cpu, in cores).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-1,2}
SIZES=${SIZES:-64,128,256,512,1024}
JAVA=${JAVA:-java}
TORCH_SCRIPT=${TORCH_SCRIPT:-bench/torch/w1_gemm.py}
export ANCHOR_QUIET_WAIT=${ANCHOR_QUIET_WAIT:-20}
JAR=bench/jmh/target/benchmarks.jar
if [[ ! -f $JAR ]]; then
  ./mvnw -B -q -o -pl bench/jmh -am package -DskipTests
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run_ours() { # $1 java binary, $2 output file
  "$1" --add-modules=jdk.incubator.vector -Xss8m -cp "$JAR" dev.distillery.bench.Gemm \
    --threads "$THREADS" --sizes "$SIZES" 2> >(grep -v 'incubator' >&2) | tail -n 1 > "$2"
}
echo "## ours: $("$JAVA" -version 2>&1 | head -n 1)" >&2
run_ours "$JAVA" "$out/ours.json"
if [[ -n ${JAVA2:-} ]]; then
  echo "## ours (second JDK): $("$JAVA2" -version 2>&1 | head -n 1)" >&2
  run_ours "$JAVA2" "$out/ours2.json"
fi
echo "## torch: /usr/bin/python3 $TORCH_SCRIPT --threads $THREADS" >&2
/usr/bin/python3 "$TORCH_SCRIPT" --threads "$THREADS" --sizes "$SIZES" | tail -n 1 > "$out/torch.json"

/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
ours = json.load(open(os.path.join(d, "ours.json")))
torch = json.load(open(os.path.join(d, "torch.json")))
p2 = os.path.join(d, "ours2.json")
ours2 = json.load(open(p2)) if os.path.exists(p2) else None
key = lambda r: (f"{r['dtype']} N={r['n']}", r["threads"])
t = {(r["variant"], r["threads"]): r for r in torch["rows"]}
o2 = {key(r): r for r in ours2["rows"]} if ours2 else {}
j1 = ours["info"]["java"]
j2 = ours2["info"]["java"] if ours2 else None
print(f"W1 GEMM, GFLOP/s (median of 9), {ours['info']['cpu']}, nproc {ours['info']['nproc']}")
print(f"ours: distillery simd on Java {j1}" + (f" (second column Java {j2})" if j2 else "")
      + f"; torch {torch['info'].get('torch')} (OpenBLAS: {torch['info'].get('openblas')})")
hdr = f"| dtype   | threads |    N | ours J{j1.split('.')[0]:<3} |" + (f" ours J{j2.split('.')[0]:<3} |" if j2 else "") \
      + " torch | ours/torch |" + (" J2/torch |" if j2 else "") + " foreign (ours/torch) |"
print(hdr)
print("|" + "|".join("-" * (len(c)) for c in hdr.split("|")[1:-1]) + "|")
for r in ours["rows"]:
    k = key(r)
    tr = t.get(k)
    og = r["gflops"]["median"]
    tg = tr["median"] if tr else float("nan")
    line = f"| {r['dtype']} | {r['threads']:7d} | {r['n']:4d} | {og:9.1f} |"
    if j2:
        g2 = o2[k]["gflops"]["median"] if k in o2 else float("nan")
        line += f" {g2:9.1f} |"
    line += f" {tg:5.1f} | {og / tg:10.2f} |"
    if j2:
        line += f" {g2 / tg:8.2f} |"
    line += f" {r['load']['foreign_cpu']:.2f} / {tr['foreign'] if tr else float('nan'):.2f} |"
    print(line)
PY
