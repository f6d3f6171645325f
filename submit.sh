#!/usr/bin/env bash
# sparkprop's launcher: ./submit.sh [spark-submit options] COMMAND [command options]
#   ./submit.sh                       trains conf/default.properties in local mode on all cores
#   ./submit.sh train --conf conf/fashion-mnist.properties
#   ./submit.sh --master spark://host:7077 --executor-memory 4g train --conf my.properties
# Options before the command word go to spark-submit; with no --master it runs local[*].
# It uses $SPARK_HOME/bin/spark-submit, else spark-submit on the PATH, else Spark's own
# SparkSubmit from the project's dependencies (local mode only).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/sparkprop.jar"
deps="$here/target/spark-home/jars"

# Build once (and again when the sources change).
if [ ! -f "$jar" ] || [ ! -d "$deps" ] || [ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "sparkprop: Maven is needed to build the jar once: sudo apt-get install maven" >&2
    exit 1
  fi
  echo "sparkprop: building target/sparkprop.jar (first run, or the sources changed; about a minute)..." >&2
  mkdir -p "$here/target"
  if ! (cd "$here" && mvn -B -q -Dstyle.color=never -Dmaven.test.skip=true package) > "$here/target/build.log" 2>&1; then
    cat "$here/target/build.log" >&2
    echo "sparkprop: the build failed (log: target/build.log)" >&2
    exit 1
  fi
fi

# Split: spark-submit options, then the command word and its options.
spark_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    train|evaluate|predict|export|benchmark|help) break ;;
    --verbose|-v|--supervise|--version) spark_args+=("$1"); shift ;;
    -h|--help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0 ;;
    -*)
      if [ $# -lt 2 ]; then echo "sparkprop: spark-submit option $1 needs a value" >&2; exit 2; fi
      spark_args+=("$1" "$2"); shift 2 ;;
    *) echo "sparkprop: unknown command '$1'; expected train, evaluate, predict, export or benchmark" >&2; exit 2 ;;
  esac
done
if [ $# -eq 0 ]; then
  set -- train --conf "$here/conf/default.properties"
fi

has_opt() { local o; for o in "${spark_args[@]+"${spark_args[@]}"}"; do [ "$o" = "$1" ] && return 0; done; return 1; }
opt_value() { local i; for ((i = 0; i < ${#spark_args[@]}; i++)); do if [ "${spark_args[$i]}" = "$1" ]; then echo "${spark_args[$((i + 1))]}"; fi; done; return 0; }

local_mode=1
if has_opt --master; then
  case "$(opt_value --master)" in local*) ;; *) local_mode=0 ;; esac
else
  spark_args+=(--master "local[*]")
fi
needs_spark_home=0
case "$(opt_value --master)" in local-cluster*) needs_spark_home=1 ;; esac
for a in "$@"; do [ "$a" = "--scaling" ] && needs_spark_home=1; done   # it starts local-cluster masters itself
case "$needs_spark_home" in
  1)
    # Worker JVMs on this machine launch executors from a Spark folder: the build's jars will do.
    if [ -z "${SPARK_HOME:-}" ] || [ ! -d "$SPARK_HOME/jars" ]; then export SPARK_HOME="$here/target/spark-home"; fi
    [ -f "$SPARK_HOME/RELEASE" ] || touch "$SPARK_HOME/RELEASE"
    # The Scala the jars were built for (spark-core_2.12-3.5.9.jar -> 2.12), as a distribution's scripts set it.
    core="$(ls "$SPARK_HOME"/jars/spark-core_*.jar 2>/dev/null | head -n 1)"
    scala="${core##*/spark-core_}"
    export SPARK_SCALA_VERSION="${scala%%-*}" ;;
esac
if [ "$local_mode" = 1 ]; then
  export SPARK_LOCAL_IP=127.0.0.1           # local mode serves nothing beyond this machine
  has_opt --driver-memory || spark_args+=(--driver-memory 4g)
  spark_args+=(--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1)
fi
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"   # one BLAS thread per Spark task
spark_args+=(--conf "spark.executorEnv.OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS")
# Spark's own warnings and errors go to a log file, not the console (conf/log4j2.properties).
spark_log="${SPARKPROP_LOG:-$PWD/reports/spark.log}"
log_opts=("-Dlog4j2.configurationFile=file:$here/conf/log4j2.properties" "-Dsparkprop.log=$spark_log")
# JVM options for the driver and (unless given) the executors:
# - the Vector API: a SIMD exp for sigmoid units, and netlib's VectorBLAS when OpenBLAS is missing;
# - in local modes, the parallel collector: every step allocates several gradient-sized arrays,
#   which G1 treats as humongous (over half a region) and answers with concurrent cycles whose
#   threads take CPU from the tasks; with it, Fashion-MNIST's time to 88% went from 12.4 to
#   10.2 s (median, README). On a cluster the collector is the cluster's choice: a second
#   collector flag beside one in its defaults would stop the JVM.
jvm_opts=(--add-modules=jdk.incubator.vector)
if [ "$local_mode" = 1 ]; then jvm_opts+=(-XX:+UseParallelGC); fi
conf_given() { local o; for o in "${spark_args[@]+"${spark_args[@]}"}"; do case "$o" in "$1"=*) return 0 ;; esac; done; return 1; }
conf_given spark.executor.extraJavaOptions || spark_args+=(--conf "spark.executor.extraJavaOptions=${jvm_opts[*]}")

# The JVM announces the Vector API module on stderr at every start ("WARNING: Using incubator
# modules"); that line says nothing to a user, so it is dropped, and every other line passes.
quiet_jvm_warning() { grep -v --line-buffered -x 'WARNING: Using incubator modules: jdk.incubator.vector' >&2 || true; }

submit=""
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  submit="$(command -v spark-submit)"
fi

if [ -n "$submit" ]; then
  exec "$submit" --class io.sparkprop.cli.Main --driver-java-options "${log_opts[*]} ${jvm_opts[*]}" \
    "${spark_args[@]}" "$jar" "$@" 2> >(quiet_jvm_warning)
fi

# No Spark installation: Spark's own SparkSubmit from the build's jars, in this JVM.
if [ "$local_mode" != 1 ]; then
  echo "sparkprop: --master $(opt_value --master) needs a Spark installation (set SPARK_HOME)" >&2
  exit 2
fi
mem="$(opt_value --driver-memory | tail -n 1)"
java_bin="java"; [ -n "${JAVA_HOME:-}" ] && java_bin="$JAVA_HOME/bin/java"
opens=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)
exec "$java_bin" "-Xmx$mem" "${opens[@]}" "${log_opts[@]}" "${jvm_opts[@]}" -cp "$deps/*" \
  org.apache.spark.deploy.SparkSubmit --class io.sparkprop.cli.Main "${spark_args[@]}" "$jar" "$@" \
  2> >(quiet_jvm_warning)
