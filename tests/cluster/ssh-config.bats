#!/usr/bin/env bats
# ~/.ssh/config and /etc/ssh/ssh_config as the SSH transport resolves them
# (tests/drivers/ssh-config), compared with what OpenSSH itself answers
# (`ssh -G`).  Root: each comparison runs in a mount namespace where the
# test's files are root's ~/.ssh (ssh(1) takes ~ from the password database,
# not from $HOME) and /etc/ssh/ssh_config.
load ../lib/common

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root (a mount namespace)"
	T=$BATS_TEST_TMPDIR
	mkdir -p "$T/home/.ssh"
	# Every host gets an identity, so that OpenSSH lists no defaults.
	printf 'Host *\n    IdentityFile ~/.ssh/id_site_%%r\n' >"$T/system"
	echo 'fanout: 4' >"$T/config.yml"
}

# compare HOST...: clusterp's targets for each HOST equal ssh -G's user,
# hostname, port, identityfile (~, %d, %h, %r expanded) and proxyjump.
compare() {
	unshare --mount --propagation private sh -c '
		t=$1; shift
		mount --bind "$t/home" /root && mount --bind "$t/system" /etc/ssh/ssh_config || exit 1
		export HOME=/root
		for h in "$@"; do
			ssh -G -- "$h" | awk "
				\$1 == \"user\" { u = \$2 } \$1 == \"hostname\" { n = \$2 }
				\$1 ~ /^(user|hostname|port|identityfile|proxyjump)\$/ { l[++c] = \$0 }
				END { for (i = 1; i <= c; i++) {
					s = l[i]
					if (s ~ /^identityfile /) { sub(/~/, \"/root\", s); gsub(/%d/, \"/root\", s); gsub(/%h/, n, s); gsub(/%r/, u, s) }
					print s } }" >"$t/expected.$h"
			"$0" "$t/config.yml" "$h" >"$t/actual.$h" || exit 1
			diff -u "$t/expected.$h" "$t/actual.$h" || exit 1
		done' "$UNIT_BIN/ssh-config" "$T" "$@"
}

@test "ssh-config: Host patterns match case-sensitively; %h is the lower-cased host name" {
	cat >"$T/home/.ssh/config" <<-'EOF'
	Host Node1
	    HostName exact.example.org
	Host UP*
	    HostName %h.Example.ORG
	    IdentityFile ~/.ssh/key_%h
	Host *
	    User someone
	EOF
	compare Node1 node1 UPPER upper
	grep -qx 'hostname exact.example.org' "$T/actual.Node1"
	grep -qx 'hostname node1' "$T/actual.node1"
	grep -qx 'identityfile /root/.ssh/key_upper.example.org' "$T/actual.UPPER"
}

@test "ssh-config: Include=path, a quoted path with a space, blocks of an included file, the Host context after it" {
	mkdir -p "$T/home/.ssh/with space"
	cat >"$T/home/.ssh/config" <<-'EOF'
	Host other
	    Include=~/.ssh/inc1
	    Port 2001
	Host n*
	    Include "~/.ssh/with space/inc2"
	    User after
	EOF
	printf 'Host n1\n    HostName from-inc1\n' >"$T/home/.ssh/inc1"
	printf 'Host n2\n    Port 2002\n' >"$T/home/.ssh/with space/inc2"
	compare n1 n2 other
	grep -qx 'user after' "$T/actual.n2"
	grep -qx 'port 2002' "$T/actual.n2"
}

@test "ssh-config: Match all, ProxyJump user@[v6]:port" {
	cat >"$T/home/.ssh/config" <<-'EOF'
	Host behind*
	    ProxyJump alice@[fe80::1]:2200
	Match all
	    User matched
	    Port 2003
	EOF
	compare behind1 plain
	grep -qx 'proxyjump alice@\[fe80::1\]:2200' "$T/actual.behind1"
	grep -qx 'user matched' "$T/actual.plain"
}

@test "ssh-config: /etc/ssh/ssh_config comes after ~/.ssh/config" {
	printf 'Host node*\n    Port 2201\n    User site\n' >"$T/system.extra"
	cat "$T/system" >>"$T/system.extra"
	mv "$T/system.extra" "$T/system"
	printf 'Host node2\n    Port 2202\n' >"$T/home/.ssh/config"
	compare node1 node2
	grep -qx 'port 2201' "$T/actual.node1"
	grep -qx 'port 2202' "$T/actual.node2"
	grep -qx 'identityfile /root/.ssh/id_site_site' "$T/actual.node1"
}

@test "ssh-config: a ProxyJump of several hops is named" {
	printf 'Host n1\n    ProxyJump a,b\n' >"$T/home/.ssh/config"
	run compare n1
	assert_failure
	assert_output --partial "ssh-config: n1: ssh -G: ProxyJump with several hops 'a,b' is not supported"
}
