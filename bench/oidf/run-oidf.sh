#!/usr/bin/env bash
# Run the OpenID Foundation conformance suite against Gatehouse, all on loopback.
#
#   run-oidf.sh all      prepare, start, setup, run the default plans, summarize, stop (one command)
#   run-oidf.sh suite    patch and build the suite from a checkout at $OIDF/suite (once)
#   run-oidf.sh prepare  clone+build Gatehouse, build the mongo shim, make the TLS certificate
#   run-oidf.sh start    start mongo shim (27017), suite (18080), nginx (8443/8444 suite, 9443 Gatehouse), Gatehouse (9080)
#   run-oidf.sh setup    tenant, user, clients (basic, post, logout, front-channel, private_key_jwt);
#                        writes the plan configurations to $OIDF/config/
#   run-oidf.sh run [PLAN...]   run plans (default: the list below) with $OIDF_CONFIG (default
#                        $OIDF/config/gatehouse-oidcc.json); results exported to $OIDF/results
#   run-oidf.sh rotate-keys PLAN_ID   run oidcc-server-rotate-keys of that oidcc-test-plan, rotating keys
#   run-oidf.sh stop     stop everything started by `start` (by recorded PID)
#
# Environment: OIDF (work dir, default /tmp/oidf), OIDF_SUITE_JAR (the suite's fapi-test-suite.jar,
# default $OIDF/suite/target/fapi-test-suite.jar; see docs/conformance.md for how to get one),
# OIDF_SUITE_SCRIPTS (the suite's scripts/ directory with run-test-plan.py, default
# $OIDF/suite/scripts), GATEHOUSE_SRC (default: the current directory, the project root),
# JDK (default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OIDF="${OIDF:-/tmp/oidf}"
JDK="${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
GATEHOUSE_SRC="${GATEHOUSE_SRC:-$PWD}"   # run from the project root
SUITE_JAR="${OIDF_SUITE_JAR:-$OIDF/suite/target/fapi-test-suite.jar}"
SUITE_SCRIPTS="${OIDF_SUITE_SCRIPTS:-$OIDF/suite/scripts}"
OP="https://localhost:9443"; TENANT=oidf; ALIAS=gatehouse
SUITE_URL="https://localhost:8443"
export OIDF_USER=alice OIDF_PASSWORD='conformance-Password-1' OIDF_OP="$OP" OIDF_TENANT="$TENANT" OIDF_ALIAS="$ALIAS"
GH_JAVA_OPTS="-XX:+UseSerialGC -Xms64m -Xmx256m -Xss512k -Djdk.pollerMode=1 -Djavax.net.ssl.trustStore=$OIDF/tls/truststore.p12 -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12"

wait_for() { # url seconds
  for _ in $(seq 1 "$2"); do curl -skf -o /dev/null "$1" && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}
gh() { (cd "$OIDF/gatehouse" && JAVA_HOME="$JDK" GATEHOUSE_AOT=off JAVA_OPTS="$GH_JAVA_OPTS" ./gatehouse --data "$OIDF/gh-data" "$@"); }

# The suite, built without Docker from a checkout at $OIDF/suite (for example
# `git clone https://github.com/openid-certification/conformance-suite $OIDF/suite`, at the commit
# docs/conformance.md names). prepare-suite.py patches it to build from Maven Central alone: it
# deletes the OpenID4VCI/VP and mdoc modules (their org.multipaz dependencies are not on Central),
# which none of the OpenID Connect OP plans use. Debian's mvn 3.8.7 builds it (about 6 min on 2 cores).
cmd_suite() {
  [ -f "$OIDF/suite/pom.xml" ] || { echo "no suite checkout at $OIDF/suite" >&2; exit 1; }
  python3 "$HERE/prepare-suite.py" "$OIDF/suite" > "$OIDF/suite-deleted-paths.txt"
  (cd "$OIDF/suite" && JAVA_HOME="$JDK" nice -n 10 mvn -B -ntp -q package -Dmaven.test.skip=true -DskipTests \
     -Dmaven.gitcommitid.skip=true -Dcheckstyle.skip -Dpmd.skip -Djacoco.skip=true)
  ls -l "$OIDF/suite/target/fapi-test-suite.jar"
}

cmd_prepare() {
  mkdir -p "$OIDF"
  [ -f "$SUITE_JAR" ] || { echo "no suite jar at $SUITE_JAR (set OIDF_SUITE_JAR; docs/conformance.md)" >&2; exit 1; }
  rm -rf "$OIDF/gatehouse"
  git clone -q "$GATEHOUSE_SRC" "$OIDF/gatehouse"
  (cd "$OIDF/gatehouse" && git checkout -q "$(git -C "$GATEHOUSE_SRC" rev-parse HEAD)" \
     && JAVA_HOME="$JDK" nice -n 10 ./mvnw -q -B -ntp package -DskipTests)
  mkdir -p "$OIDF/mongoshim/classes"
  cp "$HERE/mongo-shim/pom.xml" "$OIDF/mongoshim/pom.xml"
  (cd "$OIDF/mongoshim" && JAVA_HOME="$JDK" nice -n 10 mvn -q -B -ntp dependency:copy-dependencies -DoutputDirectory=lib)
  "$JDK/bin/javac" --release 21 -cp "$OIDF/mongoshim/lib/*" -d "$OIDF/mongoshim/classes" "$HERE/mongo-shim/MongoShim.java"
  # TLS: one self-signed cert for localhost, used by nginx for the suite and Gatehouse; Gatehouse trusts it
  mkdir -p "$OIDF/tls"
  if [ ! -f "$OIDF/tls/localhost.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj '/CN=localhost' \
      -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout "$OIDF/tls/localhost.key" -out "$OIDF/tls/localhost.crt"
    "$JDK/bin/keytool" -importcert -noprompt -alias localhost -file "$OIDF/tls/localhost.crt" \
      -keystore "$OIDF/tls/truststore.p12" -storetype PKCS12 -storepass changeit
  fi
  # the runner needs python3-httpx and python3-pyparsing (Debian: apt-get install python3-httpx python3-pyparsing)
}

start_bg() { # name command...
  local name=$1; shift
  nohup "$@" > "$OIDF/logs/$name.log" 2>&1 &
  echo $! > "$OIDF/pids/$name.pid"
}

cmd_start() {
  mkdir -p "$OIDF/logs" "$OIDF/pids" "$OIDF/nginx/logs" "$OIDF/nginx/tmp" "$OIDF/gh-data"
  start_bg mongo "$JDK/bin/java" -Xmx1g -cp "$OIDF/mongoshim/lib/*:$OIDF/mongoshim/classes" MongoShim 127.0.0.1 27017
  sleep 2
  # the suite, dev profile (no login, API open), listening on 127.0.0.1:18080 behind nginx (8080 is often taken)
  start_bg suite "$JDK/bin/java" -Xmx3g -Djdk.tls.maxHandshakeMessageSize=65536 \
    -jar "$SUITE_JAR" --spring.profiles.active=dev --server.address=127.0.0.1 --server.port=18080 \
    --fintechlabs.base_url="$SUITE_URL" --fintechlabs.base_mtls_url=https://localhost:8444 \
    --spring.mongodb.uri=mongodb://127.0.0.1:27017/test_suite
  sed "s#@OIDF@#$OIDF#g" "$HERE/nginx.conf" > "$OIDF/nginx/nginx.conf"
  start_bg nginx nginx -p "$OIDF/" -c "$OIDF/nginx/nginx.conf"
  (cd "$OIDF/gatehouse" && export JAVA_HOME="$JDK" GATEHOUSE_AOT=off JAVA_OPTS="$GH_JAVA_OPTS" \
     GATEHOUSE_SERVER_BASE_URL="$OP" \
     GATEHOUSE_OUTBOUND_ALLOWED_NETWORKS=127.0.0.1/32 && start_bg gatehouse ./gatehouse serve --port 9080 --data "$OIDF/gh-data")
  wait_for "$OP/health/ready" 120
  wait_for "$SUITE_URL/api/runner/available" 300
  echo "all up"
}

cmd_setup() {
  mkdir -p "$OIDF/clients" "$OIDF/config"
  local cb="$SUITE_URL/test/a/$ALIAS"
  gh tenant create "$TENANT" --display-name "OIDF conformance" || true
  printf '%s\n' "$OIDF_PASSWORD" | gh user create --tenant "$TENANT" --username "$OIDF_USER" --password-stdin \
      --email alice@example.com --display-name "Alice Example" \
      --claim given_name=Alice --claim family_name=Example --claim nickname=al \
      --claim birthdate=1990-01-01 --claim locale=en-GB --claim zoneinfo=Europe/London \
      --claim website=https://alice.example.com --claim picture=https://alice.example.com/a.png \
      --claim profile=https://alice.example.com/about --claim gender=female --claim middle_name=M \
      --claim phone_number=+44-20-7946-0000 --claim phone_number_verified=true \
      --claim address.street_address="1 Example Street" --claim address.locality=London \
      --claim address.postal_code="N1 1AA" --claim address.country=GB || true
  local common=(--tenant "$TENANT" --grant authorization_code --grant refresh_token --redirect-uri "$cb/callback"
                --post-logout-redirect-uri "$cb/post_logout_redirect" --backchannel-logout-uri "$cb/backchannel_logout")
  [ -s "$OIDF/clients/client1.json" ] || gh client create --name "oidf client 1" "${common[@]}" > "$OIDF/clients/client1.json"
  [ -s "$OIDF/clients/client2.json" ] || gh client create --name "oidf client 2" "${common[@]}" > "$OIDF/clients/client2.json"
  [ -s "$OIDF/clients/client-post.json" ] || gh client create --name "oidf client post" --auth-method client_secret_post "${common[@]}" > "$OIDF/clients/client-post.json"
  # clients without a backchannel_logout_uri, for the RP-initiated logout plan (whose modules fail on
  # an unexpected back-channel logout request)
  local nobc=(--tenant "$TENANT" --grant authorization_code --grant refresh_token --redirect-uri "$cb/callback"
              --post-logout-redirect-uri "$cb/post_logout_redirect")
  [ -s "$OIDF/clients/logout1.json" ] || gh client create --name "oidf logout 1" "${nobc[@]}" > "$OIDF/clients/logout1.json"
  [ -s "$OIDF/clients/logout2.json" ] || gh client create --name "oidf logout 2" "${nobc[@]}" > "$OIDF/clients/logout2.json"
  # clients with a frontchannel_logout_uri (and no back-channel one), for the front-channel plan
  local fc=("${nobc[@]}" --frontchannel-logout-uri "$cb/frontchannel_logout")
  [ -s "$OIDF/clients/fc1.json" ] || gh client create --name "oidf front-channel 1" "${fc[@]}" > "$OIDF/clients/fc1.json"
  [ -s "$OIDF/clients/fc2.json" ] || gh client create --name "oidf front-channel 2" "${fc[@]}" > "$OIDF/clients/fc2.json"
  # The generic plan's variants run under their own alias (so they can run beside the certification
  # plans); their clients are registered for that alias's callbacks.
  variant_client() { # alias name create-options...
    local vcb="$SUITE_URL/test/a/$1" name=$2; shift 2
    [ -s "$OIDF/clients/$name.json" ] || gh client create --name "oidf $name" "$@" --tenant "$TENANT" \
        --grant authorization_code --grant refresh_token --redirect-uri "$vcb/callback" \
        --post-logout-redirect-uri "$vcb/post_logout_redirect" > "$OIDF/clients/$name.json"
  }
  # private_key_jwt clients (RFC 7523 section 2.2): an ES256 key pair each; Gatehouse gets the public
  # JWK Set, the suite's configuration the private one (make-config.py picks up NAME.private-jwks.json)
  for n in pkjwt1 pkjwt2; do
    python3 "$HERE/make-jwks.py" "$OIDF/clients/$n.private-jwks.json" "$OIDF/clients/$n.public-jwks.json"
    variant_client "$ALIAS-pkjwt" $n --auth-method private_key_jwt --jwks-file "$OIDF/clients/$n.public-jwks.json"
  done
  for n in gpost1 gpost2; do variant_client "$ALIAS-post" $n --auth-method client_secret_post; done
  python3 "$HERE/make-config.py" "$OIDF/clients" "$OIDF/config/gatehouse-oidcc.json"
  python3 "$HERE/make-config.py" "$OIDF/clients" "$OIDF/config/gatehouse-oidcc-frontchannel.json" fc1.json fc2.json
  OIDF_ALIAS="$ALIAS-pkjwt" python3 "$HERE/make-config.py" "$OIDF/clients" "$OIDF/config/gatehouse-oidcc-pkjwt.json" pkjwt1.json pkjwt2.json
  OIDF_ALIAS="$ALIAS-post" python3 "$HERE/make-config.py" "$OIDF/clients" "$OIDF/config/gatehouse-oidcc-post.json" gpost1.json gpost2.json
  python3 "$HERE/make-config.py" "$OIDF/clients" "$OIDF/config/gatehouse-oidcc-logout.json" logout1.json logout2.json
}

DEFAULT_PLANS=(
  "oidcc-config-certification-test-plan"
  "oidcc-basic-certification-test-plan[server_metadata=discovery][client_registration=static_client]"
  "oidcc-formpost-basic-certification-test-plan[server_metadata=discovery][client_registration=static_client]"
  "oidcc-rp-initiated-logout-certification-test-plan[response_type=code][client_registration=static_client]"
  "oidcc-backchannel-rp-initiated-logout-certification-test-plan[response_type=code][client_registration=static_client]"
  "oidcc-frontchannel-rp-initiated-logout-certification-test-plan[response_type=code][client_registration=static_client]"
  # the certification plans fix client_secret_basic (and one client_secret_post module); the generic
  # plan takes client_auth_type as a variant
  "oidcc-test-plan[client_auth_type=private_key_jwt][response_type=code][response_mode=default][client_registration=static_client]"
  "oidcc-test-plan[client_auth_type=client_secret_post][response_type=code][response_mode=default][client_registration=static_client]"
)

cmd_run() {
  local plans=("$@"); [ ${#plans[@]} -gt 0 ] || plans=("${DEFAULT_PLANS[@]}")
  mkdir -p "$OIDF/results"
  local args=()
  local config="${OIDF_CONFIG:-$OIDF/config/gatehouse-oidcc.json}"
  for p in "${plans[@]}"; do
    c="$config"
    if [ -z "${OIDF_CONFIG:-}" ]; then
      case "$p" in
        oidcc-rp-initiated-logout-certification-test-plan*) c="$OIDF/config/gatehouse-oidcc-logout.json";;
        oidcc-frontchannel-*) c="$OIDF/config/gatehouse-oidcc-frontchannel.json";;
        oidcc-test-plan*client_auth_type=private_key_jwt*) c="$OIDF/config/gatehouse-oidcc-pkjwt.json";;
        oidcc-test-plan*client_auth_type=client_secret_post*) c="$OIDF/config/gatehouse-oidcc-post.json";;
      esac
    fi
    args+=("$p" "$c")
  done
  (cd "$SUITE_SCRIPTS" && CONFORMANCE_SERVER="$SUITE_URL" CONFORMANCE_DEV_MODE=1 \
     /usr/bin/python3 run-test-plan.py --no-parallel --verbose --export-dir "$OIDF/results" "${args[@]}") \
     2>&1 | tee "$OIDF/results/run-$(date +%H%M%S).log"
}

# oidcc-server-rotate-keys (in oidcc-test-plan) compares the JWKS fetched when the module is created
# with the one fetched when it starts, and asks the operator to rotate the OP's keys in between;
# run-test-plan.py starts it at once, so it FAILS there. This runs it through the suite's API and
# rotates the tenant's RS256 keys between the two fetches.
cmd_rotate_keys() { # PLAN_ID (of an oidcc-test-plan)
  local plan=${1:?plan id} id st
  api() { curl -sk "$@"; }
  field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(*(d.get(k) for k in sys.argv[1:]))" "$@"; }
  id=$(api -X POST "$SUITE_URL/api/runner?test=oidcc-server-rotate-keys&plan=$plan" | field id)
  for _ in $(seq 60); do st=$(api "$SUITE_URL/api/info/$id" | field status); [ "$st" = CONFIGURED ] && break; sleep 1; done
  echo "module $id: $st; rotating the RS256 keys of tenant $TENANT"
  gh keys rotate --tenant "$TENANT" --alg RS256
  api -X POST "$SUITE_URL/api/runner/$id" > /dev/null
  for _ in $(seq 120); do
    st=$(api "$SUITE_URL/api/info/$id" | field status result)
    case "$st" in FINISHED*|INTERRUPTED*) break;; esac; sleep 1
  done
  echo "module $id: $st"
}

cmd_stop() {
  for n in gatehouse nginx suite mongo; do
    f="$OIDF/pids/$n.pid"
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if [ "$n" = gatehouse ]; then # the launcher execs java? stop its children too
      for c in $(pgrep -P "$pid" || true); do kill "$c" 2>/dev/null || true; done
    fi
    kill "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

cmd_summary() {
  python3 "$HERE/summarize.py" "$@" > "$OIDF/results/summary.md"
  echo "per-module table: $OIDF/results/summary.md"
}

cmd_all() {
  cmd_prepare
  trap cmd_stop EXIT
  cmd_start
  cmd_setup
  cmd_run || true   # the runner exits non-zero when a module fails; the summary says which
  for plan in $(curl -sk "$SUITE_URL/api/plan?length=100" | python3 -c \
      'import json,sys; print(*(p["_id"] for p in json.load(sys.stdin)["data"] if p["planName"] == "oidcc-test-plan"))'); do
    cmd_rotate_keys "$plan"
  done
  cmd_summary
}

c=${1:?usage: run-oidf.sh suite|all|prepare|start|setup|run|rotate-keys|summary|stop}
"cmd_${c//-/_}" "${@:2}"
