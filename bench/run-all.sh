#!/usr/bin/env bash
# W1-W4, ours and PyTorch's (the programs of bench/torch/) in one invocation, with the ratio table:
# this is `distillery bench` run from the build tree.
#
#   bench/run-all.sh                       # full: W1 all sizes, W2 batches 64/512/4096, W3, W4; 1 thread
#   bench/run-all.sh --quick --threads 1,2 # a minute or two per thread count
#   bench/run-all.sh --json                # the JSON document (rows, our and PyTorch's records) instead of the table
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/run-all.sh
#
# Torch runs with as many intra-op and OpenBLAS threads as ours ("t" = t:t), without OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE in its environment (--torch-blas-env forced|both keeps them). Every row records the
# CPU other processes used meanwhile (foreign, cores); rows above 0.15 are contaminated.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
if [[ ! -d cli/target/lib || ! -f cli/target/classes/dev/distillery/cli/command/BenchCommand.class ]]; then
  ./mvnw -B -q -o install -DskipTests
fi
CP="cli/target/classes:$(ls cli/target/lib/*.jar | tr '\n' ':')"
exec "$JAVA" --add-modules=jdk.incubator.vector -Xss8m -Ddistillery.home="$PWD" -cp "$CP" dev.distillery.cli.Main bench "$@" \
  2> >(grep -v 'incubator' >&2)
