# lib/ssh_config: the ~/.ssh/config subset, through tests/drivers/ssh-config.cpp.
load ../lib/common

@test "ssh-config: Host lists, ? and *, first value wins, IdentityFile adds up" {
	run "$UNIT_BIN/ssh-config" "$FIXTURES/ssh-config/basic" n1 n3 other
	assert_success
	assert_output - <<-'OUT'
	n1: hostname 10.0.0.n1
	n1: user alice
	n1: port 2222
	n1: identityfile /home/me/.ssh/id_global
	n1: identityfile /home/me/.ssh/id_10.0.0.n1_alice
	n1: identityfile /keys/with space/me
	n1: proxyjump jump
	n3: user bob
	n3: port 2200
	n3: identityfile /home/me/.ssh/id_global
	n3: identityfile /keys/with space/me
	n3: proxyjump jump
	other: user fallback
	other: port 22
	other: identityfile /home/me/.ssh/id_global
	other: proxyjump jump
	OUT
}

@test "ssh-config: negated patterns, key=value, ssh:// jumps, Match skipped, any case" {
	run "$UNIT_BIN/ssh-config" "$FIXTURES/ssh-config/basic" a.compute login.compute subnet
	assert_success
	assert_output - <<-'OUT'
	a.compute: hostname a.compute.example.org
	a.compute: user fallback
	a.compute: port 22
	a.compute: identityfile /home/me/.ssh/id_global
	a.compute: proxyjump gw.example.org:2022
	login.compute: user fallback
	login.compute: port 22
	login.compute: identityfile /home/me/.ssh/id_global
	login.compute: proxyjump carol@bastion
	subnet: user Upper
	subnet: port 22
	subnet: identityfile /home/me/.ssh/id_global
	OUT
}

@test "ssh-config: ProxyCommand and ProxyJump, whichever comes first" {
	cat >"$BATS_TEST_TMPDIR/proxy" <<-'EOF'
	Host viacmd
	  ProxyCommand ssh -W %h:%p gw
	Host none*
	  ProxyCommand none
	Host *
	  ProxyJump jump
	  ProxyCommand nc %h %p
	EOF
	run "$UNIT_BIN/ssh-config" "$BATS_TEST_TMPDIR/proxy" viacmd nonecmd other
	assert_success
	assert_output - <<-'OUT'
	viacmd: proxycommand ssh -W %h:%p gw
	other: proxyjump jump
	OUT
}

@test "ssh-config: an empty file sets nothing" {
	: >"$BATS_TEST_TMPDIR/empty"
	run "$UNIT_BIN/ssh-config" "$BATS_TEST_TMPDIR/empty" n1
	assert_success
	assert_output ''
}

@test "ssh-config: a bad port names its line" {
	printf 'Host *\n  Port 70000\n' >"$BATS_TEST_TMPDIR/bad"
	run "$UNIT_BIN/ssh-config" "$BATS_TEST_TMPDIR/bad" n1
	assert_failure
	assert_output "error: line 2: bad Port '70000'"
}

@test "ssh-config: several ProxyJump hops are refused" {
	printf 'Host n*\n  ProxyJump a,b\n' >"$BATS_TEST_TMPDIR/hops"
	run "$UNIT_BIN/ssh-config" "$BATS_TEST_TMPDIR/hops" x n1
	assert_failure
	assert_output "error: line 2: ProxyJump with several hops 'a,b' is not supported"
}
