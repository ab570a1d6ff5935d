# The SSH transport with sshd on a port other than 22: ssh_port, ~/.ssh/config
# Port, and known_hosts entries written `[host]:port`.
load ../lib/common
load ../lib/cluster

setup_file() {
	export CLUSTER_PORT=2222
	cluster_up 2
}
teardown_file() { cluster_down; }

setup() {
	cluster_home
	cd_workdir
	PROBE=$UNIT_BIN/ssh_probe
	KNOWN=$HOME/.ssh/known_hosts
}

@test "ssh port: port 22 is refused, ssh_port reaches the node" {
	cluster_config ssh_port= "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_NODE_1: connection refused"
	cluster_config ssh_port=2222 "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- 'echo ${SSH_CONNECTION##* }'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_1: out 2222
	EOF
}

@test "ssh port: ~/.ssh/config Port, unless ssh_port says otherwise" {
	printf 'Host *\n  Port 2222\n' >"$HOME/.ssh/config"
	cluster_config ssh_port= "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_success
	assert_output "$CLUSTER_NODE_1: exit 0"
	cluster_config ssh_port=22 "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_NODE_1: connection refused"
}

@test "ssh port: known_hosts holds [host]:port; a bare-host entry is not that key" {
	run grep -c "^\[$CLUSTER_NODE_1\]:2222 " "$KNOWN"
	assert_output 1
	: >"$KNOWN"
	cluster_config ssh_port=2222 ssh_host_key_checking=accept-new "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_success
	assert_output - <<-EOF
	ssh_probe: $CLUSTER_NODE_1: added [$CLUSTER_NODE_1]:2222 (ED25519 key $(ssh-keygen -lf "$CLUSTER_DIR/nodes/n1/ssh_host_ed25519_key.pub" | cut -d' ' -f2)) to '$KNOWN'
	$CLUSTER_NODE_1: exit 0
	EOF
	echo "[$CLUSTER_NODE_1]:2222 $(cluster_host_key n1)" >expected
	diff -u expected "$KNOWN"
}

@test "ssh port: comma-separated and hashed [host]:port entries" {
	echo "[$CLUSTER_NODE_2]:2222 $(cluster_host_key n2)" >hashed
	ssh-keygen -q -H -f hashed 2>/dev/null
	refute grep -q "$CLUSTER_NODE_2" hashed
	{
		echo "other.example,[$CLUSTER_NODE_1]:2222 $(cluster_host_key n1)"
		cat hashed
	} >"$KNOWN"
	cluster_config ssh_port=2222 "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" -- true
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_2: exit 0
	EOF
}
