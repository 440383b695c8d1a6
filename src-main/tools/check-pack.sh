#!/usr/bin/env bash
# Checks that the CLI installs and runs anywhere, as a user would install it (README, "Installing
# the command"): packs the CLI package (src-main/cli; its prepack script bundles the CLI into the
# tarball), installs the tarball globally into a temporary prefix, and runs `latency-lab generate`
# from a folder outside the repository. The tarball has no dependencies and needs no install
# script (npm 11 does not run those for global installs), so this works offline; the A/V check at
# the end installs the native video codecs beside it, from npm's cache or the registry.
#
#   bash src-main/tools/check-pack.sh     (npm run check:pack; CI runs it before npm test)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/latency-lab-pack.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "check-pack: $*" >&2
  exit 1
}

(cd "$repo" && npm pack --workspace src-main/cli --pack-destination "$work" --silent) >"$work/pack.log" 2>&1 || {
  cat "$work/pack.log" >&2
  fail "npm pack failed"
}
tarball="$(ls "$work"/*.tgz 2>/dev/null | head -n 1)"
[ -n "$tarball" ] || fail "npm pack wrote no tarball"
listing="$(tar -tzf "$tarball")"
for file in package/bin/latency-lab.mjs package/dist/latency-lab.mjs package/dist/transform-helper.mjs package/package.json; do
  grep -qx "$file" <<<"$listing" || fail "$(basename "$tarball") lacks $file"
done
[ ! -e "$repo/src-main/cli/dist" ] || fail "npm pack left src-main/cli/dist behind (postpack did not run)"

# Install from a folder outside the repository, so nothing of the repository (its .npmrc, its
# node_modules) is used.
mkdir -p "$work/prefix" "$work/elsewhere"
(cd "$work/elsewhere" && npm install --global --prefix "$work/prefix" --no-audit --no-fund --loglevel=error "$tarball") >"$work/install.log" 2>&1 || {
  cat "$work/install.log" >&2
  fail "npm install --global of the tarball failed"
}
bin="$work/prefix/bin/latency-lab"
[ -x "$bin" ] || fail "the install made no latency-lab command in $work/prefix/bin"

cd "$work/elsewhere"
PATH="$work/prefix/bin:$PATH" latency-lab generate --signal click --duration 2 --out x.wav >"$work/run.log" 2>&1 || {
  cat "$work/run.log" >&2
  fail "latency-lab generate failed outside the repository"
}
grep -q '^Wrote x.wav: click, 2 s at 48000 Hz' "$work/run.log" || fail "unexpected output: $(cat "$work/run.log")"
# A 2 s float32 mono click train at 48 kHz: a RIFF/WAVE file of 96000 frames of 4 bytes plus a header.
[ "$(head -c 4 x.wav)" = "RIFF" ] || fail "x.wav is not a RIFF file"
[ "$(head -c 12 x.wav | tail -c 4)" = "WAVE" ] || fail "x.wav is not a WAVE file"
size="$(wc -c <x.wav)"
[ "$size" -gt 384000 ] && [ "$size" -lt 386000 ] || fail "x.wav is $size bytes, expected about 384000 + header"
PATH="$work/prefix/bin:$PATH" latency-lab analyze --reference x.wav --capture x.wav --json >"$work/analyze.json" 2>"$work/analyze.log" || {
  cat "$work/analyze.log" >&2
  fail "latency-lab analyze of the generated file failed"
}
grep -q '"status":"ok"' "$work/analyze.json" || fail "analyze did not measure x.wav against itself"
# The helper thread's script loads on its own (a missing import would only show as a thread that
# never helps: the results below would still match).
node "$work/prefix/lib/node_modules/@latency-lab/cli/dist/transform-helper.mjs" >"$work/helper.log" 2>&1 || fail "dist/transform-helper.mjs does not load: $(cat "$work/helper.log")"
# A 20 s sweep has whole-capture transforms large enough to start the helper thread
# (dist/transform-helper.mjs): the result must be the same as on one thread.
PATH="$work/prefix/bin:$PATH" latency-lab generate --signal sweep --duration 20 --out sweep.wav >"$work/run.log" 2>&1 || fail "latency-lab generate --signal sweep failed: $(cat "$work/run.log")"
PATH="$work/prefix/bin:$PATH" latency-lab analyze --reference sweep.wav --capture sweep.wav --json >"$work/threads.json" 2>"$work/analyze.log" || fail "latency-lab analyze of a 20 s sweep failed: $(cat "$work/analyze.log")"
PATH="$work/prefix/bin:$PATH" LATENCY_LAB_THREADS=1 latency-lab analyze --reference sweep.wav --capture sweep.wav --json >"$work/one-thread.json" 2>"$work/analyze.log" || fail "latency-lab analyze of a 20 s sweep on one thread failed: $(cat "$work/analyze.log")"
grep -q '"status":"ok"' "$work/threads.json" || fail "analyze did not measure sweep.wav against itself"
cmp -s "$work/threads.json" "$work/one-thread.json" || fail "analyze of a 20 s sweep printed different results with and without its helper thread"

# The A/V commands need the video codecs, @napi-rs/webcodecs: a native package (FFmpeg inside, tens
# of MB per platform) that the tarball does not hold. Without it, av-pattern must stop with exit 2
# and one line naming the package and how to install it; installed into the same prefix (from npm's
# cache after `npm ci`, or the registry), av-pattern must write the pattern.
set +e
PATH="$work/prefix/bin:$PATH" latency-lab av-pattern --out pattern.mp4 --duration 5 >"$work/av.log" 2>&1
status=$?
set -e
[ "$status" -eq 2 ] || fail "av-pattern without the video codecs exited $status, expected 2: $(cat "$work/av.log")"
grep -q 'npm install --global @napi-rs/webcodecs@' "$work/av.log" || fail "av-pattern without the video codecs did not say what to install: $(cat "$work/av.log")"
[ ! -e pattern.mp4 ] || fail "av-pattern without the video codecs left pattern.mp4 behind"
codecs_version="$(node -p "require('$repo/node_modules/@napi-rs/webcodecs/package.json').version")"
npm install --global --prefix "$work/prefix" --prefer-offline --no-audit --no-fund --loglevel=error "@napi-rs/webcodecs@$codecs_version" >"$work/codecs.log" 2>&1 || {
  cat "$work/codecs.log" >&2
  fail "npm install --global @napi-rs/webcodecs@$codecs_version into the prefix failed"
}
PATH="$work/prefix/bin:$PATH" latency-lab av-pattern --out pattern.mp4 --duration 5 >"$work/av.log" 2>&1 || {
  cat "$work/av.log" >&2
  fail "latency-lab av-pattern failed with @napi-rs/webcodecs installed beside it"
}
[ "$(head -c 8 pattern.mp4 | tail -c 4)" = "ftyp" ] || fail "pattern.mp4 is not an MP4 file"
echo "check-pack: $(basename "$tarball") installs into a temporary prefix; latency-lab generate and analyze work outside the repository (a 20 s sweep the same with and without the helper thread); av-pattern names @napi-rs/webcodecs when it is missing and works once it is installed"
