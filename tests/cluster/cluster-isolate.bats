#!/usr/bin/env bats
# The test cluster's isolated nodes (CLUSTER_ISOLATE=1 in
# tests/lib/cluster.bash): cgroups, lxcfs's /proc files and a private
# /var/tmp per node, and nothing of them left after cluster_down.
load ../lib/common
load ../lib/cluster

teardown() { cluster_down; }

@test "cluster isolate: each node its own cgroups, memory size, /proc files, host name and /var/tmp; cluster_down leaves nothing" {
	reason=$(cluster_can_isolate) || skip "$reason"
	CLUSTER_ISOLATE=1 CLUSTER_NODE_MEMORY=512M cluster_up 2
	cluster_home
	[ "$CLUSTER_ISOLATE" = 1 ]
	[ -b "/dev/$CLUSTER_DISK" ] || [ -e "/sys/class/block/$CLUSTER_DISK" ]
	dir=$CLUSTER_DIR id=${CLUSTER_DIR##*.}
	run cluster_ssh "$CLUSTER_NODE_1" 'hostname; cat /proc/self/cgroup; grep MemTotal /proc/meminfo; for f in stat meminfo cpuinfo loadavg; do findmnt -no TARGET,FSTYPE /proc/$f; done'
	assert_success
	for c in cpu cpuacct cpuset memory blkio; do
		assert_line --regexp "^[0-9]+:$c:/(.*/)?clusterp-$id/n1\$"
	done
	assert_line --regexp '^MemTotal: +524288 kB$'
	# Its own host name: its address.
	assert_line --index 0 "$CLUSTER_NODE_1"
	for f in stat meminfo cpuinfo loadavg; do assert_line "/proc/$f fuse.lxcfs"; done
	# The hidden node, behind the gateway in a network namespace, too.
	run cluster_exec hidden cat /proc/self/cgroup
	assert_line --regexp "^[0-9]+:cpuacct:/(.*/)?clusterp-$id/hidden\$"
	# A private /var/tmp, on the disk CLUSTER_DISK names.
	cluster_ssh "$CLUSTER_NODE_1" 'echo n1 >/var/tmp/mine'
	run cluster_ssh "$CLUSTER_NODE_2" 'cat /var/tmp/mine'
	assert_failure
	run cluster_exec n1 cat /var/tmp/mine
	assert_output n1
	# What a node writes there, its cgroup counts, and no other node's.
	cluster_ssh "$CLUSTER_NODE_2" 'dd if=/dev/zero of=/var/tmp/w bs=1M count=4 oflag=direct 2>/dev/null'
	[ "$(cluster_disk_bytes n2 Write)" -ge $((4 << 20)) ]
	[ "$(cluster_disk_bytes n1 Write)" -lt $((4 << 20)) ]
	cgroups=$(cat "$dir/cgroups" "$dir"/nodes/*/cgroups)
	vartmp=$(cat "$dir"/nodes/*/vartmp)
	[ -n "$vartmp" ]
	cluster_down
	for d in $cgroups $vartmp "$dir"; do
		[ ! -e "$d" ] || { echo "left: $d"; return 1; }
	done
	run grep -F "$dir/lxcfs" /proc/self/mountinfo
	assert_failure
	! pgrep -f "lxcfs .*$dir" || { echo "lxcfs left running"; return 1; }
}
