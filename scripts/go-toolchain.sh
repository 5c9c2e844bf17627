#!/usr/bin/env bash
# Installs the Go toolchain that builds Go operators (GOOS=wasip1, -buildmode=c-shared,
# //go:wasmexport: Go >= 1.24) into a cache folder of the project, and prints its GOROOT.
#
# Debian 12's own Go (1.19) is too old, so this takes the newest golang-1.NN-go and
# golang-1.NN-src from a newer Debian suite (sid, then trixie) as .deb files, with apt-get
# run on a private sources list and state folder: the system's apt sources and dpkg database
# are never touched, and no root is needed. The packages are unpacked with dpkg-deb -x.
#
# Idempotent: when the cache already holds a working Go it prints its GOROOT and exits at once.
#
# Usage: scripts/go-toolchain.sh [--quiet]
# Environment:
#   WASM_OPERATOR_GO_CACHE   the cache folder (default: <repo>/.cache/go)
#   WASM_OPERATOR_GO_SERIES  a Go series to install instead of the newest, e.g. 1.26
#   WASM_OPERATOR_GO_SUITES  Debian suites to look in, in order (default: "sid trixie")
set -euo pipefail

MIN_MINOR=24 # //go:wasmexport and -buildmode=c-shared for wasip1 arrived in Go 1.24
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${WASM_OPERATOR_GO_CACHE:-$repo/.cache/go}"
suites="${WASM_OPERATOR_GO_SUITES:-sid trixie}"
series="${WASM_OPERATOR_GO_SERIES:-}"
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

say() { [ "$quiet" -eq 1 ] || echo "go-toolchain: $*" >&2; }
fail() { echo "go-toolchain: $*" >&2; exit 1; }

# The minor version of the Go whose GOROOT is $1, or nothing when it does not run.
go_minor() {
  local out
  out="$(GOROOT="$1" GOTOOLCHAIN=local "$1/bin/go" env GOVERSION 2>/dev/null)" || return 0
  [[ "$out" =~ ^go1\.([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}

usable() {
  local minor
  minor="$(go_minor "$1")"
  [ -n "$minor" ] && [ "$minor" -ge "$MIN_MINOR" ] && [ -f "$1/src/runtime/runtime.go" ] &&
    { [ -z "$series" ] || [ "1.$minor" = "$series" ]; }
}

if [ -e "$cache/current" ] && usable "$cache/current"; then
  readlink -f "$cache/current"
  exit 0
fi

missing=()
for tool in apt-get apt-cache dpkg-deb flock; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=("/usr/share/keyrings/debian-archive-keyring.gpg (package debian-archive-keyring)")
if [ "${#missing[@]}" -gt 0 ]; then
  fail "cannot install Go >= 1.$MIN_MINOR: missing ${missing[*]}. On a machine without Debian's apt, install Go >= 1.$MIN_MINOR yourself and set WASM_OPERATOR_GO to its go binary."
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # concurrent tests and builds: one installs, the others wait and then reuse it
if [ -e "$cache/current" ] && usable "$cache/current"; then
  readlink -f "$cache/current"
  exit 0
fi

apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/debs"
: >"$apt_dir/sources.list"
for suite in $suites; do
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" >>"$apt_dir/sources.list"
done
apt_opts=(
  -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir" -o "Dir::Cache::archives=$apt_dir/archives"
  -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
)
[ "$(id -u)" -eq 0 ] || apt_opts[-1]="APT::Sandbox::User=$(id -un)"

say "reading Debian's package index ($suites) into $apt_dir"
apt-get "${apt_opts[@]}" -qq update >"$apt_dir/update.log" 2>&1 ||
  fail "apt-get update on the private sources list failed (is Debian's archive reachable?):
$(cat "$apt_dir/update.log")"

# Newest golang-1.NN-go (NN >= MIN_MINOR, release versions only) that has a matching -src.
pick=""
pick_version=""
names="$(apt-cache "${apt_opts[@]}" pkgnames golang-1. 2>/dev/null | grep -E '^golang-1\.[0-9]+-go$' | sort -t. -k2 -n -r || true)"
for name in $names; do
  minor="${name#golang-1.}"
  minor="${minor%-go}"
  [ "$minor" -ge "$MIN_MINOR" ] || continue
  [ -z "$series" ] || [ "1.$minor" = "$series" ] || continue
  version="$(apt-cache "${apt_opts[@]}" policy "$name" | awk '/Candidate:/ {print $2}')"
  src_version="$(apt-cache "${apt_opts[@]}" policy "golang-1.$minor-src" | awk '/Candidate:/ {print $2}')"
  if [ -n "$version" ] && [ "$version" != "(none)" ] && [ "$version" = "$src_version" ] && [[ "$version" != *"~"* ]]; then
    pick="$minor"
    pick_version="$version"
    break
  fi
done
[ -n "$pick" ] || fail "no golang-1.NN-go with NN >= $MIN_MINOR${series:+ (series $series)} and a matching golang-1.NN-src in Debian suites: $suites (found: ${names:-none}); apt-get update said:
$(cat "$apt_dir/update.log")"

root="$cache/go-1.$pick-$pick_version"
say "downloading golang-1.$pick-go and golang-1.$pick-src $pick_version"
rm -f "$apt_dir/debs/"*.deb
(cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" -qq download "golang-1.$pick-go=$pick_version" "golang-1.$pick-src=$pick_version") ||
  fail "apt-get download of golang-1.$pick-go/golang-1.$pick-src $pick_version failed"

say "unpacking into $root"
rm -rf "$root.tmp"
mkdir -p "$root.tmp"
for deb in "$apt_dir/debs/"*.deb; do
  dpkg-deb -x "$deb" "$root.tmp" || fail "dpkg-deb -x $deb failed"
done
goroot_in_tmp="$root.tmp/usr/lib/go-1.$pick"
usable "$goroot_in_tmp" || fail "the unpacked Go in $goroot_in_tmp does not run or is older than 1.$MIN_MINOR"
rm -rf "$root"
mv "$root.tmp" "$root"
ln -sfn "$(basename "$root")/usr/lib/go-1.$pick" "$cache/current.tmp"
mv -T "$cache/current.tmp" "$cache/current"
rm -rf "$apt_dir" # the index and the .debs (about 90 MB) are needed again only for another version
for old in "$cache"/go-1.*; do
  [ "$old" = "$root" ] || rm -rf "$old"
done
say "installed $(GOROOT="$cache/current" "$cache/current/bin/go" version)"
readlink -f "$cache/current"
