#!/usr/bin/env bash
# Compiles nccl-jni (kiln_nccl.c) into target/classes/native/linux-x86_64/libkilnnccl.so.
#   build.sh JAVA_HOME TARGET_DIR
# JNI headers come from the JDK; the NcclNative header from javac -h (target/native-include).
set -euo pipefail
java_home="$1"
target="$2"
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
  echo "nccl-jni: not Linux on x86-64; the nccl backend will report itself unavailable" >&2
  exit 0
fi
if [ ! -f "$java_home/include/jni.h" ]; then
  echo "nccl-jni: $java_home/include/jni.h not found: build with a JDK, not a JRE" >&2
  exit 1
fi
out="$target/classes/native/linux-x86_64"
mkdir -p "$out"
"${CC:-gcc}" -shared -fPIC -O2 -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter \
  -I"$java_home/include" -I"$java_home/include/linux" -I"$target/native-include" \
  -o "$out/libkilnnccl.so" "$here/kiln_nccl.c" -ldl
