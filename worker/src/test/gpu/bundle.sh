#!/usr/bin/env bash
# Builds worker/target/gpu-bundle: everything run-on-gpu.sh needs on a GPU machine that has no
# Maven, no ~/.m2 and maybe no Java — a jlink runtime, the compiled classes of model and worker
# (main and test), and a lean set of jars (JCuda with only its driver binding; no S3 test server,
# no Kubernetes model, no gRPC transport, none of which the GPU tests load). Run from the repo root
# on a machine with the JDK 17 and the project's ~/.m2, then carry worker/target/gpu-bundle along.
#   worker/src/test/gpu/bundle.sh [--check]   --check: also run the lean bundle here (CPU) once
set -euo pipefail
cd "$(dirname "$0")/../../../.."
root="$PWD"
bundle="$root/worker/target/gpu-bundle"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"

./mvnw -B -q -o -pl model,worker package -DskipTests -Dspotless.check.skip=true
rm -rf "$bundle"
mkdir -p "$bundle/lib" "$bundle/classes"
cp -r model/target/classes "$bundle/classes/model"
cp -r model/target/test-classes "$bundle/classes/model-test"
cp -r worker/target/classes "$bundle/classes/worker"
cp -r worker/target/test-classes "$bundle/classes/worker-test"

# Runtime jars, without those the GPU tests never load.
drop='^(kubernetes-|grpc-netty-shaded|bcprov|snappy|kotlin|proto-google|commons-compress|jcuda-natives|model-)'
for jar in worker/target/lib/*.jar; do
  name="$(basename "$jar")"
  if [[ ! "$name" =~ $drop ]]; then cp "$jar" "$bundle/lib/"; fi
done
# JCuda's natives jar minus the 24 MB PTX-compiler and NVRTC bindings Kiln does not use.
natives="$(ls worker/target/lib/jcuda-natives-*.jar)"
tmp="$(mktemp -d)"
(cd "$tmp" && "$jdk/bin/jar" xf "$root/$natives" lib/ && rm -f lib/*NvPTXCompiler* lib/*Nvrtc*)
"$jdk/bin/jar" cf "$bundle/lib/$(basename "$natives")" -C "$tmp" lib
rm -rf "$tmp"
# Test jars: JUnit (with its launcher) and AssertJ.
./mvnw -B -q -o -pl worker dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$bundle/test-classpath.txt" >/dev/null
tr ':' '\n' < "$bundle/test-classpath.txt" \
  | grep -E '/(junit-|opentest4j|apiguardian|assertj-core)' | xargs -I{} cp {} "$bundle/lib/"
rm "$bundle/test-classpath.txt"

"$jdk/bin/jlink" --add-modules \
  java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.incubator.vector,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$bundle/jre" 2>/dev/null
du -sh "$bundle"

if [[ "${1:-}" == "--check" ]]; then
  # The lean classpath loads everything the GPU run needs: here the GPU cases skip, the rest run.
  OUT="$(mktemp -d)" KILN_GPU_SKIP_BENCH=1 bash "$root/worker/src/test/gpu/run-on-gpu.sh"
fi
