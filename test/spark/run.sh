#!/usr/bin/env bash
# npm run test:spark [-- --measure N]
#
# Calx under Apache Spark in local mode: installs PySpark (pinned, from the Python package index) into
# .spark-test/ (ignored by git) when missing, and Java 17 from Debian when no java is found and we are root,
# then runs test/spark/test_spark.py: examples/spark/calx_audit.py submitted with spark-submit on local[2]
# gives the plain CLI's results for every note. --measure N: times local[1] against local[2] on N notes instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYSPARK_VERSION=4.0.5
SITE=.spark-test/site

if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Java 17 (Debian openjdk-17-jre-headless)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless >/dev/null
  else
    echo "test:spark needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)" >&2
    exit 1
  fi
fi
java -version 2>&1 | head -1

if ! PYTHONPATH="$SITE" python3 -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
  echo "== installing PySpark $PYSPARK_VERSION into $SITE"
  rm -rf "$SITE"
  python3 -m pip install --quiet --disable-pip-version-check --no-cache-dir --root-user-action=ignore --target "$SITE" "pyspark==$PYSPARK_VERSION"
fi

[ -f dist/cli.js ] || npm run build
export PYTHONPATH="$PWD/$SITE"
export SPARK_HOME="$PWD/$SITE/pyspark"
export PYSPARK_PYTHON=python3
export PYSPARK_DRIVER_PYTHON=python3
exec python3 test/spark/test_spark.py "$@"
