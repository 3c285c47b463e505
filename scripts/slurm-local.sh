#!/usr/bin/env bash
# slurm-local.sh: install (Debian packages) and start a single-node Slurm
# cluster on localhost, for the sweep test in CI. Prints "slurm: ready" on
# success; exits 3 if the packages cannot be installed (the caller skips).
#
#   scripts/slurm-local.sh start   # install if needed, configure, start
#   scripts/slurm-local.sh stop
set -euo pipefail

state=/tmp/born-slurm
conf=/etc/slurm/slurm.conf

stop() {
	pkill -x slurmd 2>/dev/null || true
	pkill -x slurmctld 2>/dev/null || true
	pkill -x munged 2>/dev/null || true
}

if [ "${1:-start}" = stop ]; then
	stop
	exit 0
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		echo "slurm: cannot install packages (need root and apt-get)" >&2
		exit 3
	fi
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd munge slurm-client >/tmp/born-slurm-apt.log 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get update -q >>/tmp/born-slurm-apt.log 2>&1 || true
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd munge slurm-client >>/tmp/born-slurm-apt.log 2>&1; then
			echo "slurm: apt-get install failed (see /tmp/born-slurm-apt.log)" >&2
			exit 3
		fi
	fi
fi

stop
host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2/1024*0.8)}' /proc/meminfo)
mkdir -p "$state"/{ctld,d,log} /etc/slurm /run/munge /var/log/munge /var/lib/munge /etc/munge
chmod 0755 /run/munge

# munge needs a key owned by its user (or root when run as root).
if [ ! -s /etc/munge/munge.key ]; then
	dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
owner=$(id -un munge 2>/dev/null || echo root)
chown "$owner" /etc/munge/munge.key /run/munge /var/log/munge /var/lib/munge
chmod 0400 /etc/munge/munge.key
if [ "$owner" = munge ]; then
	su -s /bin/sh munge -c "munged --force" || munged --force
else
	munged --force
fi

cat >"$conf" <<CONF
ClusterName=born-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$state/log/jobcomp.log
MaxArraySize=100001
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld
slurmd
for i in $(seq 1 60); do
	if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
		echo "slurm: ready ($host, $cpus cpus)"
		exit 0
	fi
	sleep 0.5
done
echo "slurm: the node did not come up; logs in $state/log" >&2
sinfo >&2 || true
tail -20 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 || true
exit 1
