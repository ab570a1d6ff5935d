#!/bin/sh
# profile-command.sh [-c CONFIG] -- COMMAND [ARG...]
#
# Profiles the cluster of CONFIG (default ./config.yml) while COMMAND runs:
# start, run COMMAND, stop with parse and plot.  Results land in the
# current directory (raw/, parsed/, plot/).  Exits with COMMAND's status, so
# that it can stand in front of any command in a script or a Makefile:
#
#     examples/profile-command.sh -- mpirun -np 64 ./solver input.dat
set -u
config=config.yml
while [ $# -gt 0 ]; do
	case $1 in
	-c) config=$2; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: profile-command.sh [-c config] -- command [arg ...]" >&2; exit 64; }

# Some hosts failing to start (exit 1) still leaves a profile worth having;
# none at all (69) or a bad config (78) does not.
clusterp start -c "$config"
status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
	echo "profile-command.sh: profiling did not start; not running the command" >&2
	exit "$status"
fi

"$@"
command_status=$?

clusterp stop -c "$config" --with-parse --with-plot
stop_status=$?
[ "$stop_status" -eq 0 ] || echo "profile-command.sh: clusterp stop exited $stop_status (see above)" >&2
exit "$command_status"
