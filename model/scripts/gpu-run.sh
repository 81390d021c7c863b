#!/usr/bin/env bash
# One device call (docs/TRAINING.md): trainings side by side on one GPU for MIN minutes each,
# then every result tarred and split into parts of at most 15 MB under $OUT. It expects, in
# the carried folder gpu/: debs/ (the Vulkan loader's Debian packages), icl.xz (built with
# --features gpu), runs/ (each run's --dir and --state-dir, and its settings files) and
# runs/plan: one training per line, `NAME ARGS...`, NAME its folder under runs/ (models/ and
# state/ inside it) and ARGS the rest of its `icl train` command (a settings file named
# relative to runs/). Blank lines and lines starting with # are skipped.
# ICL_LOCAL=1 runs it here on the CPU (flex) to check the flow before a call.
set -u
MIN=${1:-7}
G=$(pwd)/gpu
W=/tmp/w
mkdir -p "$W" "$OUT"
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log"; }
log "start, $MIN minutes per run"
if [ "${ICL_LOCAL:-0}" != 1 ]; then
  for d in "$G"/debs/*.deb; do dpkg -x "$d" / ; done
  ldconfig
  export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:${LD_LIBRARY_PATH:-}
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  BACKEND=vulkan
  nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv -l 10 > "$W/smi.csv" 2>&1 &
  SMI=$!
else
  BACKEND=flex
fi
xz -dc "$G/icl.xz" > "$W/icl" && chmod +x "$W/icl"
cp -r "$G/runs/." "$W/"
log "unpacked; $(ls $W)"
cd "$W"
run() { # name, then icl train arguments
  local name=$1; shift
  ./icl --backend $BACKEND train --dir "$W/$name/models" --state-dir "$W/$name/state" \
    --minutes "$MIN" "$@" > "$W/$name.log" 2>&1
  echo "exit $?" >> "$W/$name.log"
}
# The trainings of this call: each in the background, waited for by its process id (a bare
# `wait` would wait for nvidia-smi too, which never ends).
PIDS=""
NAMES=""
while read -r name args; do
  case "$name" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086 # the plan's arguments are words
  run "$name" $args & PIDS="$PIDS $!"
  NAMES="$NAMES $name"
  log "started $name: $args"
done < "$W/plan"
[ -n "$NAMES" ] || { log "runs/plan names no training"; exit 1; }
wait $PIDS
log "trained"
[ -n "${SMI:-}" ] && kill "$SMI" 2>/dev/null
TARRED=""
for n in $NAMES; do
  tail -n 5 "$W/$n.log" | tee -a "$OUT/run.log"
  TARRED="$TARRED $n $n.log"
done
# shellcheck disable=SC2086
tar -cf "$W/results.tar" --exclude='*.tmp' $TARRED $(ls smi.csv 2>/dev/null)
xz -1 -T0 -c "$W/results.tar" > "$W/results.tar.xz"
split -b 15000000 -d "$W/results.tar.xz" "$OUT/results.tar.xz."
log "done: $(ls -la $OUT | tail -n +2 | wc -l) files"
