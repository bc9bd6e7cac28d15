#!/usr/bin/env bash
# Builds the container image's own files (besides the relay's classes and jars, which Jib adds):
#   build-root.sh JAVA_HOME RELAY_JAR OUT
# OUT/opt/java    a Java runtime linked by jlink from JAVA_HOME with the modules the relay uses
# OUT/lib*/...    the build machine's C library files that runtime and Netty's native QUIC and epoll
#                 libraries (read from RELAY_JAR) link against, found with ldd, plus their copyright
# OUT/etc, /tmp   passwd and group with the "nonroot" user (65532), nsswitch.conf, an empty /tmp
# Like a distroless image: no shell, no package manager. Run by moq-cli's package phase.
set -euo pipefail
java_home="$1" jar="$(readlink -f "$2")" out="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# From jdeps on the relay jar: logging (logback: java.xml, java.logging, java.naming), metrics
# (java.management, jdk.management), JWK URLs (java.net.http), Netty (jdk.unsupported, jdk.jfr),
# Gson inside nimbus-jose-jwt (java.sql). java.desktop (an unused Micrometer binder) is left out.
modules=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.jfr,jdk.management,jdk.unsupported
# Before JDK 22 the EC algorithms of the JDK's own TLS lived in their own module.
if "$java_home/bin/java" --list-modules | grep -q '^jdk\.crypto\.ec@'; then modules="$modules,jdk.crypto.ec"; fi

rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp" "$out/etc/moq-relay"
cp -R "$here/root/." "$out/"
# Uncompressed modules: the image layer is gzipped anyway, and smaller so than jlink's zip.
if ! "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --output "$out/opt/java" >&2; then
  echo "error: jlink could not link a runtime from $java_home (a JDK without jmods, as Debian's openjdk-21-jdk" >&2
  echo "       without openjdk-21-jmods?). Use a JDK that has them (Temurin), or skip the image: -Dmoq.image.skip=true" >&2
  exit 1
fi

natives="$(mktemp -d)"
trap 'rm -rf "$natives"' EXIT
(cd "$natives" && "$java_home/bin/jar" xf "$jar" META-INF/native)

# Every shared library an ELF file of the runtime or a Netty native library needs, by absolute
# path; the runtime's own libraries (libjvm.so, ...) resolve inside it and are not listed.
# (ldd says "not a dynamic executable" of anything else, and fails: ignored.)
needed="$(find "$out/opt/java/bin" "$out/opt/java/lib" "$natives" -type f \( -name '*.so' -o -perm -u+x \) \
  | while read -r f; do ldd "$f" 2>/dev/null || true; done)"
own="$(find "$out/opt/java/lib" -name '*.so' -printf '%f\n')"
missing="$(awk '$2 == "=>" && $3 == "not" {print $1}' <<<"$needed" | sort -u | grep -vxF "$own" || true)"
if [ -n "$missing" ]; then
  echo "error: libraries not found on this machine: $missing" >&2
  exit 1
fi
libs="$(awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$needed" | grep -v "^$out/" | sort -u || true)"
# glibc loads libgcc_s when a thread is cancelled or unwinds; the JVM and Rust code (quiche) may do so.
ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
gcc_s="$("$ldconfig" -p 2>/dev/null | awk '$1 == "libgcc_s.so.1" && /x86-64/ {print $NF; exit}' || true)"
[ -n "$gcc_s" ] && libs="$libs"$'\n'"$gcc_s"
[ -n "$libs" ] || { echo "error: ldd listed no C library (not a glibc system?)" >&2; exit 1; }
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
  # The licence of each library's Debian package, as distroless images carry them.
  if command -v dpkg-query >/dev/null 2>&1; then
    pkg="$( { dpkg-query -S "$lib" || dpkg-query -S "$(readlink -f "$lib")"; } 2>/dev/null | head -1 | cut -d: -f1 || true)"
    if [ -n "$pkg" ] && [ -f "/usr/share/doc/$pkg/copyright" ]; then
      mkdir -p "$out/usr/share/doc/$pkg"
      cp "/usr/share/doc/$pkg/copyright" "$out/usr/share/doc/$pkg/copyright"
    fi
  fi
done
echo "image root: $(du -sh "$out" | cut -f1) in $out (runtime modules: $modules; libraries: $(echo $libs))" >&2
