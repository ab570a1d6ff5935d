# The test cluster itself (tests/lib/cluster.bash), checked with OpenSSH's
# client, so that a failure elsewhere is not a harness problem.
load ../lib/common
load ../lib/cluster

setup_file() { cluster_up 2; }
teardown_file() { cluster_down; }
setup() { cluster_home; }

@test "cluster: a plain node runs a command as root" {
	run cluster_ssh "$CLUSTER_NODE_1" 'id -un'
	assert_success
	assert_output root
}

@test "cluster: nodes share no /tmp" {
	run cluster_ssh "$CLUSTER_NODE_1" 'echo x > /tmp/mark && ls /tmp'
	assert_output mark
	run cluster_ssh "$CLUSTER_NODE_2" 'ls /tmp'
	assert_success
	assert_output ''
	[ ! -e /tmp/mark ]
}

@test "cluster: the sysstat-less node has no sar, sadf or sadc" {
	run cluster_ssh "$CLUSTER_NOSYSSTAT_NODE" 'command -v sar sadf; ls /usr/lib/sysstat; echo end'
	assert_output end
	run cluster_ssh "$CLUSTER_NODE_1" 'sar --sadc'
	assert_output --partial sadc
}

@test "cluster: the hidden node is reached through the gateway only" {
	run cluster_ssh "$CLUSTER_HIDDEN" true
	assert_failure
	assert_output --partial 'Connection refused'
	run cluster_ssh -o ProxyCommand="ssh -F none -o BatchMode=yes -o UserKnownHostsFile=$HOME/.ssh/known_hosts -i $HOME/.ssh/id_ed25519 -W %h:%p root@$CLUSTER_GATEWAY" "$CLUSTER_HIDDEN" 'echo hidden'
	assert_success
	assert_output hidden
}

@test "cluster: the agent holds a key that opens the nodes" {
	cluster_agent
	rm "$HOME"/.ssh/id_ed25519*
	run ssh -F none -o BatchMode=yes -o UserKnownHostsFile="$HOME/.ssh/known_hosts" -o IdentityFile=none root@"$CLUSTER_NODE_1" 'echo agent'
	assert_success
	assert_output agent
}

@test "cluster: password nodes refuse public keys" {
	run cluster_ssh "$CLUSTER_PW_NODE" true
	assert_failure
	assert_output --partial 'Permission denied'
	run cluster_ssh "$CLUSTER_KBD_NODE" true
	assert_failure
}

@test "cluster: cluster_procs sees what runs on a node" {
	cluster_exec n2 sh -c 'sleep 300 >/dev/null 2>&1 &'
	run cluster_procs n2
	assert_output --partial 'sleep 300'
	run cluster_procs n1
	refute_output --partial 'sleep 300'
}
