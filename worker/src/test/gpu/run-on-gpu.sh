#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: the GPU tests and the GPU benchmarks, from the repo root, with
# the bundle made by bundle.sh (worker/target/gpu-bundle: a Java runtime, classes, lean jars).
# Writes everything to $OUT (default gpu-results/) and a summary to $OUT/summary.txt.
#   OUT=/some/dir worker/src/test/gpu/run-on-gpu.sh
# NCCL is looked for as the worker does: KILN_NCCL_LIB, the loader path, PyTorch's nvidia/nccl/lib.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
root="$PWD"
bundle="$root/worker/target/gpu-bundle"
out="${OUT:-$root/gpu-results}"
mkdir -p "$out"
if [[ -x "$bundle/jre/bin/java" ]]; then java="$bundle/jre/bin/java"; else java="${JAVA_HOME:-/usr}/bin/java"; fi
cp="$bundle/classes/worker:$bundle/classes/worker-test:$bundle/classes/model:$bundle/classes/model-test:$bundle/lib/*"
jvm=(--add-modules jdk.incubator.vector -cp "$cp")
summary="$out/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }

note "== $(date -u +%FT%TZ) on $(hostname)"
(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || echo "nvidia-smi: none") | tee -a "$summary"
"$java" -version 2>&1 | head -1 | tee -a "$summary"

suite() { # suite NAME DIR CLASSES...: runs test classes in DIR (model tests read src/ files)
  local name="$1" dir="$2"; shift 2
  (cd "$dir" && "$java" "${jvm[@]}" dev.kiln.worker.gpu.GpuSuite "$@") > "$out/$name.txt" 2>&1
  local rc=$?
  note "tests $name: exit $rc"
  grep -E "^(SUCCESSFUL|FAILED|ABORTED|SKIPPED) |^parity |relative error|NCCL [0-9]" "$out/$name.txt" | tee -a "$summary"
}
suite model-gpu-tests "$root/model" \
  dev.kiln.model.CudaParityTest dev.kiln.model.compute.cuda.CudaBackendTest \
  dev.kiln.model.compute.cuda.KernelsPtxTest dev.kiln.model.ParityHarnessTest
# Not in worker/: there, Ranks would start child JVMs from target/lib rather than the bundle.
rundir="$(mktemp -d)"
suite worker-gpu-tests "$rundir" \
  dev.kiln.worker.nccl.NcclGpuTest dev.kiln.worker.nccl.NcclBindingTest \
  dev.kiln.worker.CudaTrainingIT dev.kiln.worker.BackendChoiceTest

if [[ -n "${KILN_GPU_SKIP_BENCH:-}" ]]; then exit 0; fi
bench() { # bench NAME MAIN ARGS...: the last stdout line is the benchmark's JSON
  local name="$1"; shift
  "$java" "${jvm[@]}" "$@" > "$out/$name.out" 2> "$out/$name.err"
  note "bench $name (exit $?): $(tail -1 "$out/$name.out")"
}
for b in 128 1024; do
  bench "train-cuda-b$b" dev.kiln.worker.bench.TrainBench --backend cuda --batch "$b" --seconds 10
  bench "train-cpu-b$b" dev.kiln.worker.bench.TrainBench --backend cpu --batch "$b" --seconds 5
  if python3 -c "import torch; assert torch.cuda.is_available()" 2>/dev/null; then
    python3 "$root/worker/src/test/gpu/torch_train_bench.py" --batch "$b" --seconds 10 \
      > "$out/train-torch-b$b.out" 2> "$out/train-torch-b$b.err"
    note "bench train-torch-b$b (exit $?): $(tail -1 "$out/train-torch-b$b.out")"
  else
    note "bench train-torch-b$b: PyTorch with CUDA is not importable here"
  fi
done
bench allreduce-nccl-1 dev.kiln.worker.bench.AllReduceBench --backend nccl --ranks 1 --size 64MB
# One GPU refuses two NCCL ranks: expected to fail with the reason where there is a single GPU.
bench allreduce-nccl-2 dev.kiln.worker.bench.AllReduceBench --backend nccl --ranks 2 --size 64MB
bench allreduce-tcp-2 dev.kiln.worker.bench.AllReduceBench --backend tcp --ranks 2 --size 64MB
note "results in $out"
