# A test cluster of real sshd nodes on loopback addresses, for the bats
# suites (`load ../lib/cluster`, then `cluster_up` in setup_file and
# `cluster_down` in teardown_file) and for benchmarks and demos (source this
# file from bash).  Needs root, openssh-server, socat, iproute2, util-linux.
#
# Every node is an sshd started inside its own mount namespace with private
# tmpfs on /tmp and /root, so nodes share no remote files, and its own copy of
# /etc/shadow (root's password is $CLUSTER_PASSWORD there; the machine's is
# never touched).  Everything listens on 127.A.B.x, with A.B chosen free for
# this cluster, so several suites may run at once.  Users log in as root.
#
# cluster_up [N] (N plain nodes, at most 200; default 4) starts, and exports:
#   CLUSTER_DIR          state directory (keys, configs, logs, env)
#   CLUSTER_NODES        the N plain nodes' addresses (key and agent auth)
#   CLUSTER_NODE_1..N    the same, one by one
#   CLUSTER_PW_NODE      password authentication only (PAM)
#   CLUSTER_KBD_NODE     keyboard-interactive only (PAM)
#   CLUSTER_NOSYSSTAT_NODE  a plain node where sar, sadf and sadc do not exist
#   CLUSTER_NOSFTP_NODE  a plain node whose sshd has no SFTP subsystem (as
#                        dropbear and hardened images)
#   CLUSTER_SLOW_NODE    a plain node whose login shell is slow: root's
#                        .bashrc sleeps 1 s (conda, lmod, pyenv set-ups)
#   CLUSTER_SILENT       accepts TCP connections and never says a word
#   CLUSTER_REFUSED      nothing listens there
#   CLUSTER_GATEWAY      a gateway sshd, the only way to CLUSTER_HIDDEN
#   CLUSTER_HIDDEN       a node in a network namespace that only the gateway
#                        reaches (a direct connection is refused)
#   CLUSTER_PORT         the port every sshd listens on: 22, unless this
#                        machine's own sshd holds *:22 (then 2222 or above);
#                        set it beforehand to choose

#   CLUSTER_USER         root
#   CLUSTER_PASSWORD     root's password on every node
#   CLUSTER_AGENT_SOCK   an ssh-agent holding a key that is on no disk
#   CLUSTER_HOME         the template of a client HOME (see cluster_home)
#   CLUSTER_SSH_CONFIG   an ssh_config(5) for OpenSSH's client and its users:
#     ssh -F "$CLUSTER_SSH_CONFIG" HOST
#     PDSH_SSH_ARGS_APPEND="-F $CLUSTER_SSH_CONFIG" pdsh -R ssh -f 32 -w HOSTS true
#     clush -f 64 -o "-F $CLUSTER_SSH_CONFIG" -w HOSTS true
#   (HOSTS comma-separated, e.g. "${CLUSTER_NODES// /,}")
# and writes them to $CLUSTER_DIR/env for scripts (`. "$CLUSTER_DIR/env"`);
# tests/lib/cluster does that from the command line (benchmarks, demos).
#
# cluster_down stops everything it started, including any process still
# running in a node's namespace (a leftover sadc), even after a failure.
#
# `CLUSTER_SLOW_SHELL=1 cluster_up N` gives every plain node that slow
# .bashrc (for benchmarks of a cluster where every command pays it).
#
# Nodes that really differ (opt-in): `CLUSTER_ISOLATE=1 cluster_up N` puts
# every node in cgroups of its own (cpu, cpuacct, cpuset, memory, blkio: its
# sshd and all it starts, sadc included) and, as containers do, bind-mounts
# the files of one LXCFS (lxcfs(1)) over /proc/stat, /proc/meminfo,
# /proc/cpuinfo and /proc/loadavg inside the node's mount namespace.  A
# node's /proc/stat then counts its own CPU time only (the rest of the
# machine is idle time to it, and iowait is always 0), its /proc/meminfo
# shows a MemTotal of $CLUSTER_NODE_MEMORY (default 1G: the node's memory
# limit) and its own use.  The cluster's cgroup has the highest CPU weight
# (cpu.shares), so that a node's load gets the CPU it asks for on a shared
# machine.  A UTS namespace gives each node its own host
# name: its address, as configs name it, so that the host name sysstat
# records tells nodes apart.  Each node also gets a private /var/tmp on the
# disk that holds this machine's /var/tmp, for loads that must reach a disk
# (/tmp is a tmpfs).  What stays shared, because lxcfs 5 has nothing better
# on cgroup v1 with blk-mq (no CFQ blkio.io_serviced_recursive files, so it
# hands out the machine's own file): /proc/diskstats; and /proc/net/dev
# (the nodes share the loopback interface).  Also exported then:
#   CLUSTER_ISOLATE      1
#   CLUSTER_DISK         the whole disk under the nodes' /var/tmp, as
#                        /proc/diskstats names it (e.g. vda); what each node
#                        reads and writes there is known per node all the
#                        same, from its blkio cgroup: cluster_disk_bytes
#
# Nodes with a NIC of their own (opt-in): `CLUSTER_NETNS=1 cluster_up N` runs
# every plain node in a network namespace of its own, whose /proc/net/dev
# (what sysstat reads) then counts that node's traffic only.  Its eth0 is one
# end of a veth pair whose other end (nI, 10.9.I.1/24) is in the cluster's
# network namespace, where a discard service takes TCP on port 9; the node's
# end is 10.9.I.2/24.  A veth pair has no line rate (it says 10000 Mb/s), so
# the node's eth0 gets one, $CLUSTER_NIC_MBIT Mb/s (default 100): a tc token
# bucket (tbf) holds its egress to that rate, and the node's
# /sys/class/net/eth0/speed (a bind mount in its mount namespace) says it, as
# a real NIC of that speed would.  SSH reaches the node as the gateway's does,
# through a Unix socket, never through eth0.  Also exported then:
#   CLUSTER_NETNS        1
#   CLUSTER_NIC_MBIT     the nodes' line rate (Mb/s)
#
# In a test: cluster_home (a fresh HOME per test), cluster_agent (use the
# agent), cluster_config (a config.yml), cluster_exec and cluster_procs (look
# inside a node without SSH), cluster_host_key, cluster_ssh (OpenSSH),
# cluster_name (n1.. of an address), cluster_can_isolate, cluster_disk_bytes
# (isolated nodes).

CLUSTER_STATE_ROOT=${CLUSTER_STATE_ROOT:-/run}

# The per-node special roles take these last octets.
_CLUSTER_PW=201 _CLUSTER_KBD=202 _CLUSTER_NOSYS=203 _CLUSTER_SILENT=204
_CLUSTER_REFUSED=205 _CLUSTER_GW=206 _CLUSTER_NOSFTP=207 _CLUSTER_SLOW=208 _CLUSTER_HIDDEN=250

# A port free on every loopback address: nothing listens on it for all
# addresses (which would take 127.A.B.x too).
_cluster_pick_port() {
	local listening port
	listening=" $(ss -ltnH 2>/dev/null | awk '{ printf "%s ", $4 }')"
	for port in 22 $(seq 2222 2299); do
		case $listening in
		*" 0.0.0.0:$port "* | *" *:$port "* | *" [::]:$port "*) continue ;;
		esac
		echo "$port"
		return 0
	done
	_cluster_die "no free port for sshd"
}

_cluster_die() {
	echo "cluster: $*" >&2
	return 1
}

# Picks a free 127.A.B prefix under a lock shared by every cluster on this
# machine; the claim is a file in $CLUSTER_STATE_ROOT/clusterp-nets.
_cluster_claim_prefix() {
	local reg=$CLUSTER_STATE_ROOT/clusterp-nets listening a b
	mkdir -p "$reg"
	exec {lockfd}>"$reg/.lock"
	flock "$lockfd"
	listening=$(ss -ltnH 2>/dev/null | awk '{print $4}')
	for _ in $(seq 1 200); do
		a=$((100 + RANDOM % 100)) b=$((RANDOM % 256))
		[ -e "$reg/$a.$b" ] && continue
		case $listening in *"127.$a.$b."*) continue ;; esac
		echo "$CLUSTER_DIR" >"$reg/$a.$b"
		flock -u "$lockfd"
		exec {lockfd}>&-
		CLUSTER_PREFIX=127.$a.$b
		return 0
	done
	flock -u "$lockfd"
	exec {lockfd}>&-
	_cluster_die "no free 127.x.y prefix"
}

# _cluster_wait_listen ADDR PORT [NETNS]: until something listens there.
_cluster_wait_listen() {
	local i cmd=(ss -ltnH "src $1:$2")
	[ -n "${3:-}" ] && cmd=(ip netns exec "$3" "${cmd[@]}")
	for i in $(seq 1 200); do
		[ -n "$("${cmd[@]}" 2>/dev/null)" ] && return 0
		sleep 0.02
	done
	_cluster_die "nothing listens on $1:$2${3:+ in $3}"
}

# _cluster_node NAME ADDR ROLE [NETNS]: ROLE is key, password, kbd,
# nosysstat, nosftp or slow.
_cluster_node() {
	local name=$1 addr=$2 role=$3 netns=${4:-} d=$CLUSTER_DIR/nodes/$1
	local pubkey=yes password=no kbd=no pam=no mounts sftp='Subsystem sftp internal-sftp'
	[ "$role" = nosftp ] && sftp='# no Subsystem sftp'
	mkdir -p "$d"
	ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$d/ssh_host_ed25519_key" || return 1
	case $role in
	password) pubkey=no password=yes pam=yes ;;
	kbd) pubkey=no kbd=yes pam=yes ;;
	esac
	cat >"$d/sshd_config" <<-EOF
		ListenAddress $addr:$CLUSTER_PORT
		HostKey $d/ssh_host_ed25519_key
		PidFile $d/sshd.pid
		AuthorizedKeysFile $CLUSTER_DIR/authorized_keys
		PermitRootLogin yes
		PubkeyAuthentication $pubkey
		PasswordAuthentication $password
		KbdInteractiveAuthentication $kbd
		UsePAM $pam
		StrictModes no
		UseDNS no
		PrintMotd no
		PrintLastLog no
		MaxStartups 256
		PerSourceMaxStartups none
		MaxSessions 64
		LogLevel VERBOSE
		$sftp
	EOF
	# root's HOME is private and empty too: the machine's dotfiles (a slow
	# .bashrc) are no part of a node.
	mounts="mount -t tmpfs -o mode=1777,size=256m clusterp-tmp /tmp &&
		mount -t tmpfs -o mode=700,size=16m clusterp-home /root &&
		mount --bind '$CLUSTER_DIR/shadow' /etc/shadow"
	if [ "$pam" = yes ]; then
		mounts="$mounts && mount --bind '$CLUSTER_DIR/pam-sshd' /etc/pam.d/sshd"
	fi
	# bash, root's login shell, sources ~/.bashrc for every command sshd
	# runs (Debian builds it with SSH_SOURCE_BASHRC).
	if [ "$role" = slow ] || { [ "$role" = key ] && [ "${CLUSTER_SLOW_SHELL:-}" = 1 ]; }; then
		mounts="$mounts && echo 'sleep 1' >/root/.bashrc"
	fi
	if [ "$role" = nosysstat ]; then
		# Whiteouts in an overlay hide the programs; the directory of sadc
		# is replaced by an empty one.
		mkdir -p "$d/hide" "$d/empty"
		mknod "$d/hide/sar" c 0 0 && mknod "$d/hide/sadf" c 0 0 || return 1
		mounts="$mounts && mount -t overlay clusterp-nosysstat -o lowerdir='$d/hide':/usr/bin /usr/bin &&
			mount --bind '$d/empty' /usr/lib/sysstat"
	fi
	if [ "${CLUSTER_NETNS:-}" = 1 ] && [ "$role" = key ] && [ -z "$netns" ]; then
		netns=$(_cluster_node_netns "$name") || return 1
		echo "$CLUSTER_NIC_MBIT" >"$d/speed"
		mounts="$mounts && mount --bind '$d/speed' /sys/class/net/eth0/speed"
	fi
	local unshare=(unshare --mount --propagation private)
	if [ "${CLUSTER_ISOLATE:-}" = 1 ]; then
		_cluster_node_cgroups "$name" || return 1
		mounts="$mounts && $(_cluster_node_isolation "$name")" || return 1
		# Its own host name: the address the cluster knows it by.
		local known=$addr
		[ "$name" = gateway ] && known=$CLUSTER_GATEWAY
		unshare+=(--uts)
		mounts="$mounts && hostname '$known'"
	fi
	local cmd=("${unshare[@]}" sh -c "$mounts && exec /usr/sbin/sshd -f '$d/sshd_config' -E '$d/sshd.log'")
	[ -n "$netns" ] && cmd=(ip netns exec "$netns" "${cmd[@]}")
	# The cgroups are joined first: `ip netns exec` mounts a /sys of its own,
	# without /sys/fs/cgroup.
	[ "${CLUSTER_ISOLATE:-}" = 1 ] && cmd=(_cluster_join "$name" "${cmd[@]}")
	"${cmd[@]}" </dev/null 3>&- || _cluster_die "sshd of $name did not start (see $d/sshd.log)" || return 1
	_cluster_wait_listen "$addr" "$CLUSTER_PORT" "$netns" || return 1
	readlink "/proc/$(cat "$d/sshd.pid")/ns/mnt" >"$d/mntns"
	[ -n "$netns" ] && echo "$netns" >"$d/netns"
	echo "$(cluster_known_name "$addr") $(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")" >>"$CLUSTER_HOME/.ssh/known_hosts"
	echo "$name $addr" >>"$CLUSTER_DIR/nodes.list"
}

# _cluster_node_netns NAME (nI): its network namespace, with lo, its eth0
# (a veth pair to the cluster's namespace, at $CLUSTER_NIC_MBIT Mb/s), and
# the bridge that takes SSH to it; prints the namespace's name.
_cluster_node_netns() {
	local name=$1 i=${1#n} ns cluster addr
	ns=clusterp-${CLUSTER_DIR##*.}-$name
	cluster=$(cat "$CLUSTER_DIR/netns")
	addr=$CLUSTER_PREFIX.$i
	ip netns add "$ns" || return 1
	echo "$ns" >>"$CLUSTER_DIR/node-netns"
	ip -n "$ns" link set lo up &&
		ip -n "$cluster" link add "$name" type veth peer name eth0 netns "$ns" &&
		ip -n "$cluster" addr add "10.9.$i.1/24" dev "$name" && ip -n "$cluster" link set "$name" up &&
		ip -n "$ns" addr add "10.9.$i.2/24" dev eth0 && ip -n "$ns" link set eth0 up &&
		tc -n "$ns" qdisc add dev eth0 root tbf rate "${CLUSTER_NIC_MBIT}mbit" burst 64kb latency 50ms || return 1
	_cluster_bg "$name-inner" ip netns exec "$ns" socat "UNIX-LISTEN:$CLUSTER_DIR/$name.sock,fork" "TCP:$addr:$CLUSTER_PORT"
	_cluster_bg "$name-outer" socat "TCP-LISTEN:$CLUSTER_PORT,bind=$addr,reuseaddr,fork" "UNIX-CONNECT:$CLUSTER_DIR/$name.sock"
	echo "$ns"
}

# _cluster_bg NAME CMD...: starts a helper process, recorded for cluster_down.
_cluster_bg() {
	local name=$1
	shift
	setsid "$@" </dev/null >>"$CLUSTER_DIR/$name.log" 2>&1 3>&- &
	echo "$!" >>"$CLUSTER_DIR/helpers.pid"
	# Not a job of this shell: its end (killed by cluster_down) is no news.
	disown "$!" 2>/dev/null
	return 0
}

# The cgroup controllers a node gets, and the lxcfs files bound over /proc.
_CLUSTER_CONTROLLERS='cpu cpuacct cpuset memory blkio'
_CLUSTER_LXCFS_FILES='stat meminfo cpuinfo loadavg'

# _cluster_cgroup_base CONTROLLER: the directory of this process's cgroup in
# that (cgroup v1) hierarchy; node cgroups go below it, so that whatever
# limits and accounts for the caller keeps doing so for the nodes.
_cluster_cgroup_base() {
	local rel
	rel=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' /proc/self/cgroup)
	if [ -z "$rel" ] || [ ! -d "/sys/fs/cgroup/$1$rel" ]; then
		_cluster_die "no cgroup v1 hierarchy for $1 under /sys/fs/cgroup"
		return 1
	fi
	realpath "/sys/fs/cgroup/$1${rel%/}"
}

# cluster_can_isolate: whether CLUSTER_ISOLATE=1 can work on this machine;
# if not, prints why (for a suite's `skip`).  lxcfs 5 (Debian 12) counts a
# cgroup's CPU time only from cgroup v1's cpuacct: a machine with cgroup v2
# alone cannot have isolated nodes.
cluster_can_isolate() {
	local c
	if ! command -v lxcfs >/dev/null; then
		echo "CLUSTER_ISOLATE=1 needs lxcfs (Debian package lxcfs)"
		return 1
	fi
	if [ ! -e /dev/fuse ]; then
		echo "CLUSTER_ISOLATE=1 needs FUSE (/dev/fuse)"
		return 1
	fi
	for c in $_CLUSTER_CONTROLLERS; do
		if ! _cluster_cgroup_base "$c" >/dev/null 2>&1; then
			echo "CLUSTER_ISOLATE=1 needs the cgroup v1 controller $c mounted under /sys/fs/cgroup"
			return 1
		fi
	done
}

# _cluster_isolate: one lxcfs for the cluster, and the cluster's cgroups
# (listed in $CLUSTER_DIR/cgroups) that hold the nodes'.
_cluster_isolate() {
	local c base dir i
	cluster_can_isolate >/dev/null || { _cluster_die "$(cluster_can_isolate)"; return 1; }
	: >"$CLUSTER_DIR/cgroups"
	for c in $_CLUSTER_CONTROLLERS; do
		base=$(_cluster_cgroup_base "$c") || return 1
		dir=$base/clusterp-${CLUSTER_DIR##*.}
		# Controllers mounted together (cpu,cpuacct) share one directory.
		grep -qxF "$dir" "$CLUSTER_DIR/cgroups" && continue
		mkdir "$dir" || return 1
		echo "$dir" >>"$CLUSTER_DIR/cgroups"
		# The cluster's loads must get the CPU they ask for on a shared
		# machine (cgroup v1 weighs the whole cluster as one task): the
		# highest weight there is.
		if [ -f "$dir/cpu.shares" ]; then echo 262144 >"$dir/cpu.shares" || return 1; fi
		if [ "$c" = cpuset ]; then
			# A new cpuset has no CPU and no memory node until given some.
			cat "$base/cpuset.effective_cpus" >"$dir/cpuset.cpus" &&
				cat "$base/cpuset.effective_mems" >"$dir/cpuset.mems" || return 1
		fi
	done
	mkdir -p "$CLUSTER_DIR/lxcfs"
	# lxcfs answers every node's reads of /proc/stat (sadc's): it gets a
	# cpu cgroup of its own in the cluster's, of the highest weight.  Left
	# in this shell's cgroup, it weighed 1/257 of the cluster's, and a node
	# busy on every CPU starved it: every node's sadc then waited on its
	# read, 20 s without a sample (CI, 2026-12-08).
	local cpu_dir
	cpu_dir=$(grep -m 1 '/cpu[,/]' "$CLUSTER_DIR/cgroups") || return 1
	mkdir "$cpu_dir/lxcfs" && echo 262144 >"$cpu_dir/lxcfs/cpu.shares" || return 1
	echo "$cpu_dir/lxcfs" >"$CLUSTER_DIR/service-cgroups"
	# -l: per-cgroup load averages; its own pid file (the default one is
	# locked by the machine's lxcfs, if any).
	_cluster_bg lxcfs sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cpu_dir/lxcfs" \
		lxcfs -f -l -p "$CLUSTER_DIR/lxcfs.pid" "$CLUSTER_DIR/lxcfs"
	for i in $(seq 1 250); do
		[ -r "$CLUSTER_DIR/lxcfs/proc/stat" ] && break
		sleep 0.02
	done
	[ -r "$CLUSTER_DIR/lxcfs/proc/stat" ] || { _cluster_die "lxcfs did not start (see $CLUSTER_DIR/lxcfs.log)"; return 1; }
	# The disk of /var/tmp, where each node's private /var/tmp lives.
	local source disk
	source=$(findmnt -no SOURCE -T /var/tmp) || return 1
	disk=$(lsblk -no PKNAME "$source" 2>/dev/null | head -n 1)
	[ -n "$disk" ] || disk=${source##*/}
	CLUSTER_DISK=$disk
	CLUSTER_ISOLATE=1
	export CLUSTER_DISK CLUSTER_ISOLATE
}

# _cluster_node_cgroups NAME: the node's cgroups, one per controller below
# the cluster's, listed in nodes/NAME/cgroups.
_cluster_node_cgroups() {
	local name=$1 parent dir list=$CLUSTER_DIR/nodes/$1/cgroups
	: >"$list"
	while read -r parent; do
		dir=$parent/$name
		mkdir "$dir" || return 1
		echo "$dir" >>"$list"
		case $parent in
		*/cpuset/* | */cpuset,*/* | *,cpuset/* | *,cpuset,*/*)
			cat "$parent/cpuset.cpus" >"$dir/cpuset.cpus" &&
				cat "$parent/cpuset.mems" >"$dir/cpuset.mems" || return 1
			;;
		*/memory/* | */memory,*/* | *,memory/* | *,memory,*/*) echo "${CLUSTER_NODE_MEMORY:-1G}" >"$dir/memory.limit_in_bytes" || return 1 ;;
		*/blkio/* | */blkio,*/* | *,blkio/* | *,blkio,*/*)
			# blk-throttle counts a cgroup's I/O only on a disk that has
			# a rule: one that never bites (1 TiB/s), for cluster_disk_bytes.
			echo "$(cat "/sys/class/block/$CLUSTER_DISK/dev") 1099511627776" >"$dir/blkio.throttle.write_bps_device" &&
				echo "$(cat "/sys/class/block/$CLUSTER_DISK/dev") 1099511627776" >"$dir/blkio.throttle.read_bps_device" || return 1
			;;
		esac
	done <"$CLUSTER_DIR/cgroups"
}

# _cluster_node_isolation NAME: the mount commands (inside the node's mount
# namespace) that show it lxcfs's /proc files and its private /var/tmp.
_cluster_node_isolation() {
	local name=$1 f vartmp out=
	vartmp=$(mktemp -d /var/tmp/clusterp-node.XXXXXX) || return 1
	chmod 1777 "$vartmp"
	echo "$vartmp" >"$CLUSTER_DIR/nodes/$name/vartmp"
	for f in $_CLUSTER_LXCFS_FILES; do
		out="$out${out:+ && }mount --bind '$CLUSTER_DIR/lxcfs/proc/$f' /proc/$f"
	done
	echo "$out && mount --bind '$vartmp' /var/tmp"
}

# _cluster_join NAME CMD...: runs CMD in the node's cgroups.
_cluster_join() {
	local list=$CLUSTER_DIR/nodes/$1/cgroups
	shift
	sh -c 'while read -r dir; do echo $$ >"$dir/cgroup.procs" || exit 1; done <"$0"; exec "$@"' "$list" "$@"
}

# A cluster that fails to come up is taken down at once, so that a caller
# without teardown leaves nothing behind.
cluster_up() {
	_cluster_up "$@" && return 0
	cluster_down
	return 1
}

_cluster_up() {
	local n=${1:-4} i
	CLUSTER_DIR=$(mktemp -d "$CLUSTER_STATE_ROOT/clusterp-cluster.XXXXXX") || return 1
	export CLUSTER_DIR
	_cluster_claim_prefix || return 1
	CLUSTER_PORT=${CLUSTER_PORT:-$(_cluster_pick_port)} || return 1
	mkdir -p /run/sshd
	chmod 755 "$CLUSTER_DIR"
	if [ "${CLUSTER_ISOLATE:-}" = 1 ]; then _cluster_isolate || return 1; fi
	CLUSTER_USER=root
	CLUSTER_PASSWORD=$(openssl rand -hex 12)
	CLUSTER_HOME=$CLUSTER_DIR/home
	mkdir -p "$CLUSTER_HOME/.ssh" "$CLUSTER_DIR/keys"
	chmod 700 "$CLUSTER_HOME/.ssh"

	# The user's key (on disk in HOME) and the agent's key (only in the
	# agent); both are authorized everywhere public keys are accepted.
	ssh-keygen -q -t ed25519 -N '' -C clusterp-user -f "$CLUSTER_HOME/.ssh/id_ed25519" || return 1
	ssh-keygen -q -t ed25519 -N '' -C clusterp-agent -f "$CLUSTER_DIR/keys/agent_key" || return 1
	cat "$CLUSTER_HOME/.ssh/id_ed25519.pub" "$CLUSTER_DIR/keys/agent_key.pub" >"$CLUSTER_DIR/authorized_keys"
	: >"$CLUSTER_HOME/.ssh/known_hosts"

	# root's password exists only in the nodes' private copy of /etc/shadow.
	local hash
	hash=$(printf '%s\n' "$CLUSTER_PASSWORD" | openssl passwd -6 -stdin) || return 1
	awk -F: -v OFS=: -v h="$hash" '$1 == "root" { $2 = h } { print }' /etc/shadow >"$CLUSTER_DIR/shadow"
	chmod 640 "$CLUSTER_DIR/shadow"
	printf '%s\n' 'auth required pam_unix.so nodelay' 'account required pam_unix.so' \
		'session required pam_permit.so' 'password required pam_deny.so' >"$CLUSTER_DIR/pam-sshd"

	# The cluster's network namespace: the gateway's and the hidden node's,
	# and the far end of the nodes' NICs (CLUSTER_NETNS=1).
	local netns=clusterp-${CLUSTER_DIR##*.}
	ip netns add "$netns" || return 1
	echo "$netns" >"$CLUSTER_DIR/netns"
	ip netns exec "$netns" ip link set lo up || return 1
	if [ "${CLUSTER_NETNS:-}" = 1 ]; then
		CLUSTER_NIC_MBIT=${CLUSTER_NIC_MBIT:-100}
		export CLUSTER_NETNS CLUSTER_NIC_MBIT
		_cluster_bg discard ip netns exec "$netns" socat -u TCP-LISTEN:9,reuseaddr,fork OPEN:/dev/null
	fi

	CLUSTER_NODES=
	for i in $(seq 1 "$n"); do
		_cluster_node "n$i" "$CLUSTER_PREFIX.$i" key || return 1
		export "CLUSTER_NODE_$i=$CLUSTER_PREFIX.$i"
		CLUSTER_NODES="$CLUSTER_NODES${CLUSTER_NODES:+ }$CLUSTER_PREFIX.$i"
	done
	CLUSTER_PW_NODE=$CLUSTER_PREFIX.$_CLUSTER_PW
	CLUSTER_KBD_NODE=$CLUSTER_PREFIX.$_CLUSTER_KBD
	CLUSTER_NOSYSSTAT_NODE=$CLUSTER_PREFIX.$_CLUSTER_NOSYS
	CLUSTER_NOSFTP_NODE=$CLUSTER_PREFIX.$_CLUSTER_NOSFTP
	CLUSTER_SLOW_NODE=$CLUSTER_PREFIX.$_CLUSTER_SLOW
	CLUSTER_SILENT=$CLUSTER_PREFIX.$_CLUSTER_SILENT
	CLUSTER_REFUSED=$CLUSTER_PREFIX.$_CLUSTER_REFUSED
	CLUSTER_GATEWAY=$CLUSTER_PREFIX.$_CLUSTER_GW
	CLUSTER_HIDDEN=$CLUSTER_PREFIX.$_CLUSTER_HIDDEN
	_cluster_node pw "$CLUSTER_PW_NODE" password || return 1
	_cluster_node kbd "$CLUSTER_KBD_NODE" kbd || return 1
	_cluster_node nosysstat "$CLUSTER_NOSYSSTAT_NODE" nosysstat || return 1
	_cluster_node nosftp "$CLUSTER_NOSFTP_NODE" nosftp || return 1
	_cluster_node slow "$CLUSTER_SLOW_NODE" slow || return 1

	# A listener that completes the TCP handshake and never reads or writes.
	_cluster_bg silent /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(256)
time.sleep(1e6)' "$CLUSTER_SILENT" "$CLUSTER_PORT"
	_cluster_wait_listen "$CLUSTER_SILENT" "$CLUSTER_PORT" || return 1

	# The gateway and the hidden node live in the cluster's network
	# namespace; the gateway's port is bridged to the root namespace
	# through a Unix socket (which crosses network namespaces).
	_cluster_node gateway 127.0.0.1 key "$netns" || return 1
	_cluster_node hidden "$CLUSTER_HIDDEN" key "$netns" || return 1
	# The gateway is known by its outside address.
	sed -i "s/^127\.0\.0\.1 /$CLUSTER_GATEWAY /; s/^\[127\.0\.0\.1\]:/[$CLUSTER_GATEWAY]:/" "$CLUSTER_HOME/.ssh/known_hosts"
	sed -i "s/^gateway 127\.0\.0\.1\$/gateway $CLUSTER_GATEWAY/" "$CLUSTER_DIR/nodes.list"
	_cluster_bg gateway-inner ip netns exec "$netns" socat "UNIX-LISTEN:$CLUSTER_DIR/gateway.sock,fork" "TCP:127.0.0.1:$CLUSTER_PORT"
	for i in $(seq 1 200); do [ -S "$CLUSTER_DIR/gateway.sock" ] && break; sleep 0.02; done
	_cluster_bg gateway-outer socat "TCP-LISTEN:$CLUSTER_PORT,bind=$CLUSTER_GATEWAY,reuseaddr,fork" "UNIX-CONNECT:$CLUSTER_DIR/gateway.sock"
	_cluster_wait_listen "$CLUSTER_GATEWAY" "$CLUSTER_PORT" || return 1

	eval "$(ssh-agent -s -a "$CLUSTER_DIR/agent.sock" </dev/null 3>&-)" >/dev/null || return 1
	echo "$SSH_AGENT_PID" >>"$CLUSTER_DIR/helpers.pid"
	CLUSTER_AGENT_SOCK=$CLUSTER_DIR/agent.sock
	SSH_AUTH_SOCK=$CLUSTER_AGENT_SOCK ssh-add -q "$CLUSTER_DIR/keys/agent_key" 2>/dev/null || return 1
	unset SSH_AUTH_SOCK SSH_AGENT_PID

	# For OpenSSH and the peers that run it (pdsh, clush): ssh(1) takes
	# ~/.ssh from the password database, not from $HOME.
	CLUSTER_SSH_CONFIG=$CLUSTER_DIR/ssh_config
	cat >"$CLUSTER_SSH_CONFIG" <<-EOF
		Host *
		    User root
		    Port $CLUSTER_PORT
		    IdentityFile $CLUSTER_HOME/.ssh/id_ed25519
		    IdentitiesOnly yes
		    IdentityAgent none
		    UserKnownHostsFile $CLUSTER_HOME/.ssh/known_hosts
		    GlobalKnownHostsFile /dev/null
		    StrictHostKeyChecking yes
		    BatchMode yes
	EOF

	export CLUSTER_NODES CLUSTER_PW_NODE CLUSTER_KBD_NODE CLUSTER_NOSYSSTAT_NODE CLUSTER_NOSFTP_NODE CLUSTER_SLOW_NODE \
		CLUSTER_SILENT CLUSTER_REFUSED CLUSTER_GATEWAY CLUSTER_HIDDEN CLUSTER_PORT \
		CLUSTER_USER CLUSTER_PASSWORD CLUSTER_AGENT_SOCK CLUSTER_HOME CLUSTER_PREFIX \
		CLUSTER_SSH_CONFIG
	{
		export -p | grep -E '^declare -x CLUSTER_'
	} >"$CLUSTER_DIR/env"
}

# _cluster_ns_pids MNTNS-FILE...: the pids of the processes in those mount
# namespaces (one pass over /proc).
_cluster_ns_pids() {
	cat "$@" 2>/dev/null | grep . >"$CLUSTER_DIR/.ns" || return 0
	find /proc/[0-9]*/ns/mnt -maxdepth 0 -printf '%l %p\n' 2>/dev/null |
		awk 'NR == FNR { want[$1] = 1; next } ($1 in want) { split($2, part, "/"); print part[3] }' \
			"$CLUSTER_DIR/.ns" -
}

# cluster_down: safe to call twice, or after a half-finished cluster_up.
cluster_down() {
	[ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR" ] || return 0
	local d pid
	for d in "$CLUSTER_DIR"/nodes/*/; do
		[ -f "$d/mntns" ] || { [ -f "$d/sshd.pid" ] && kill "$(cat "$d/sshd.pid")" 2>/dev/null; }
	done
	# Every process of every node: sshd, its sessions, leftover collectors.
	# shellcheck disable=SC2046
	kill -KILL $(_cluster_ns_pids "$CLUSTER_DIR"/nodes/*/mntns) 2>/dev/null
	# With isolation, also whatever is in a node's cgroups (cluster_exec).
	# shellcheck disable=SC2046
	[ -f "$CLUSTER_DIR/cgroups" ] && { kill -KILL $(_cluster_cgroup_pids) 2>/dev/null || :; }
	# lxcfs's mount goes before lxcfs does (a dead FUSE mount refuses
	# every access until unmounted); then lxcfs has nothing left to do and
	# is killed outright (on SIGTERM it takes seconds to end its threads).
	if mountpoint -q "$CLUSTER_DIR/lxcfs" 2>/dev/null; then
		umount "$CLUSTER_DIR/lxcfs" 2>/dev/null || umount -l "$CLUSTER_DIR/lxcfs"
	fi
	if [ -f "$CLUSTER_DIR/lxcfs.pid" ] && ! mountpoint -q "$CLUSTER_DIR/lxcfs" 2>/dev/null; then
		kill -KILL "$(cat "$CLUSTER_DIR/lxcfs.pid")" 2>/dev/null || :
	fi
	if [ -f "$CLUSTER_DIR/helpers.pid" ]; then
		while read -r pid; do
			kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || :
		done <"$CLUSTER_DIR/helpers.pid"
	fi
	[ -f "$CLUSTER_DIR/cgroups" ] && _cluster_remove_cgroups
	for d in "$CLUSTER_DIR"/nodes/*/vartmp; do
		if [ -f "$d" ]; then rm -rf --one-file-system "$(cat "$d")"; fi
	done
	[ -f "$CLUSTER_DIR/netns" ] && ip netns del "$(cat "$CLUSTER_DIR/netns")" 2>/dev/null
	if [ -f "$CLUSTER_DIR/node-netns" ]; then
		while read -r d; do ip netns del "$d" 2>/dev/null; done <"$CLUSTER_DIR/node-netns"
	fi
	[ -n "${CLUSTER_PREFIX:-}" ] && rm -f "$CLUSTER_STATE_ROOT/clusterp-nets/${CLUSTER_PREFIX#127.}"
	# --one-file-system: never into a mount left behind (lxcfs's).
	rm -rf --one-file-system "$CLUSTER_DIR"
}

# _cluster_cgroup_pids: the processes in the nodes' cgroups.
_cluster_cgroup_pids() {
	local list dir
	for list in "$CLUSTER_DIR"/nodes/*/cgroups; do
		[ -f "$list" ] || continue
		while read -r dir; do cat "$dir/cgroup.procs" 2>/dev/null; done <"$list"
	done | sort -u
}

# _cluster_service_idle: whether lxcfs's cgroup holds no process any more.
_cluster_service_idle() {
	local dir
	[ -f "$CLUSTER_DIR/service-cgroups" ] || return 0
	while read -r dir; do
		[ -z "$(cat "$dir/cgroup.procs" 2>/dev/null)" ] || return 1
	done <"$CLUSTER_DIR/service-cgroups"
	return 0
}

# _cluster_remove_cgroups: the nodes' cgroups and lxcfs's, then the
# cluster's, once the killed processes have left them.
_cluster_remove_cgroups() {
	local i dir
	for i in $(seq 1 100); do
		[ -z "$(_cluster_cgroup_pids)" ] && _cluster_service_idle && break
		sleep 0.05
	done
	cat "$CLUSTER_DIR"/nodes/*/cgroups "$CLUSTER_DIR/service-cgroups" "$CLUSTER_DIR/cgroups" 2>/dev/null |
		while read -r dir; do
			if [ -d "$dir" ]; then rmdir "$dir" || :; fi
		done
}

# cluster_home: a fresh client HOME for this test, with ~/.ssh/id_ed25519 and
# a known_hosts that knows every node; no agent (see cluster_agent).
cluster_home() {
	export HOME=$BATS_TEST_TMPDIR/home
	rm -rf "$HOME"
	cp -a "$CLUSTER_HOME" "$HOME"
	unset SSH_AUTH_SOCK SSH_AGENT_PID
}

# cluster_agent: use the cluster's ssh-agent (its key is on no disk).
cluster_agent() {
	export SSH_AUTH_SOCK=$CLUSTER_AGENT_SOCK
}

# cluster_host_key NAME: the public key line (type base64) of a node, NAME
# being n1.., pw, kbd, nosysstat, gateway or hidden.
cluster_host_key() {
	cut -d' ' -f1,2 "$CLUSTER_DIR/nodes/$1/ssh_host_ed25519_key.pub"
}

# cluster_known_name ADDR: how known_hosts names ADDR on the cluster's port
# (`[addr]:port` for a port other than 22).
cluster_known_name() {
	if [ "$CLUSTER_PORT" = 22 ]; then echo "$1"; else echo "[$1]:$CLUSTER_PORT"; fi
}

# cluster_pid NAME: the node's sshd pid (to enter its namespaces).
cluster_pid() {
	cat "$CLUSTER_DIR/nodes/$1/sshd.pid"
}

# cluster_exec NAME CMD...: runs CMD on the node as its sessions see it
# (private /tmp, hidden sysstat; with isolation its cgroups and /proc), without
# SSH.
cluster_exec() {
	local name=$1 nsopts=(--mount) join=()
	shift
	[ -f "$CLUSTER_DIR/nodes/$name/netns" ] && nsopts+=(--net)
	[ -f "$CLUSTER_DIR/nodes/$name/cgroups" ] && join=(_cluster_join "$name") nsopts+=(--uts)
	"${join[@]}" nsenter --target "$(cluster_pid "$name")" "${nsopts[@]}" -- "$@"
}

# cluster_disk_bytes NAME Read|Write: the bytes a node (isolated) has read
# from or written to $CLUSTER_DISK since it started, as its blkio cgroup
# counts them (per node, unlike /proc/diskstats: see the header).
cluster_disk_bytes() {
	local dir
	dir=$(grep /blkio "$CLUSTER_DIR/nodes/$1/cgroups") || return 1
	awk -v d="$(cat "/sys/class/block/$CLUSTER_DISK/dev")" -v op="$2" \
		'$1 == d && $2 == op { n = $3 } END { printf "%.0f\n", n }' "$dir/blkio.throttle.io_service_bytes_recursive"
}

# cluster_name ADDR: the node name (n1.., pw, kbd, nosysstat, gateway,
# hidden) of an address.
cluster_name() {
	awk -v a="$1" '$2 == a { print $1; found = 1 } END { exit !found }' "$CLUSTER_DIR/nodes.list"
}

# cluster_procs NAME: `pid comm args` of every process on the node but its
# sshd listener, e.g. to check that no sadc is left running.
cluster_procs() {
	local sshd pid
	sshd=$(cluster_pid "$1")
	for pid in $(_cluster_ns_pids "$CLUSTER_DIR/nodes/$1/mntns"); do
		[ "$pid" = "$sshd" ] && continue
		printf '%s %s %s\n' "$pid" "$(cat "/proc/$pid/comm" 2>/dev/null)" \
			"$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	done
}

# cluster_config [KEY=VALUE...] [--] HOST[:ALIAS]...: prints a config.yml
# for these hosts (ssh_username root, ssh_timeout 5, interval 1, ssh_port
# when CLUSTER_PORT is not 22); each
# KEY=VALUE sets or replaces a top-level key, written as given, and KEY=
# leaves KEY out.
cluster_config() {
	local -A set=([ssh_username]=root [ssh_timeout]=5 [interval]=1)
	local order=(ssh_username ssh_timeout interval) key h
	if [ "$CLUSTER_PORT" != 22 ]; then
		set[ssh_port]=$CLUSTER_PORT
		order+=(ssh_port)
	fi
	while [ $# -gt 0 ]; do
		case $1 in
		--) shift; break ;;
		*=*)
			key=${1%%=*}
			[ -n "${set[$key]+x}" ] || order+=("$key")
			set[$key]=${1#*=}
			shift
			;;
		*) break ;;
		esac
	done
	for key in "${order[@]}"; do
		[ -n "${set[$key]}" ] && printf '%s: %s\n' "$key" "${set[$key]}"
	done
	echo 'hosts:'
	for h in "$@"; do
		case $h in
		*:*) printf "  - %s: '%s'\n" "${h%%:*}" "$(printf '%s' "${h#*:}" | sed "s/'/''/g")" ;;
		*) printf '  - %s\n' "$h" ;;
		esac
	done
}

# cluster_ssh [SSH-OPTIONS] HOST [CMD]: OpenSSH's client with the files of
# $HOME (it takes ~/.ssh from the password database, not from $HOME).
cluster_ssh() {
	ssh -F none -o BatchMode=yes -o UserKnownHostsFile="$HOME/.ssh/known_hosts" \
		-i "$HOME/.ssh/id_ed25519" -o User=root -p "$CLUSTER_PORT" "$@"
}
