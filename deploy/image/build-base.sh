#!/usr/bin/env bash
# Builds the container image's base as a `docker save` tarball for Jib (`from tar://...`), from
# local material only (no registry): the C library from Debian's .deb files and a Java runtime
# reduced with jlink. Called by the Maven `image` profile (docs/deployment.md):
#
#   deploy/image/build-base.sh OUT_DIR     # writes OUT_DIR/base.tar and OUT_DIR/os-packages.tsv
#
# Two layers, least often changed first: `os` (glibc, libgcc_s, /etc/passwd with the non-root
# user 65532, /tmp, the data directory /var/lib/gatehouse) and `jre` (/opt/java). jlink runs only
# when the JDK or the module list changed (it takes about a minute on 2 busy cores).
#
# Env: JLINK_JAVA_HOME (the JDK whose jlink and modules to use; default: the JDK that builds),
# GATEHOUSE_IMAGE_DEB_DIR (where the .deb files are kept; default ~/.cache/gatehouse/debs: put the
# files there yourself on a machine without apt, any version of the packages listed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:?usage: build-base.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
. "$root/bin/find-jdk.sh"
jdk="${JLINK_JAVA_HOME:-$JAVA_HOME}"
say() { printf '[image] %s\n' "$*" >&2; }

# ---- the Java runtime (jlink) ----
modules="$(grep -v '^#' "$here/jdk-modules.txt" | grep -v '^$' | paste -sd, -)"
jdk_version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release")"
jdk_vendor="$(sed -n 's/^IMPLEMENTOR="\(.*\)"/\1/p' "$jdk/release")"
# jdk.crypto.ec is an empty module on JDK 22+ and gone on later ones: keep only modules this JDK has.
available="$("$jdk/bin/java" --list-modules | sed 's/@.*//')"
modules="$(tr ',' '\n' <<<"$modules" | grep -xF -f <(echo "$available") | paste -sd, -)"
stamp="$jdk_version $modules"
if [ ! -f "$out/jre.stamp" ] || [ "$(cat "$out/jre.stamp")" != "$stamp" ]; then
  say "jlink: Java $jdk_version, modules $modules"
  rm -rf "$out/jre" "$out/jre.stamp"
  mkdir -p "$out/jre/opt"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$out/jre/opt/java"
  echo "$stamp" >"$out/jre.stamp"
fi

# ---- the C library (Debian packages) ----
deb_dir="${GATEHOUSE_IMAGE_DEB_DIR:-$HOME/.cache/gatehouse/debs}"
mkdir -p "$deb_dir"
rm -rf "$out/os" "$out/debs"
mkdir -p "$out/os/lib64" "$out/os/lib/x86_64-linux-gnu" "$out/os/etc" "$out/os/tmp" \
  "$out/os/var/lib/gatehouse" "$out/debs"
: >"$out/os-packages.tsv"
for pkg in $(grep -v '^#' "$here/debian-packages.txt"); do
  deb="$(ls "$deb_dir/${pkg}"_*_amd64.deb 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -z "$deb" ]; then
    say "downloading $pkg (apt-get download)"
    (cd "$deb_dir" && apt-get download "$pkg" >/dev/null 2>&1) || {
      say "cannot get $pkg: run 'apt-get update' or put ${pkg}_*_amd64.deb into $deb_dir"; exit 2; }
    deb="$(ls "$deb_dir/${pkg}"_*_amd64.deb | sort -V | tail -n1)"
  fi
  version="$(dpkg-deb -f "$deb" Version)"
  printf '%s\t%s\t%s\n' "$pkg" "$version" "$(sha256sum "$deb" | cut -d' ' -f1)" >>"$out/os-packages.tsv"
  dpkg-deb -x "$deb" "$out/debs/$pkg"
  x="$out/debs/$pkg"
  cp -a "$x"/lib/x86_64-linux-gnu/. "$out/os/lib/x86_64-linux-gnu/"
  [ ! -d "$x/lib64" ] || cp -a "$x"/lib64/. "$out/os/lib64/"
  # The licence (libgcc-s1's doc directory is a link to gcc's, which the package does not carry).
  if [ -f "$x/usr/share/doc/$pkg/copyright" ]; then
    mkdir -p "$out/os/usr/share/doc/$pkg"
    cp "$x/usr/share/doc/$pkg/copyright" "$out/os/usr/share/doc/$pkg/"
  fi
done
rm -rf "$out/debs"
# Debug and profiling helpers of glibc that nothing loads.
rm -f "$out/os/lib/x86_64-linux-gnu/"{libmemusage.so,libpcprofile.so,libc_malloc_debug.so.0,libthread_db.so.1}
cat >"$out/os/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
gatehouse:x:65532:65532:gatehouse:/var/lib/gatehouse:/sbin/nologin
EOF
cat >"$out/os/etc/group" <<'EOF'
root:x:0:
gatehouse:x:65532:
EOF
echo 'hosts: files dns' >"$out/os/etc/nsswitch.conf"

say "writing $out/base.tar"
"$JAVA_HOME/bin/java" "$here/BaseImage.java" "$out/base.tar" "os=$out/os" "jre=$out/jre" >"$out/base.diffids"
printf 'java\t%s\t%s\n' "$jdk_version" "$jdk_vendor" >"$out/jre.tsv"

# ---- the image's SBOM (CycloneDX): the jar's components plus what the base holds ----
jar_bom="${2:-}"
version="${3:-unknown}"
if [ -n "$jar_bom" ] && [ -f "$jar_bom" ]; then
  command -v jq >/dev/null || { say "needs jq for the image SBOM (Debian: apt-get install jq)"; exit 2; }
  debian="$(. /etc/os-release 2>/dev/null; echo "${VERSION_ID:-12}")"
  extra="$(awk -F'\t' -v d="$debian" '{
      printf "%s{\"type\":\"library\",\"name\":\"%s\",\"version\":\"%s\",\"purl\":\"pkg:deb/debian/%s@%s?arch=amd64&distro=debian-%s\",\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"%s\"}],\"properties\":[{\"name\":\"gatehouse:image-layer\",\"value\":\"os\"},{\"name\":\"gatehouse:source\",\"value\":\"Debian .deb (apt-get download)\"}]}",
        (NR > 1 ? "," : ""), $1, $2, $1, $2, d, $3 }' "$out/os-packages.tsv")"
  jre="{\"type\":\"application\",\"name\":\"java-runtime\",\"version\":\"$jdk_version\",\"supplier\":{\"name\":\"$jdk_vendor\"},\"description\":\"jlink image of modules $modules\",\"properties\":[{\"name\":\"gatehouse:image-layer\",\"value\":\"jre\"}]}"
  jq --argjson extra "[$extra,$jre]" --arg version "$version" '
      .metadata.component = {"type":"container","name":"gatehouse","version":$version,
        "description":"Gatehouse container image: Debian libc, a jlink Java runtime and the server"}
      | .components = ($extra + .components)' "$jar_bom" >"$out/gatehouse-image.cdx.json"
  say "SBOM: $out/gatehouse-image.cdx.json ($(jq '.components | length' "$out/gatehouse-image.cdx.json") components)"
fi
