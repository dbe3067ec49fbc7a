#!/usr/bin/env bash
# Compiles every kernel source beside this script to PTX.
#   build-ptx.sh OUTDIR [ARCH]      (ARCH defaults to compute_75)
# Used by the Maven profile "nvcc" and by PtxFreshnessTest, so both produce the same bytes.
# Refresh the committed copy with:
#   bash gpu/src/main/cuda/build-ptx.sh gpu/src/main/resources/dev/distillery/gpu/ptx
# Without nvcc it says so and exits 0: the committed PTX is then what gets packaged.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build-ptx.sh OUTDIR [ARCH]}"
arch="${2:-compute_75}"
nvcc="${NVCC:-$(command -v nvcc || true)}"
for c in /usr/local/bin/nvcc /usr/local/cuda/bin/nvcc; do
  if [ -z "$nvcc" ] && [ -x "$c" ]; then nvcc="$c"; fi
done
if [ -z "$nvcc" ]; then
  echo "build-ptx: nvcc not found; the committed PTX is used"
  exit 0
fi
release="$("$nvcc" --version | grep -o 'release [0-9.]*, V[0-9.]*' || echo unknown)"
mkdir -p "$out"
for src in "$here"/*.cu; do
  name="$(basename "$src" .cu)"
  tmp="$out/$name.ptx.tmp"
  # no -lineinfo/-G: the PTX must not embed absolute paths, so it is reproducible anywhere
  "$nvcc" -ptx -arch="$arch" -O3 -std=c++17 -I"$here" -o "$tmp" "$src"
  {
    echo "// Generated from $name.cu by build-ptx.sh ($arch, nvcc $release). Do not edit."
    # drop nvcc's leading comment block: it carries a compiler build id
    awk 'h == 0 && /^\/\// { next } { h = 1; print }' "$tmp"
  } > "$out/$name.ptx"
  rm -f "$tmp"
done
