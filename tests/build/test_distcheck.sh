#!/usr/bin/env bash
# make distcheck as a normal user (nobody), from the files git tracks: the
# tarball holds everything the build and make check need, a VPATH build
# of it passes make check, and make install/uninstall leave nothing behind
# in a prefix of their own (the plugin directory under it). Prints
# "distcheck: N passed, M failed".
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && git ls-files -z | xargs -0 cp --parents -t "$tmp") 2>/dev/null ||
  (cd "$src" && git ls-files | while read -r f; do
     mkdir -p "$tmp/$(dirname "$f")" && cp -p "$f" "$tmp/$f"; done)
chown -R nobody "$tmp"
as_user=(runuser -u nobody --)
[ "$(id -u)" -ne 0 ] && as_user=()
if (cd "$tmp" && "${as_user[@]}" env HOME="$tmp" sh -c \
      'autoreconf -fi && ./configure -q && make -s -j"$(nproc)" distcheck' \
      >"$tmp/log" 2>&1) &&
   grep -q "archives ready for distribution" "$tmp/log"; then
  echo "PASS: distcheck (as $(${as_user[@]} id -un 2>/dev/null || id -un))"
  echo "distcheck: 1 passed, 0 failed"
else
  echo "FAIL: distcheck:"
  tail -40 "$tmp/log"
  echo "distcheck: 0 passed, 1 failed"
  exit 1
fi
