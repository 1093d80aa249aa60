#!/usr/bin/env bash
# Prepares a GPU run of the kNN benches: a jlink'd JRE (the GPU machine has no JDK) and the jars
# (lucene-core, the codec and the bench module lucene-codec-bench, which holds the benches),
# in the git-ignored .gpu/ at the repository root (about 50 MiB; carry it to the GPU machine, whose
# carry limit is 64 MiB in all: this script fails above 60 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=.gpu
LIMIT_KB=$((60 * 1024))

export JAVA_HOME="$JAVA25"
./mvnw -B -ntp -q -o -pl lucene-codec,lucene-codec-bench package -DskipTests

rm -rf "$OUT"
mkdir -p "$OUT/lib"
# java.logging: the JDK's System.Logger backend, so the backend's one log line is printed.
# jdk.management: Lucene reads HotSpot's VM options through it; without it Lucene logs "not using
# Hotspot VM" and keeps its scalar vector code, so every CPU baseline would run slow.
"$JAVA25/bin/jlink" --add-modules java.base,java.logging,jdk.management,jdk.incubator.vector \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$OUT/jre"
# the codec's jar and the benches' (KnnBench, GpuScanBench), not the codec's test-jar
for jar in lucene-codec/target/whetstone-lucene-codec-*.jar \
    lucene-codec-bench/target/whetstone-lucene-codec-bench-*.jar; do
  case "$jar" in
    *-tests.jar) ;;
    *) cp "$jar" "$OUT/lib/" ;;
  esac
done
LUCENE_VERSION=$(sed -n 's:.*<lucene.version>\(.*\)</lucene.version>.*:\1:p' pom.xml)
cp "$HOME/.m2/repository/org/apache/lucene/lucene-core/$LUCENE_VERSION/lucene-core-$LUCENE_VERSION.jar" "$OUT/lib/"
cp scripts/gpu-run/run.sh "$OUT/"
SIZE_KB=$(du -sk "$OUT" | cut -f1)
echo "$OUT: $((SIZE_KB / 1024)) MiB"
if [ "$SIZE_KB" -gt "$LIMIT_KB" ]; then
  echo "$OUT is $((SIZE_KB / 1024)) MiB, over the 60 MiB this script allows (the device carries 64 MiB in all)" >&2
  exit 1
fi
