#!/usr/bin/env bash
# Latency Lab — a private PulseAudio daemon that gives end-to-end tests a real
# OS audio path: Chromium plays into a 48 kHz float32 null sink and records its
# monitor, so what is played is what is recorded, plus LADSPA sinks that add a
# known, sample-exact delay (or a low-pass) on the way.
#
#   bash e2e/audio/pulse-rig.sh install   # apt-get what is needed (idempotent)
#   bash e2e/audio/pulse-rig.sh start     # start the daemon (idempotent)
#   eval "$(bash e2e/audio/pulse-rig.sh env)"   # client env for pactl/paplay/Chromium
#   bash e2e/audio/pulse-rig.sh status    # sinks, sources, streams
#   bash e2e/audio/pulse-rig.sh stop      # kill the daemon, remove the dir
#
# Everything lives under $LATLAB_PULSE_DIR (default /tmp/latlab-pulse); the
# user's own PulseAudio (if any) is never touched. Works as root (CI) and as a
# normal user.
set -euo pipefail

RIG_DIR="${LATLAB_PULSE_DIR:-/tmp/latlab-pulse}"
RATE=48000

# Delays, in samples at 48 kHz. delay_5s computes (unsigned long)(float(seconds)
# * rate) in float32: for 2762 of the N in 1..48000 (e.g. N = 7, 13, 14) N/rate
# truncates to N - 1 samples, so we pass (N + 0.5) / rate, exact for all N.
DELAY_A_SAMPLES="${LATLAB_DELAY_A_SAMPLES:-1200}" # 25 ms
DELAY_B_SAMPLES="${LATLAB_DELAY_B_SAMPLES:-3840}" # 80 ms
LOWPASS_HZ="${LATLAB_LOWPASS_HZ:-2000}"
# The stereo pair: one stream, its left channel delayed by PAIR_LEFT_MS and its
# right by PAIR_RIGHT_MS (tap_stereo_echo takes whole milliseconds), both into
# latlab_out, whose monitor mixes them as one microphone would.
PAIR_LEFT_MS="${LATLAB_PAIR_LEFT_MS:-40}"
PAIR_RIGHT_MS="${LATLAB_PAIR_RIGHT_MS:-95}"

APT_PACKAGES=(pulseaudio pulseaudio-utils swh-plugins ladspa-sdk tap-plugins chromium xvfb xauth sox)

log() { printf 'pulse-rig: %s\n' "$*" >&2; }

client_env() {
  # Everything a libpulse client (pactl, paplay, parecord, Chromium) needs.
  printf 'export PULSE_SERVER=%q\n' "unix:$RIG_DIR/native"
  printf 'export PULSE_CLIENTCONFIG=%q\n' "$RIG_DIR/client.conf"
  printf 'export PULSE_COOKIE=%q\n' "$RIG_DIR/cookie"
  printf 'export PULSE_RUNTIME_PATH=%q\n' "$RIG_DIR/runtime"
  printf 'export PULSE_STATE_PATH=%q\n' "$RIG_DIR/state"
  printf 'export PULSE_LATENCY_MSEC=%q\n' "${PULSE_LATENCY_MSEC:-80}"
  printf 'export LATLAB_PULSE_DIR=%q\n' "$RIG_DIR"
  printf 'export LATLAB_SINK=latlab_out\n'
  printf 'export LATLAB_SOURCE=latlab_in\n'
  printf 'export LATLAB_MONITOR=latlab_out.monitor\n'
  printf 'export LATLAB_DELAY_A_SAMPLES=%q\n' "$DELAY_A_SAMPLES"
  printf 'export LATLAB_DELAY_B_SAMPLES=%q\n' "$DELAY_B_SAMPLES"
  printf 'export LATLAB_PAIR_SINK=latlab_pair\n'
  printf 'export LATLAB_PAIR_LEFT_MS=%q\n' "$PAIR_LEFT_MS"
  printf 'export LATLAB_PAIR_RIGHT_MS=%q\n' "$PAIR_RIGHT_MS"
}

use_env() { eval "$(client_env)"; }

seconds_for() { # samples -> seconds string with a half-sample guard
  awk -v n="$1" -v r="$RATE" 'BEGIN { printf "%.10f", (n + 0.5) / r }'
}

cmd_install() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    log "all packages present"
    return 0
  fi
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

is_running() {
  [[ -S "$RIG_DIR/native" ]] || return 1
  (use_env && timeout 5 pactl info >/dev/null 2>&1)
}

write_config() {
  # Realtime for the null-sink thread (works as root; elsewhere PulseAudio just
  # stays at normal priority). LATLAB_PULSE_RT=0 turns it off.
  local RT=no
  [[ "${LATLAB_PULSE_RT:-1}" == 1 ]] && RT=yes
  mkdir -p "$RIG_DIR/runtime" "$RIG_DIR/state" "$RIG_DIR/home"
  chmod 700 "$RIG_DIR" "$RIG_DIR/runtime"

  cat >"$RIG_DIR/daemon.conf" <<EOF
daemonize = no
system-instance = no
allow-module-loading = yes
allow-exit = no
exit-idle-time = -1
high-priority = $RT
realtime-scheduling = $RT
realtime-priority = 9
nice-level = -11
flat-volumes = no
default-sample-format = float32le
default-sample-rate = $RATE
alternate-sample-rate = $RATE
default-sample-channels = 2
default-channel-map = front-left,front-right
avoid-resampling = yes
resample-method = speex-float-10
enable-remixing = yes
log-target = file:$RIG_DIR/pulse.log
EOF

  cat >"$RIG_DIR/client.conf" <<EOF
autospawn = no
default-server = unix:$RIG_DIR/native
cookie-file = $RIG_DIR/cookie
EOF

  local da db
  da=$(seconds_for "$DELAY_A_SAMPLES")
  db=$(seconds_for "$DELAY_B_SAMPLES")
  # No module-suspend-on-idle, no stream/device-restore (a moved stream must not
  # be remembered), no udev/alsa detection: only what the tests need.
  cat >"$RIG_DIR/latlab.pa" <<EOF
.fail
load-module module-native-protocol-unix socket=$RIG_DIR/native auth-anonymous=1
# norewinds=1: every rewind of a LADSPA sink resets its plugin (module-ladspa-sink
# deactivates/activates it), which empties the delay line: clicks in flight were
# lost and the grid moved (measured). With no rewinds on the master, the filter
# sinks never rewind either.
load-module module-null-sink sink_name=latlab_out format=float32le rate=$RATE channels=2 channel_map=front-left,front-right norewinds=${LATLAB_NOREWINDS:-1} sink_properties=device.description=LatencyLab_Out
# ladspa-sdk delay.so 'delay_5s' controls: Delay (Seconds) [0..5], Dry/Wet Balance [0..1]
# (wet=1: output is the delayed input only). NOT swh delay_1898 'delay_n': its
# run() restarts in[]/out[] at index 0 when the ring buffer wraps inside a
# block, which drops/misplaces clicks every ~1.4 s (measured, see README).
load-module module-ladspa-sink sink_name=latlab_delay_a sink_master=latlab_out plugin=delay label=delay_5s control=$da,1 sink_properties=device.description=LatencyLab_Delay_${DELAY_A_SAMPLES}smp
load-module module-ladspa-sink sink_name=latlab_delay_b sink_master=latlab_out plugin=delay label=delay_5s control=$db,1 sink_properties=device.description=LatencyLab_Delay_${DELAY_B_SAMPLES}smp
# tap_echo 'tap_stereo_echo' controls: L Delay [ms], L Feedback [%], R Delay [ms], R Feedback [%],
# L Echo Level [dB], R Echo Level [dB], Dry Level [dB] (-70 is off), Cross Mode, Haas Effect, Swap Outputs.
# No feedback, echoes at 0 dB, no dry signal: each channel is only its own delayed input (a stereo pair
# whose speakers play the same clock at two latencies).
load-module module-ladspa-sink sink_name=latlab_pair sink_master=latlab_out plugin=tap_echo label=tap_stereo_echo control=$PAIR_LEFT_MS,0,$PAIR_RIGHT_MS,0,0,0,-70,0,0,0 sink_properties=device.description=LatencyLab_Pair_${PAIR_LEFT_MS}ms_${PAIR_RIGHT_MS}ms
# swh butterworth_1902 'buttlow_iir' controls: Cutoff (Hz) [0.0001*srate..0.45*srate], Resonance [0.1..1.41]
# Resonance is 1/Q of a bilinear 2-pole low-pass (Butterworth only at sqrt(2)): 0.707 gives Q = 1.41,
# +3 dB at the cut-off (see README, "What buttlow_iir really is").
load-module module-ladspa-sink sink_name=latlab_lowpass sink_master=latlab_out plugin=butterworth_1902 label=buttlow_iir control=$LOWPASS_HZ,0.707 sink_properties=device.description=LatencyLab_Lowpass_${LOWPASS_HZ}Hz
# Chromium hides monitor sources from getUserMedia ("Requested device not
# found"): latlab_in is a plain (non-monitor) source that passes
# latlab_out.monitor through unchanged (same spec, same channel map).
load-module module-remap-source source_name=latlab_in master=latlab_out.monitor format=float32le rate=$RATE channels=2 channel_map=front-left,front-right master_channel_map=front-left,front-right remix=no source_properties=device.description=LatencyLab_In
set-default-sink latlab_out
set-default-source latlab_in
set-sink-volume latlab_out 0x10000
set-source-volume latlab_out.monitor 0x10000
set-source-volume latlab_in 0x10000
EOF
}

cmd_start() {
  if is_running; then
    log "already running ($RIG_DIR)"
    return 0
  fi
  command -v pulseaudio >/dev/null || { log "pulseaudio missing: run '$0 install'"; exit 1; }
  cmd_stop_quiet
  write_config
  use_env
  # The daemon reads daemon.conf from $PULSE_CONFIG and keeps its state under
  # HOME/XDG dirs: point them all into the rig dir so root's HOME is untouched.
  # As root PulseAudio only warns ("not intended to be run as root") in user
  # mode; --system would refuse custom modules/auth, so we do not use it.
  (
    export PULSE_CONFIG="$RIG_DIR/daemon.conf"
    export HOME="$RIG_DIR/home" XDG_RUNTIME_DIR="$RIG_DIR/runtime"
    export XDG_CONFIG_HOME="$RIG_DIR/home/.config" XDG_STATE_HOME="$RIG_DIR/state"
    unset DBUS_SESSION_BUS_ADDRESS
    setsid pulseaudio -n -F "$RIG_DIR/latlab.pa" --daemonize=no --use-pid-file=no \
      --exit-idle-time=-1 --disallow-exit --system=no --log-level="${LATLAB_PULSE_LOG:-notice}" \
      </dev/null >>"$RIG_DIR/pulse.stderr" 2>&1 &
    echo $! >"$RIG_DIR/pulseaudio.pid"
  )
  local i
  for i in $(seq 1 100); do
    if is_running; then
      log "running, pid $(cat "$RIG_DIR/pulseaudio.pid"), socket $RIG_DIR/native"
      return 0
    fi
    if ! kill -0 "$(cat "$RIG_DIR/pulseaudio.pid")" 2>/dev/null; then break; fi
    sleep 0.1
  done
  log "daemon failed to start; log follows"
  tail -n 40 "$RIG_DIR/pulse.stderr" "$RIG_DIR/pulse.log" >&2 2>/dev/null || true
  exit 1
}

cmd_stop_quiet() {
  local pid
  if [[ -f "$RIG_DIR/pulseaudio.pid" ]]; then
    pid=$(cat "$RIG_DIR/pulseaudio.pid")
    # Only our daemon: a stale pid may belong to another process by now.
    if kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == pulseaudio ]]; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$RIG_DIR"
}

cmd_stop() {
  cmd_stop_quiet
  log "stopped"
}

cmd_status() {
  if ! is_running; then
    log "not running"
    exit 1
  fi
  use_env
  pactl info | grep -E 'Server (Name|Version)|Default S|Sample Spec'
  echo "# sinks"
  pactl list short sinks
  echo "# sources"
  pactl list short sources
  echo "# sink-inputs"
  pactl list short sink-inputs
  echo "# source-outputs"
  pactl list short source-outputs
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) client_env ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 {install|start|stop|env|status}" >&2
    exit 2
    ;;
esac
