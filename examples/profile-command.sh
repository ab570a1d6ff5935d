#!/bin/sh
# profile-command.sh [-f] [-c CONFIG] [--] COMMAND [ARG...]
#
# Profiles the cluster of CONFIG (default ./config.yml) while COMMAND runs:
# start, run COMMAND, stop with parse and plot.  Results land in the
# current directory (raw/, parsed/, plot/); -f replaces those of a previous
# profile there, which are otherwise kept (and nothing is run).  Exits with
# COMMAND's status, and its standard output is COMMAND's alone (clusterp's
# goes to standard error), so that it can stand in front of any command in a
# script or a Makefile:
#
#     examples/profile-command.sh -- mpirun -np 64 ./solver input.dat >solver.out
#
# An interrupt (^C) stops COMMAND, not the profile: the collectors are still
# stopped and the data downloaded.
set -u
config=config.yml
force=
while [ $# -gt 0 ]; do
	case $1 in
	-c) [ $# -ge 2 ] || break; config=$2; shift 2 ;;
	-f) force=--force; shift ;;
	--) shift; break ;;
	*) break ;;
	esac
done
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then
	echo "usage: profile-command.sh [-f] [-c config] [--] command [arg ...]" >&2
	exit 64
fi

# clusterp stop would refuse to replace a previous profile's raw/ only after
# COMMAND has run; better to say so before anything starts.
if [ -z "$force" ] && [ -e raw ]; then
	echo "profile-command.sh: raw/ holds a previous profile; run in another directory, or replace it with -f" >&2
	exit 73
fi

# Some hosts failing to start (exit 1) still leaves a profile worth having;
# none at all (69) or a bad config (78) does not.
clusterp start -c "$config" >&2
status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
	echo "profile-command.sh: profiling did not start; not running the command" >&2
	exit "$status"
fi

# COMMAND gets the interrupt; this script goes on to stop the profile.
trap ':' INT TERM
"$@"
command_status=$?
trap - INT TERM

clusterp stop -c "$config" $force --with-parse --with-plot >&2
stop_status=$?
[ "$stop_status" -eq 0 ] || echo "profile-command.sh: clusterp stop exited $stop_status (see above)" >&2
exit "$command_status"
