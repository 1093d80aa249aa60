#!/usr/bin/env bash
# Prepares a GPU run of the kNN bench: a jlink'd JRE (the GPU machine has no JDK) and the jars,
# in the git-ignored .gpu/ at the repository root (about 50 MiB; carry it to the GPU machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=.gpu

export JAVA_HOME="$JAVA25"
./mvnw -B -ntp -q -o -pl lucene-codec package -DskipTests

rm -rf "$OUT"
mkdir -p "$OUT/lib"
# java.logging: the JDK's System.Logger backend, so the backend's one log line is printed
"$JAVA25/bin/jlink" --add-modules java.base,java.logging,jdk.incubator.vector \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$OUT/jre"
cp lucene-codec/target/whetstone-lucene-codec-*.jar "$OUT/lib/"
LUCENE_VERSION=$(sed -n 's:.*<lucene.version>\(.*\)</lucene.version>.*:\1:p' pom.xml)
cp "$HOME/.m2/repository/org/apache/lucene/lucene-core/$LUCENE_VERSION/lucene-core-$LUCENE_VERSION.jar" "$OUT/lib/"
cp scripts/gpu-run/run.sh "$OUT/"
du -sh "$OUT"
