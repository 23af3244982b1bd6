# Sourced by the experiments that need people signing in (bench/chaos/SurgeDriver.java): compiles
# the driver and creates its clients, user and policy once per run. Not an experiment itself.
if [ -z "${surge_ready:-}" ]; then
  mkdir -p "$work/surge"
  "$JAVA_HOME/bin/javac" -d "$work/surge" "$root/bench/chaos/SurgeDriver.java"
  surge_cmd=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx${SURGE_HEAP:-256m} -cp "$work/surge" SurgeDriver)
  surge() { "${surge_cmd[@]}" "$@"; }
  surge setup "http://127.0.0.1:${NODE_PORTS[1]}" "$work/node1/bootstrap-admin.json" "$TENANT" >"$work/surge.env"
  set -a; . "$work/surge.env"; set +a
  # The new clients must be known to every node before they are used (30 s client cache at most).
  sleep 1
  surge_ready=1
fi
