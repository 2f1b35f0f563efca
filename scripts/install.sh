#!/usr/bin/env bash
# Installs crm from a release archive, or removes it again.
#
#   ./install.sh [--prefix DIR]                      from an unpacked archive (this file's folder)
#   install.sh [--prefix DIR] crm-VERSION-linux-ARCH.tar.gz
#                                                    from the archive itself; checks the .sha256
#                                                    beside it when there is one
#   install.sh --uninstall [--prefix DIR]            removes what an install put there
#
# DIR is /usr/local by default (~/.local for one user, without sudo). Installed:
#   DIR/bin/crm
#   DIR/share/man/man1/crm.1                         man crm
#   DIR/share/bash-completion/completions/crm        bash-completion loads it on first Tab
#   DIR/share/zsh/site-functions/_crm                on zsh's fpath for /usr/local
#   DIR/share/fish/vendor_completions.d/crm.fish     fish finds it under XDG_DATA_DIRS
# Running it twice changes nothing the second time. Neither way touches crm's data (the SQLite
# database in ~/.local/share/crm or /var/lib/crm), /etc/crm, or a systemd unit.
#
# Exit status: 0 done (also when there was nothing to do), 64 usage, 65 a damaged archive
# (SHA-256 mismatch, files missing), 66 no archive found, 69 the binary does not run on this
# machine, 77 the prefix is not writable (use sudo, or --prefix ~/.local).
set -euo pipefail

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }
fail() { echo "install.sh: $2" >&2; exit "$1"; }

prefix=/usr/local
action=install
archive=
while [ $# -gt 0 ]; do
    case $1 in
        --prefix) [ $# -ge 2 ] || fail 64 "--prefix needs a folder (see --help)"; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) fail 64 "unknown option $1 (see --help)" ;;
        *) [ -z "$archive" ] || fail 64 "one archive at a time (see --help)"; archive=$1; shift ;;
    esac
done
[ -n "$prefix" ] || fail 64 "--prefix is empty"
[ "$action" = install ] || [ -z "$archive" ] || fail 64 "--uninstall takes no archive"
case $prefix in /*) ;; *) prefix="$PWD/$prefix" ;; esac
prefix=${prefix%/}
[ -n "$prefix" ] || prefix=/

# Each installed file: its path in the archive, its path under the prefix, its mode.
files=(
    "bin/crm bin/crm 0755"
    "share/man/man1/crm.1 share/man/man1/crm.1 0644"
    "share/bash-completion/completions/crm share/bash-completion/completions/crm 0644"
    "share/zsh/site-functions/_crm share/zsh/site-functions/_crm 0644"
    "share/fish/vendor_completions.d/crm.fish share/fish/vendor_completions.d/crm.fish 0644"
)

# The nearest existing folder on the way to $1 must be writable, or nothing can be created there.
writable() {
    local folder=$1
    while [ ! -e "$folder" ]; do folder=$(dirname "$folder"); done
    [ -d "$folder" ] && [ -w "$folder" ]
}

if [ "$action" = uninstall ]; then
    removed=0
    for entry in "${files[@]}"; do
        read -r _ target _ <<< "$entry"
        path="$prefix/$target"
        if [ -e "$path" ] || [ -L "$path" ]; then
            writable "$(dirname "$path")" || fail 77 "cannot remove $path: run with sudo, or give the --prefix it was installed with"
            rm -f "$path"
            echo "removed $path"
            removed=$((removed + 1))
        fi
    done
    if [ "$removed" -eq 0 ]; then
        echo "crm is not installed in $prefix: nothing to remove"
    else
        echo "crm removed from $prefix ($removed files). Its data (~/.local/share/crm, /var/lib/crm) and /etc/crm are left as they are."
    fi
    exit 0
fi

# Where the files come from: the archive named, or the unpacked archive this script sits in.
if [ -n "$archive" ]; then
    [ -f "$archive" ] || fail 66 "no archive at $archive"
    if [ -f "$archive.sha256" ]; then
        expected=$(awk '{ print $1; exit }' "$archive.sha256")
        actual=$(sha256sum "$archive" | awk '{ print $1 }')
        [ "$expected" = "$actual" ] || fail 65 "$archive does not match $archive.sha256: download it again"
        echo "$archive: SHA-256 matches $(basename "$archive").sha256"
    else
        echo "$archive: no $(basename "$archive").sha256 beside it, so its SHA-256 is not checked"
    fi
    unpacked=$(mktemp -d)
    trap 'rm -rf "$unpacked"' EXIT
    tar -C "$unpacked" -xzf "$archive" 2>/dev/null || fail 65 "$archive is not a readable .tar.gz: download it again"
    source_root=$(find "$unpacked" -mindepth 1 -maxdepth 1 -type d -name 'crm-*' | head -1)
    [ -n "$source_root" ] || fail 65 "$archive holds no crm-VERSION-linux-ARCH folder: is it a crm release archive?"
else
    source_root=$(cd "$(dirname "$0")" && pwd)
    [ -f "$source_root/bin/crm" ] || fail 66 "no bin/crm beside this script: run the install.sh of an unpacked release archive, or give the archive (install.sh crm-VERSION-linux-ARCH.tar.gz)"
fi
for entry in "${files[@]}"; do
    read -r from _ _ <<< "$entry"
    [ -f "$source_root/$from" ] || fail 65 "the archive lacks $from: download it again"
done

version=$("$source_root/bin/crm" --version 2>/dev/null) ||
    fail 69 "bin/crm does not run on this machine ($(uname -s) $(uname -m)): take the archive built for it"

writable "$prefix" || fail 77 "cannot write to $prefix: run with sudo, or choose a folder of yours (--prefix ~/.local)"

changed=0
for entry in "${files[@]}"; do
    read -r from target mode <<< "$entry"
    path="$prefix/$target"
    if [ -f "$path" ] && cmp -s "$source_root/$from" "$path"; then
        chmod "$mode" "$path"
        echo "unchanged $path"
        continue
    fi
    install -d "$(dirname "$path")"
    # A copy beside the target, then a rename: a running crm (the listener) keeps its old binary
    # until it restarts, and a reader never sees half a file.
    verb=installed
    [ ! -e "$path" ] || verb=replaced
    install -m "$mode" "$source_root/$from" "$path.installing.$$"
    mv -f "$path.installing.$$" "$path"
    echo "$verb $path"
    changed=$((changed + 1))
done

if [ "$changed" -eq 0 ]; then
    echo "crm $version was already installed in $prefix: nothing changed"
else
    echo "crm $version installed in $prefix ($changed files changed)"
fi
found=$(command -v crm 2>/dev/null || true)
if [ -z "$found" ]; then
    echo "note: $prefix/bin is not on your PATH; add it, or run $prefix/bin/crm"
elif [ "$found" != "$prefix/bin/crm" ]; then
    echo "note: \`crm\` runs $found, which comes before $prefix/bin on your PATH"
fi
echo "Next: crm demo (a tour in a few seconds), man crm; the listener as a service: share/doc/crm/deploy.md in the archive."
