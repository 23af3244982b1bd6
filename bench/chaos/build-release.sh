#!/usr/bin/env bash
# Builds the server of an earlier commit (the previous release, for the upgrade experiment of
# bench/chaos.sh) and prints the path of its jar. The build is kept per commit under
# ${GATEHOUSE_RELEASE_CACHE:-~/.cache/gatehouse/releases}/<commit>/ and reused: only the first
# run on a machine pays for it (about 2 minutes on 2 cores).
#
#   bench/chaos/build-release.sh f3dc3bc      # -> ~/.cache/gatehouse/releases/f3dc3bc.../gatehouse-server.jar
#
# The sources come from this repository's history (`git archive`), so the commit must be in the
# clone (a shallow clone needs `git fetch --unshallow`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ref="${1:?usage: build-release.sh COMMIT}"
commit="$(git -C "$root" rev-parse --verify -q "$ref^{commit}")" || {
  echo "build-release: commit $ref is not in this clone (git fetch --unshallow?)" >&2; exit 2; }
cache="${GATEHOUSE_RELEASE_CACHE:-$HOME/.cache/gatehouse/releases}/$commit"
if [ ! -f "$cache/gatehouse-server.jar" ]; then
  src="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-release.XXXXXX")"
  trap 'rm -rf "$src"' EXIT
  echo "build-release: building $commit (once per machine; kept in $cache)" >&2
  git -C "$root" archive "$commit" | tar -x -C "$src"
  (cd "$src" && ./mvnw -q -B -ntp -DskipTests -pl server -am package) >"$src/build.log" 2>&1 || {
    tail -n 30 "$src/build.log" >&2; echo "build-release: the build of $commit failed" >&2; exit 2; }
  mkdir -p "$cache.tmp"
  cp -r "$src/server/target/gatehouse-server.jar" "$src/server/target/lib" "$cache.tmp/"
  rm -rf "$cache"
  mv "$cache.tmp" "$cache"
fi
echo "$cache/gatehouse-server.jar"
