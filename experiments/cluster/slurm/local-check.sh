#!/usr/bin/env bash
# The Slurm scripts on a real (one-node) Slurm: submits a small sweep as a 4-task array plus the
# merge (submit.sh), requeues one task while it trains, waits, runs the same sweep in one process and
# compares the two results.csv cell for cell (every column but wall_s and commit).
#
#   experiments/cluster/slurm/local-check.sh OUTDIR
#
# OUTDIR (new or empty) receives slurm/ (the merged sweep), slurm-shards/ (the shards and the jobs'
# logs), single/ (the one-process sweep) and, when the check brought Slurm up itself, slurm-daemons/
# (its configuration, state, spool and logs). With no Slurm controller answering, it starts one on
# this machine: as root, Debian's slurm-wlm and munge (installed with apt-get when missing), munged as
# the munge user, slurmctld and slurmd by hand (no systemd), one node with 2 CPUs; on exit it cancels
# its jobs and stops the daemons it started; a Slurm already running (as SLURM_CONF or
# /etc/slurm/slurm.conf says) is used as it is, but its node must be this machine, where the check
# looks into the requeued task's JVM with the JDK's jcmd. The last line says whether the results
# matched; exit 0 only if they did. Needs target/emergence.jar (mvn -B package -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
start_s=$SECONDS

if (($# != 1)); then
  echo "error: expected one argument, OUTDIR (a new or empty directory), got $#" >&2
  exit 2
fi
if [[ -e "$1" && ! -d "$1" ]] || { [[ -d "$1" ]] && [[ -n "$(ls -A "$1")" ]]; }; then
  echo "error: OUTDIR $1 is not a new or empty directory" >&2
  exit 2
fi
if [[ ! -f "$repo/target/emergence.jar" ]]; then
  echo "error: $repo/target/emergence.jar not found; build it first with: mvn -B package -DskipTests" >&2
  exit 2
fi
mkdir -p "$1"
out="$(cd "$1" && pwd)"

# 2 mixes x 2 sizes x 2 seeds, and 2 head counts x 2 moduli so that there are 8 stacks (a stack is
# every mix and seed of one shape and layout), 2 per task: the requeued task is caught between
# its two stacks' ends, and its second start must find the first stack's 4 cells saved. 300 steps at
# this rate take MAX alone to 0.9 and more and leave MIN,MAX between 0.15 and 0.55: accuracies and
# steps to target that tell models apart.
# shellcheck disable=SC2054 # the commas are the options' own
sweep_options=(--mixes 'MAX;MIN,MAX' --d-models 4,8 --seeds 2 --heads 1,2 --modulus 10,11
  --steps 300 --warmup 30 --lr 0.01 --eval-every 100 --train-size 2000 --val-size 50 --test-size 100
  --threads 1 --no-tensorboard)
tasks=4
requeued_task=1
cells_per_stack=4

say() { echo "$(date +%H:%M:%S) $*"; }
verdict() { # the last line, and the exit status
  echo "local-check: $2 ($((SECONDS - start_s)) s)"
  exit "$1"
}

daemons="$out/slurm-daemons"
started_pids=() # daemons this check started, stopped on exit
submitted_jobs=() # jobs this check submitted, cancelled on exit if still there
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  set +e
  if ((${#submitted_jobs[@]})) && [[ -n "$(squeue -h -j "$(IFS=,; echo "${submitted_jobs[*]}")" 2>/dev/null)" ]]; then
    scancel "${submitted_jobs[@]}" 2>/dev/null
    for _ in $(seq 60); do
      [[ -z "$(squeue -h -j "$(IFS=,; echo "${submitted_jobs[*]}")" 2>/dev/null)" ]] && break
      sleep 1
    done
  fi
  for pid in "${started_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${started_pids[@]}"; do
    for _ in $(seq 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
  done
}
trap cleanup EXIT

slurm_up() {
  scontrol ping 2>/dev/null | grep -q "is UP"
}

# the pid in FILE, once the daemon that writes it has started (up to 30 s)
pid_from() {
  for _ in $(seq 60); do
    if [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; then
      cat "$1"
      return 0
    fi
    sleep 0.5
  done
  echo "error: no daemon wrote $1" >&2
  return 1
}

start_slurm() {
  if ((EUID != 0)); then
    echo "error: no Slurm controller answers and only root can bring one up here; run as root or start Slurm" >&2
    exit 2
  fi
  if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge with apt-get"
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge; } \
      >"$out/apt-get.log" 2>&1; then
      echo "error: apt-get could not install slurm-wlm and munge; see $out/apt-get.log" >&2
      exit 2
    fi
  fi
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    if [[ ! -s /etc/munge/munge.key ]]; then
      runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key
    fi
    install -d -o munge -g munge -m 0755 /run/munge
    runuser -u munge -- munged
    started_pids+=("$(pid_from /run/munge/munged.pid)")
    say "started munged (pid ${started_pids[-1]})"
  fi

  mkdir -p "$daemons/state" "$daemons/spool"
  local host memory_mb
  host="$(hostname -s)"
  memory_mb=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 9 / 10 / 1024))
  cat >"$daemons/slurm.conf" <<CONF
# A one-node Slurm for local-check.sh: everything it writes stays under $daemons.
ClusterName=emergence-check
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=3600
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
StateSaveLocation=$daemons/state
SlurmdSpoolDir=$daemons/spool
SlurmctldPidFile=$daemons/slurmctld.pid
SlurmdPidFile=$daemons/slurmd.pid
SlurmctldLogFile=$daemons/slurmctld.log
SlurmdLogFile=$daemons/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=$memory_mb State=UNKNOWN
PartitionName=check Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$daemons/slurm.conf"
  slurmctld
  started_pids+=("$(pid_from "$daemons/slurmctld.pid")")
  slurmd
  started_pids+=("$(pid_from "$daemons/slurmd.pid")")
  for _ in $(seq 120); do
    [[ "$(sinfo -h -N -o %t 2>/dev/null)" == idle ]] && break
    sleep 0.5
  done
  if [[ "$(sinfo -h -N -o %t 2>/dev/null)" != idle ]]; then
    echo "error: the local Slurm node did not come up idle; see $daemons/slurmctld.log and slurmd.log" >&2
    sinfo -N -l >&2 || true
    exit 1
  fi
  say "started slurmctld and slurmd (one node, $host, 2 CPUs); configuration and logs in $daemons"
}

if slurm_up; then
  say "using the Slurm that is running ($(scontrol ping | head -1))"
else
  start_slurm
fi

# -- the sweep on Slurm: 4 array tasks and the merge --------------------------------------------------
shards="$out/slurm-shards"
submitted="$(SWEEP_OUT="$out/slurm" SWEEP_SHARDS="$shards" EMERGENCE_HOME="$repo" "$here/submit.sh" "$tasks" "${sweep_options[@]}")"
echo "$submitted"
array="$(awk '/^array job/ {sub(":", "", $3); print $3}' <<<"$submitted")"
merge="$(awk '/^merge job/ {sub(":", "", $3); print $3}' <<<"$submitted")"
submitted_jobs=("$array" "$merge")
task="${array}_$requeued_task"
log="$shards/logs/sweep-$task.log"

progress_lines() { # the sweep's "[n/N] cell ..." lines in the task's log so far
  if [[ -f "$log" ]]; then
    grep -cE '^\[[0-9]+/[0-9]+\] ' "$log" || true
  else
    echo 0
  fi
}

# Requeue the task while its second stack trains: once its log reports the first stack's cells, look
# at its JVM's main thread (jcmd Thread.print) until it is inside a training step of the second
# stack, and requeue it at once; the dump is kept beside the logs.
say "waiting for task $task to finish its first stack"
for _ in $(seq 1800); do
  (($(progress_lines) >= cells_per_stack)) && break
  [[ -z "$(squeue -h -j "$task" 2>/dev/null)" ]] && verdict 1 "FAILED: task $task ended before it reported a stack; see $log"
  sleep 0.5
done
(($(progress_lines) >= cells_per_stack)) || verdict 1 "FAILED: task $task reported no stack in 15 minutes; see $log"
jvm="$(pgrep -f -- "emergence.jar sweep .* --out $shards/shard-$requeued_task\$" | head -n 1 || true)"
[[ -n "$jvm" ]] || verdict 1 "FAILED: task $task's JVM is not on this machine; local-check needs the Slurm node to be this machine"
dump="$shards/logs/requeued-task-threads.txt"
training=0
for _ in $(seq 300); do
  jcmd "$jvm" Thread.print 2>/dev/null | awk '/^"main"/ {on = 1} on && /^$/ {exit} on' >"$dump" || true
  if grep -q 'TrainingGraph.trainStep' "$dump" && (($(progress_lines) == cells_per_stack)); then
    training=1
    break
  fi
  sleep 0.2
done
((training)) || verdict 1 "FAILED: task $task was not seen in a training step of its second stack; see $log and $dump"
scontrol requeue "$task"
say "requeued task $task in a training step of its second stack ($(progress_lines) of its $((2 * cells_per_stack)) cells reported; main thread at $(grep -m 1 -oE 'TrainingGraph.trainStep\([^)]*\)' "$dump"), saved in $dump)"
# Slurm holds a requeued job for two minutes (Reason=BeginTime); nothing here needs the pause.
for _ in $(seq 60); do
  scontrol show job "$task" | grep -q 'JobState=PENDING' && break
  sleep 0.5
done
scontrol update JobId="$task" StartTime=now

say "waiting for the array and the merge"
for _ in $(seq 3600); do
  [[ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]] && break
  sleep 0.5
done
[[ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]] || verdict 1 "FAILED: the jobs did not end in 30 minutes"
for job in "${array}_"{0..3} "$merge"; do
  job_state="$(scontrol show job "$job" 2>/dev/null | grep -oE 'JobState=[A-Z_]+' | cut -d= -f2)"
  [[ "$job_state" == COMPLETED ]] || verdict 1 "FAILED: job $job ended ${job_state:-out of sight}; see $shards/logs"
done
restarts="$(scontrol show job "$task" | grep -oE 'Restarts=[0-9]+' | cut -d= -f2)"
starts="$(grep -c "^.* start [0-9]* of task $task " "$log")"
saved="$(grep -cE '^\[[0-9]+/[0-9]+\] .* \(saved\) ' "$log" || true)"
say "task $task: Restarts=$restarts in scontrol, $starts starts in its log, $saved cells found saved after the requeue"
((restarts == 1 && starts == 2 && saved == cells_per_stack)) \
  || verdict 1 "FAILED: task $task was not requeued and resumed as expected (see $log)"

# -- the same sweep in one process -----------------------------------------------------------------
say "running the same sweep in one process into $out/single"
"$repo/bin/emergence" sweep "${sweep_options[@]}" --out "$out/single" >"$out/single.log" 2>&1 \
  || verdict 1 "FAILED: the one-process sweep failed; see $out/single.log"

if java -cp "$repo/target/emergence.jar" dev.emergence.capacity.ResultsComparison "$out/slurm/results.csv" "$out/single/results.csv"; then
  verdict 0 "MATCH: the Slurm sweep (4 tasks, task $requeued_task requeued mid-stack, merged) equals the one-process sweep cell for cell"
fi
verdict 1 "MISMATCH: the Slurm sweep differs from the one-process sweep"
