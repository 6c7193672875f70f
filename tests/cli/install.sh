# make install: the command, the library, its header, pkg-config and the
# manual page; a program builds against what was installed; the manual
# page documents every command and option the command's help lists.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P="$TMP/root"
make -s -C "$ROOT" install BUILD="$SF_BUILD" PREFIX="$P" >"$TMP/install.log" 2>&1 ||
    { fail "make install"; cat "$TMP/install.log"; }
for f in bin/storyfold lib/libstoryfold.a include/storyfold.h lib/pkgconfig/storyfold.pc \
         share/man/man1/storyfold.1; do
    [ -f "$P/$f" ] || fail "not installed: $f"
done
expect_rc 0 "$P/bin/storyfold" version
expect_grep "^storyfold [0-9]" "$TMP/out"

# the manual page renders without a warning
if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$P/share/man/man1/storyfold.1" 2>"$TMP/groff" || fail "groff failed"
    [ -s "$TMP/groff" ] && { fail "groff warnings"; cat "$TMP/groff"; }
fi
# every command and option of the help texts is in the manual page
"$P/bin/storyfold" --help >"$TMP/help" 2>&1
for c in add stories serve; do "$P/bin/storyfold" $c --help >>"$TMP/help" 2>&1; done
sed 's/\\-/-/g' "$P/share/man/man1/storyfold.1" >"$TMP/man"
for o in $(grep -o -- '--[a-z][a-z-]*' "$TMP/help" | sort -u); do
    grep -q -- "$o" "$TMP/man" || fail "option $o is not in the manual page"
done
for c in $(sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' "$TMP/help" | sort -u); do
    grep -q "^\.B $c\$" "$TMP/man" || fail "command $c is not in the manual page"
done

# the README's library example, built with pkg-config against the install
if command -v pkg-config >/dev/null 2>&1; then
    flags=$(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --cflags --libs storyfold) ||
        fail "pkg-config storyfold"
    # shellcheck disable=SC2086
    cc -std=c11 -o "$TMP/fold_lines" "$ROOT/examples/fold_lines.c" $flags ${LDFLAGS:-} \
        2>"$TMP/cc" || { fail "example does not build against the install"; cat "$TMP/cc"; }
    python3 - "$ROOT/examples/pages" >"$TMP/pages.jsonl" <<'PY'
import json, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    print(json.dumps({"id": name, "text": open(os.path.join(d, name), encoding="utf-8").read()}))
PY
    expect_rc 0 "$TMP/fold_lines" "$TMP/pages.jsonl"
    [ "$(wc -l <"$TMP/out")" -eq 3 ] || fail "expected 3 stories from the installed library"
fi
make -s -C "$ROOT" uninstall BUILD="$SF_BUILD" PREFIX="$P" >/dev/null 2>&1
[ -z "$(find "$P" -type f)" ] || fail "uninstall left files: $(find "$P" -type f)"
done_testing
