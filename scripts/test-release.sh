#!/usr/bin/env bash
# Checks the release archive as someone without Swift meets it. .ci/run runs it after the tests.
#
#   scripts/test-release.sh                          # builds it first (scripts/release.sh)
#   ARCHIVE=dist/crm-0.1.0-linux-x86_64.tar.gz scripts/test-release.sh
#
# 1. the SHA-256 file matches, the archive holds what install.sh expects;
# 2. unpacked into an empty folder, bin/crm loads no Swift runtime library (ldd), and runs with a
#    bare environment (env -i, PATH=/usr/bin:/bin: no Swift on PATH, no LD_LIBRARY_PATH):
#    --version, --help, `crm demo` and `crm demo --json`;
# 3. the man page renders (man -l; groff warnings other than blank lines fail; mandoc -T lint's
#    errors fail, when mandoc is installed), "São Paulo" transliterated to ASCII, not dropped;
# 4. install.sh into a scratch prefix from the .tar.gz, again from the unpacked folder (nothing
#    changes), the installed crm runs, man finds the page, bash loads the completion;
# 5. install.sh --uninstall leaves no file in the prefix, and a second one has nothing to do;
#    a damaged archive is refused and installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '\n-- %s\n' "$*"; }

started=$(date +%s)
out=
if [ -z "${ARCHIVE:-}" ]; then
    out=$(mktemp -d)
    CRM_RELEASE_DIR=$out scripts/release.sh
    ARCHIVE=$(ls "$out"/crm-*.tar.gz)
fi
built=$(date +%s)
archive_name=$(basename "$ARCHIVE")
[[ $archive_name =~ ^crm-(.+)-linux-$(uname -m)\.tar\.gz$ ]] || fail "$archive_name is not crm-VERSION-linux-$(uname -m).tar.gz"
version=${BASH_REMATCH[1]}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch" ${out:+"$out"}' EXIT   # and the archive, when this script built it
bare=(env -i "HOME=$scratch/home" PATH=/usr/bin:/bin LANG=C.UTF-8 "TMPDIR=$scratch/tmp")
mkdir -p "$scratch/home" "$scratch/tmp"

step "SHA-256 and contents"
(cd "$(dirname "$ARCHIVE")" && sha256sum -c "$archive_name.sha256") || fail "the .sha256 does not match"
tar -tzf "$ARCHIVE" | sort > "$scratch/listing"
for entry in bin/crm share/man/man1/crm.1 share/bash-completion/completions/crm share/zsh/site-functions/_crm \
    share/fish/vendor_completions.d/crm.fish share/doc/crm/README.md share/doc/crm/deploy.md \
    share/doc/crm/crm.service share/doc/crm/crm.env install.sh; do
    grep -qx "crm-$version-linux-$(uname -m)/$entry" "$scratch/listing" || fail "the archive lacks $entry"
done
owners=$(tar -tvzf "$ARCHIVE" | awk '{ print $2 }' | sort -u)
[ "$owners" = "0/0" ] || fail "archive entries owned by $owners, not root (0/0)"

step "unpacked into an empty folder, run with a bare environment"
mkdir "$scratch/unpacked"
tar -C "$scratch/unpacked" -xzf "$ARCHIVE"
root="$scratch/unpacked/crm-$version-linux-$(uname -m)"
crm="$root/bin/crm"
"${bare[@]}" sh -c '! command -v swift' >/dev/null || fail "swift is on PATH=/usr/bin:/bin here: the bare run would prove nothing"
ldd "$crm" | tee "$scratch/ldd"
if grep -Ei 'libswift|libFoundation|libdispatch|libBlocksRuntime|libicu|not found' "$scratch/ldd"; then
    fail "bin/crm loads Swift runtime libraries, or a library is missing"
fi
printed=$("${bare[@]}" "$crm" --version)
[ "$printed" = "$version" ] || fail "crm --version printed '$printed', the archive says $version"
"${bare[@]}" "$crm" --help > "$scratch/help" || fail "crm --help failed"
grep -q '^USAGE: crm <subcommand>' "$scratch/help" || fail "crm --help has no usage line"
grep -q 'demo' "$scratch/help" || fail "crm --help does not list demo"
"${bare[@]}" "$crm" demo > "$scratch/demo.txt" || { cat "$scratch/demo.txt"; fail "crm demo failed"; }
grep -q 'Message sent → delivered → read' "$scratch/demo.txt" || { cat "$scratch/demo.txt"; fail "crm demo did not send and read"; }
"${bare[@]}" "$crm" demo --json > "$scratch/demo.json" 2> "$scratch/demo.err" || { cat "$scratch/demo.err"; fail "crm demo --json failed"; }
python3 - "$scratch/demo.json" <<'PY' || fail "crm demo --json did not pair, send and receive (its JSON above)"
import json, sys
demo = json.load(open(sys.argv[1]))
ok = demo["connection"]["state"] == "connected" and demo["outbound"]["status"] == "read" and demo["inbound"]["direction"] == "inbound"
print(f"demo: connection {demo['connection']['state']}, outbound {demo['outbound']['status']}, inbound {demo['inbound']['direction']}, {demo['seconds']:.2f} s")
sys.exit(0 if ok else 1)
PY
leftovers=$(ls -A "$scratch/tmp")
[ -z "$leftovers" ] || fail "crm demo left $leftovers in TMPDIR"

step "man page"
page="$root/share/man/man1/crm.1"
LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$page" > "$scratch/man.txt" 2> "$scratch/man.warnings" || fail "man -l failed: $(cat "$scratch/man.warnings")"
# generate-manual writes a blank line between the paragraphs of a discussion (groff: "Empty input
# line", rendered as a paragraph break); any other warning fails.
if grep -v 'Empty input line' "$scratch/man.warnings"; then fail "groff warns about crm.1"; fi
for expected in NAME SYNOPSIS DESCRIPTION 'crm units create' 'crm webhook serve' 'crm demo' '--database' \
    'crm units create "Sao Paulo Centro"'; do
    grep -qF -- "$expected" "$scratch/man.txt" || fail "the rendered man page lacks '$expected'"
done
echo "man -l: $(wc -l < "$scratch/man.txt") lines, $(wc -l < "$scratch/man.warnings") blank-line warnings, no other"
if command -v mandoc >/dev/null; then
    # Errors fail; its style warnings (a new sentence on the same line, blank lines) are counted.
    mandoc -T lint -W error "$page" || fail "mandoc -T lint finds errors in crm.1"
    echo "mandoc -T lint: no errors ($(mandoc -T lint -W warning "$page" | wc -l) style warnings)"
fi

step "install.sh into a scratch prefix"
prefix="$scratch/prefix with space"
installed=("$prefix/bin/crm" "$prefix/share/man/man1/crm.1" "$prefix/share/bash-completion/completions/crm"
    "$prefix/share/zsh/site-functions/_crm" "$prefix/share/fish/vendor_completions.d/crm.fish")
scripts/install.sh --prefix "$prefix" "$ARCHIVE" | tee "$scratch/install1"
grep -q "SHA-256 matches" "$scratch/install1" || fail "install.sh did not check the .sha256"
for file in "${installed[@]}"; do [ -f "$file" ] || fail "install.sh did not install $file"; done
cmp "$prefix/bin/crm" "$crm" || fail "the installed binary differs from the archive's"
[ "$(stat -c %a "$prefix/bin/crm")" = 755 ] && [ "$(stat -c %a "$prefix/share/man/man1/crm.1")" = 644 ] || fail "modes not 755/644"
(cd "$prefix" && find . -type f -exec sha256sum {} + | sort) > "$scratch/first"
"$root/install.sh" --prefix "$prefix" | tee "$scratch/install2"
grep -q "already installed in $prefix: nothing changed" "$scratch/install2" || fail "a second install changed something"
(cd "$prefix" && find . -type f -exec sha256sum {} + | sort) > "$scratch/second"
cmp -s "$scratch/first" "$scratch/second" || fail "the prefix differs after a second install"
[ "$("${bare[@]}" "$prefix/bin/crm" --version)" = "$version" ] || fail "the installed crm does not run"
man_path=$("${bare[@]}" MANPATH="$prefix/share/man" man -w crm) || fail "man does not find crm under $prefix/share/man"
[ "$man_path" = "$prefix/share/man/man1/crm.1" ] || fail "man -w crm found $man_path"
bash -c 'source "$1" && complete -p crm' _ "$prefix/share/bash-completion/completions/crm" | grep -q -- '-F _crm crm$' ||
    fail "bash does not load the installed completion"
if command -v zsh >/dev/null; then zsh -n "$prefix/share/zsh/site-functions/_crm" || fail "zsh cannot parse _crm"; fi
if command -v fish >/dev/null; then fish -n "$prefix/share/fish/vendor_completions.d/crm.fish" || fail "fish cannot parse crm.fish"; fi

step "install.sh --uninstall"
scripts/install.sh --uninstall --prefix "$prefix" | tee "$scratch/uninstall1"
left=$(find "$prefix" ! -type d)
[ -z "$left" ] || fail "uninstall left: $left"
scripts/install.sh --uninstall --prefix "$prefix" | tee "$scratch/uninstall2"
grep -q "nothing to remove" "$scratch/uninstall2" || fail "a second uninstall did not say there was nothing to remove"

step "a damaged archive is refused"
cp "$ARCHIVE" "$scratch/$archive_name"
cp "$ARCHIVE.sha256" "$scratch/$archive_name.sha256"
printf 'x' >> "$scratch/$archive_name"
set +e
scripts/install.sh --prefix "$scratch/damaged" "$scratch/$archive_name" 2> "$scratch/damaged.err"
status=$?
set -e
cat "$scratch/damaged.err"
[ "$status" = 65 ] || fail "install.sh of a damaged archive exited $status, not 65"
[ ! -e "$scratch/damaged" ] || fail "install.sh of a damaged archive created $scratch/damaged"

finished=$(date +%s)
binary_size=$(stat -c %s "$crm")
archive_size=$(stat -c %s "$ARCHIVE")
echo
echo "release archive OK: $archive_name $archive_size bytes, bin/crm $binary_size bytes;" \
    "build $((built - started)) s, checks $((finished - built)) s"
