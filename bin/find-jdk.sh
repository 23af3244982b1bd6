# Sourced by ./mvnw and ./gatehouse: points JAVA_HOME at a JDK 21 or newer.
# Order: JAVA_HOME if it is new enough, then `java` on the PATH, then the usual install locations.
# Prints one clear line and exits when none is found.

gatehouse_java_major() {
  # The JDK's release file when there is one (no JVM start: each costs 0.1-1 s), else
  # "openjdk version "21.0.2"" / "java version "1.8.0_392"" -> 21 / 8
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    awk -F'"' '/^JAVA_VERSION=/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }' "$release"
    return
  fi
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

gatehouse_find_jdk() {
  local candidate major
  for candidate in \
      "${JAVA_HOME:-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")" 2>/dev/null)" \
      /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(gatehouse_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! GATEHOUSE_JDK=$(gatehouse_find_jdk); then
  echo "gatehouse: needs a JDK 21 or newer; none found in JAVA_HOME, on the PATH or under /usr/lib/jvm (install one, e.g. apt-get install openjdk-21-jdk-headless, or set JAVA_HOME)" >&2
  exit 1
fi
export JAVA_HOME="$GATEHOUSE_JDK"
