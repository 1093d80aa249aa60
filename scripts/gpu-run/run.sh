#!/usr/bin/env bash
# Runs the kNN bench from what prepare.sh put in .gpu/ (on the GPU machine, from the repository
# root: .gpu/run.sh [KnnBench arguments]). cuBLAS is often outside the loader cache: its usual
# directory is searched anyway; -Dwhetstone.gpu.libraryPath=DIR points elsewhere.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
exec "$HERE/jre/bin/java" -Xmx16g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=25 \
  ${BENCH_JAVA_OPTS:-} -cp "$HERE/lib/*" dev.whetstone.codec.bench.KnnBench "$@"
