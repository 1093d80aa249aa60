#!/usr/bin/env bash
# Issue 11's device check in one command: the GPU micro-bench (1M x 384 synthetic vectors uploaded
# straight to the CUDA backend, batches of 1 to 1024 queries) and then KnnBench at 100k x 384
# through Lucene (GPU exact, CPU exact, CPU HNSW; 1 and 16 threads). Each step has a time limit,
# so the whole script ends within 6 minutes; a step that fails or runs out of time is reported and
# the next one runs. Run from the repository root with the .gpu/ that prepare.sh made:
#   scripts/gpu-run/device-bench.sh
# Output: on the console and in $OUT (the device tool's result folder) or else ./device-bench-out.
# KNN_SIZE=N replaces KnnBench's 100000 (a smoke run on a small machine).
set -uo pipefail
cd "$(dirname "$0")/../.."
JAVA=.gpu/jre/bin/java
if [ ! -x "$JAVA" ]; then
  echo "$JAVA not found: run scripts/gpu-run/prepare.sh here and carry .gpu to the machine" >&2
  exit 1
fi
RESULTS=${OUT:-device-bench-out}
mkdir -p "$RESULTS"
JVM=(-Xmx8g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  -Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=25 ${BENCH_JAVA_OPTS:-} -cp ".gpu/lib/*")

# step NAME SECONDS CLASS [ARGS...]: runs one bench under a time limit, into $RESULTS/NAME.txt
step() {
  local name=$1 limit=$2
  shift 2
  local start=$SECONDS
  echo "== $name (time limit $limit s)" | tee "$RESULTS/$name.txt"
  timeout -k 10 "$limit" "$JAVA" "${JVM[@]}" "$@" 2>&1 | tee -a "$RESULTS/$name.txt"
  local rc=${PIPESTATUS[0]}
  local note="exit status $rc"
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    note="stopped by its $limit s time limit"
  fi
  echo "== $name: $note after $((SECONDS - start)) s" | tee -a "$RESULTS/$name.txt"
}

{
  date -u
  echo "$(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB memory"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 || echo "no nvidia-smi"
} | tee "$RESULTS/machine.txt"

step micro-bench 100 dev.whetstone.codec.bench.GpuScanBench --size 1000000 --dim 384 \
  --batches 1,16,64,256,1024 --recall-queries 50 --k 10 --seconds 1
step knn-bench 230 dev.whetstone.codec.bench.KnnBench --sizes "${KNN_SIZE:-100000}" --dim 384 --queries 1000 \
  --threads 16 --k 10 --dir "${TMPDIR:-/tmp}/whetstone-knn-bench"
