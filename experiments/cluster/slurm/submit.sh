#!/usr/bin/env bash
# Submits a sweep to Slurm: an array of TASKS shards (sweep-array.sbatch), then the merge
# (merge.sbatch) with --dependency=afterok on the array; prints both job ids.
#
#   SWEEP_OUT=/shared/e2 experiments/cluster/slurm/submit.sh 8 \
#     --mixes 'SUM;MAX,MED,SUM' --d-models 2,3,4,5,6,8,12,16 --seeds 5 --steps 9000 --threads 1 --no-tensorboard
#
# TASKS must not exceed the sweep's stacks (one per combination of every axis but mix and seed: 8 sizes
# above); a shard without a stack fails and the merge never runs. SWEEP-OPTIONS are any of `sweep`'s
# options but --shard, --resume, --out and --merge.
# Environment: SWEEP_OUT (required: the merged sweep), SWEEP_SHARDS (default SWEEP_OUT-shards: one
# directory per task), SWEEP_LOGS (default SWEEP_SHARDS/logs: one log per task and one for the
# merge), EMERGENCE_HOME (default: this checkout; it needs target/emergence.jar), and sbatch's own
# SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT... (they override the scripts' #SBATCH lines).
# Every path must be on a file system the compute nodes share. Resubmitting the same command after a
# failure continues the sweep: every finished cell is kept.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if (($# < 1)) || ! [[ "$1" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: expected TASKS (a positive number of array tasks) and then sweep options, got '${1:-}'" >&2
  exit 2
fi
if [[ -z "${SWEEP_OUT:-}" ]]; then
  echo "error: set SWEEP_OUT to the directory for the merged sweep (on a shared file system)" >&2
  exit 2
fi
tasks="$1"
shift
SWEEP_TASKS="$tasks"
EMERGENCE_HOME="${EMERGENCE_HOME:-$(cd "$here/../../.." && pwd)}"
SWEEP_OUT="$(realpath -m "$SWEEP_OUT")"
SWEEP_SHARDS="$(realpath -m "${SWEEP_SHARDS:-$SWEEP_OUT-shards}")"
export SWEEP_TASKS EMERGENCE_HOME SWEEP_OUT SWEEP_SHARDS # the jobs get them with --export=ALL
logs="$(realpath -m "${SWEEP_LOGS:-$SWEEP_SHARDS/logs}")"
if [[ ! -f "$EMERGENCE_HOME/target/emergence.jar" ]]; then
  echo "error: $EMERGENCE_HOME/target/emergence.jar not found; build it first with: mvn -B package -DskipTests" >&2
  exit 2
fi
mkdir -p "$SWEEP_SHARDS" "$logs"

array="$(sbatch --parsable --export=ALL --array="0-$((tasks - 1))" --output="$logs/sweep-%A_%a.log" \
  "$here/sweep-array.sbatch" "$@")"
array="${array%%;*}" # --parsable prints ID or ID;CLUSTER
merge="$(sbatch --parsable --export=ALL --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$logs/merge-%j.log" "$here/merge.sbatch")"
merge="${merge%%;*}"
echo "array job $array: shards 0..$((tasks - 1)) of $tasks into $SWEEP_SHARDS (logs: $logs/sweep-${array}_I.log)"
echo "merge job $merge: after every task of $array succeeds, into $SWEEP_OUT (log: $logs/merge-$merge.log)"
