#!/usr/bin/env bash
# Builds the release archive dist/crm-VERSION-linux-ARCH.tar.gz and its .sha256 (sha256sum format).
#
#   scripts/release.sh                  # VERSION: what the built binary prints for `crm --version`
#   CRM_RELEASE_DIR=/tmp/out scripts/release.sh
#
# The binary links the Swift runtime and Foundation statically (--static-swift-stdlib): the server
# needs no Swift toolchain, only glibc, libstdc++ and zlib. The archive mirrors an install prefix,
# so that install.sh copies each file to the same path under --prefix (or
# `tar -C /usr/local --strip-components=1 -xzf` does):
#
#   crm-VERSION-linux-ARCH/
#     bin/crm                                        stripped
#     share/man/man1/crm.1                           every command on one page
#     share/bash-completion/completions/crm
#     share/zsh/site-functions/_crm
#     share/fish/vendor_completions.d/crm.fish
#     share/doc/crm/                                 README.md, docs/*.md, crm.service, crm.env, alerts.yml
#     install.sh                                     scripts/install.sh
#
# The man page comes from swift-argument-parser's manual generator, the `generate-manual` tool that
# its `swift package generate-manual` plugin runs. The plugin first builds every product of the
# package again (a second release build without the static runtime, benchmarks included: many
# minutes on a small machine, and it replaces .build/release/crm), then runs the tool on the
# binary. This script builds the tool alone, from the swift-argument-parser checkout the package
# resolved (the same version as the library in crm), and runs it on the binary it ships: the same
# page, without the second build. docs/deploy.md, "Release archive", has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${CRM_RELEASE_DIR:-dist}
build_flags=(-c release --static-swift-stdlib)
seconds() { date +%s; }

started=$(seconds)
echo "== building crm (release, Swift runtime linked statically)"
swift build "${build_flags[@]}" --product crm
binary="$(swift build "${build_flags[@]}" --show-bin-path)/crm"
built=$(seconds)

version=$("$binary" --version)
arch=$(uname -m)
name="crm-${version}-linux-${arch}"
if ! [[ $version =~ ^[0-9A-Za-z.+-]+$ ]]; then
    echo "release.sh: crm --version printed '$version', not a version usable in a file name" >&2
    exit 65
fi

echo "== building swift-argument-parser's generate-manual"
parser_checkout=${CRM_ARGUMENT_PARSER_CHECKOUT:-.build/checkouts/swift-argument-parser}
if [ ! -f "$parser_checkout/Tools/generate-manual/GenerateManual.swift" ]; then
    echo "release.sh: no swift-argument-parser checkout at $parser_checkout (set CRM_ARGUMENT_PARSER_CHECKOUT)" >&2
    exit 66
fi
# Its own scratch folder, so the checkout itself is left untouched; a debug build (it only formats
# text, and compiles in a fraction of a release build's time).
swift build --package-path "$parser_checkout" --scratch-path .build/generate-manual --product generate-manual
generate_manual="$(swift build --package-path "$parser_checkout" --scratch-path .build/generate-manual --show-bin-path)/generate-manual"
tool_built=$(seconds)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
install -d "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d" "$root/share/doc/crm"

install -m 0755 "$binary" "$root/bin/crm"
strip "$root/bin/crm"

# The completions are generated from this binary and compared with the checked-in ones: a stale
# completions/ folder (CompletionScriptTests also catches it) must not ship.
for shell in bash zsh fish; do
    case $shell in
        bash) checked_in=completions/crm.bash; target=share/bash-completion/completions/crm ;;
        zsh) checked_in=completions/_crm; target=share/zsh/site-functions/_crm ;;
        fish) checked_in=completions/crm.fish; target=share/fish/vendor_completions.d/crm.fish ;;
    esac
    "$root/bin/crm" --generate-completion-script "$shell" > "$root/$target"
    if ! cmp -s "$root/$target" "$checked_in"; then
        echo "release.sh: $checked_in differs from what the binary generates: run scripts/generate-completions.sh and commit" >&2
        exit 65
    fi
    chmod 0644 "$root/$target"
done

# generate-manual runs `TOOL --experimental-dump-help` and drops every non-ASCII character it
# writes (swift-argument-parser 1.8: "São Paulo" became "So Paulo", "sent → read" "sent  read").
# So it is given a TOOL that prints the binary's dump transliterated to ASCII ("Sao Paulo",
# "sent -> read"): the same JSON otherwise. The page's date is the commit's: one commit, one page.
printf '#!/bin/sh\n"%s" --experimental-dump-help | LC_ALL=C.UTF-8 iconv -f UTF-8 -t ASCII//TRANSLIT\n' \
    "$root/bin/crm" > "$stage/crm-help-ascii"
chmod +x "$stage/crm-help-ascii"
page_date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
"$generate_manual" "$stage/crm-help-ascii" --date "$page_date" --output-directory "$root/share/man/man1"
[ -s "$root/share/man/man1/crm.1" ] || { echo "release.sh: generate-manual wrote no crm.1" >&2; exit 70; }
chmod 0644 "$root/share/man/man1/crm.1"

install -m 0644 README.md docs/*.md docs/crm.service docs/crm.env docs/alerts.yml "$root/share/doc/crm/"
install -m 0755 scripts/install.sh "$root/install.sh"

mkdir -p "$out"
archive="$out/$name.tar.gz"
# Owned by root in the archive whoever built it; the names sorted; gzip without a time stamp.
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip -9n > "$archive.partial"
mv -f "$archive.partial" "$archive"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
packed=$(seconds)

binary_size=$(stat -c %s "$root/bin/crm")
unstripped_size=$(stat -c %s "$binary")
archive_size=$(stat -c %s "$archive")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "== $archive"
echo "   bin/crm $binary_size bytes ($(mib "$binary_size"); $(mib "$unstripped_size") before strip), archive $archive_size bytes ($(mib "$archive_size"))"
echo "   crm built in $((built - started)) s, generate-manual in $((tool_built - built)) s, packed in $((packed - tool_built)) s"
cat "$out/$name.tar.gz.sha256"
