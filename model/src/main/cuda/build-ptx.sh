#!/usr/bin/env bash
# Compiles kernels.cu to the PTX the CUDA backend loads, when nvcc is on the PATH and the checked-in
# PTX was made from another version of kernels.cu (its first line records the source's SHA-256).
# Without nvcc it leaves the checked-in PTX alone: builds on machines without CUDA use it as is.
#   build-ptx.sh [--force] [--out FILE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/kernels.cu"
out="$here/../resources/dev/kiln/model/compute/cuda/kernels.ptx"
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --out) out="$2"; shift ;;
    *) echo "build-ptx.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
hash="$(sha256sum "$src" | cut -d' ' -f1)"
if [ "$force" = 0 ] && [ -f "$out" ] && head -1 "$out" | grep -q "$hash"; then
  exit 0
fi
if ! command -v nvcc >/dev/null 2>&1; then
  echo "build-ptx.sh: nvcc not found; kernels.cu changed but the PTX cannot be rebuilt here" >&2
  exit 0
fi
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
# compute_75 is the oldest architecture CUDA 13 targets; the driver JIT-compiles it for newer GPUs.
nvcc --ptx -arch=compute_75 -o "$tmp" "$src"
{ echo "// kiln-source-sha256: $hash"; cat "$tmp"; } > "$out"
echo "build-ptx.sh: wrote $out"
