# The SSH transport against the test cluster, through tests/drivers/ssh_probe
# (no tool involved): authentication, host keys, failures, the gateway and
# ~/.ssh/config.
load ../lib/common
load ../lib/cluster

setup_file() { cluster_up 3; }
teardown_file() { cluster_down; }

setup() {
	export LSAN_OPTIONS=suppressions=$ROOT/tests/lib/lsan.supp
	cluster_home
	cd_workdir
	PROBE=$UNIT_BIN/ssh_probe
	KNOWN=$HOME/.ssh/known_hosts
}

# known ADDR: ADDR as known_hosts names it; unknown ADDR: drop its entries.
known() { cluster_known_name "$1"; }
forget() {
	local name
	name=$(known "$1")
	awk -v n="$name" '$1 != n' "$KNOWN" >"$BATS_TEST_TMPDIR/known" && mv "$BATS_TEST_TMPDIR/known" "$KNOWN"
}

# fingerprint NODE: the SHA256 fingerprint of a node's host key, as ssh-keygen
# prints it.
fingerprint() {
	ssh-keygen -lf "$CLUSTER_DIR/nodes/$1/ssh_host_ed25519_key.pub" | cut -d' ' -f2
}

@test "ssh: key authentication runs a command: stdout, stderr and exit status apart" {
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- 'echo out; echo err >&2; echo more; exit 3'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_1: exit 3
	$CLUSTER_NODE_1: out out
	$CLUSTER_NODE_1: out more
	$CLUSTER_NODE_1: err err
	EOF
}

@test "ssh: curve25519-sha256 key exchange is preferred" {
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" -v config.yml "$CLUSTER_NODE_1" -- true
	assert_success
	assert_line "ssh_probe: $CLUSTER_NODE_1: key exchange curve25519-sha256, host key ssh-ed25519"
	assert_line "ssh_probe: $CLUSTER_NODE_1: authenticated by '$HOME/.ssh/id_ed25519'"
}

@test "ssh: commands get no pty and an empty stdin" {
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- 'tty; cat; echo done'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_1: out not a tty
	$CLUSTER_NODE_1: out done
	EOF
}

@test "ssh: a death by signal reads as 128 + the signal" {
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- 'kill -TERM $$'
	assert_success
	assert_output "$CLUSTER_NODE_1: exit 143"
}

@test "ssh: several hosts at once, each with its own /tmp" {
	cluster_config $CLUSTER_NODES >config.yml
	run "$PROBE" config.yml $CLUSTER_NODES -- 'mktemp -d /tmp/probe.XXXX >/dev/null; ls /tmp | wc -l'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_1: out 1
	$CLUSTER_NODE_2: exit 0
	$CLUSTER_NODE_2: out 1
	$CLUSTER_NODE_3: exit 0
	$CLUSTER_NODE_3: out 1
	EOF
}

@test "ssh: download works on a node whose sshd has no SFTP subsystem" {
	head -c 500000 /dev/urandom >expected
	cluster_exec nosftp sh -c 'cat >/tmp/blob' <expected
	cluster_config "$CLUSTER_NOSFTP_NODE" >config.yml
	run "$PROBE" -d /tmp/blob:got config.yml "$CLUSTER_NOSFTP_NODE"
	assert_success
	assert_output "$CLUSTER_NOSFTP_NODE: downloaded 500000 bytes"
	cmp expected got
}

@test "ssh: download copies a remote file whole, in the same session" {
	head -c 3000000 /dev/urandom >expected
	cluster_exec n2 sh -c 'cat >/tmp/blob' <expected
	cluster_config "$CLUSTER_NODE_2" >config.yml
	run "$PROBE" -d /tmp/blob:got config.yml "$CLUSTER_NODE_2" -- 'wc -c </tmp/blob'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_2: exit 0
	$CLUSTER_NODE_2: out 3000000
	$CLUSTER_NODE_2: downloaded 3000000 bytes
	EOF
	cmp expected got
}

@test "ssh: downloading a missing remote file names it" {
	cluster_config "$CLUSTER_NODE_2" >config.yml
	run "$PROBE" -d /tmp/absent:got config.yml "$CLUSTER_NODE_2"
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_NODE_2: remote file 'absent' is missing"
}

@test "ssh: a command that works long on a node that answers is not cut by ssh_timeout" {
	cluster_config ssh_timeout=2 "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" -t 30 config.yml "$CLUSTER_NODE_1" -- 'sleep 6; echo done'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_1: out done
	EOF
}

@test "ssh: a node that stops answering is abandoned after ssh_timeout, with one line" {
	cluster_config ssh_timeout=2 "$CLUSTER_NODE_1" >config.yml
	# The session's sshd freezes for 6 s: nothing answers the keepalives.
	# (Keepalives go every 2 s at least, so the limit is 3 s at least.)
	run "$PROBE" -t 30 config.yml "$CLUSTER_NODE_1" -- 'kill -STOP $PPID; sleep 6; kill -CONT $PPID'
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_NODE_1: no answer for 3 s (ssh_timeout)"
}

@test "ssh: a command that outlives its bound times out" {
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" -t 1 config.yml "$CLUSTER_NODE_1" -- 'sleep 30'
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_NODE_1: timed out after 1 s (command)"
}

@test "ssh: the session outlives a command that timed out" {
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" -t 1 config.yml "$CLUSTER_NODE_1" -- echo first -- sleep 30 -- echo after
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_1: out first
	$CLUSTER_NODE_1: failed timed out after 1 s (command)
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_1: out after
	EOF
}

@test "ssh: agent authentication, with no key on disk" {
	rm "$HOME"/.ssh/id_ed25519*
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_NODE_1: permission denied for root: no credential to offer (the server accepts publickey)"
	cluster_agent
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- 'id -un'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_1: out root
	EOF
}

@test "ssh: ssh_key names the identity file; a missing one is said" {
	mkdir keys
	mv "$HOME"/.ssh/id_ed25519* keys/
	cluster_config ssh_key="$PWD/keys/id_ed25519" "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_success
	assert_output "$CLUSTER_NODE_1: exit 0"
	cluster_config ssh_key="~/absent" "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_NODE_1: permission denied for root: no credential to offer (the server accepts publickey); identity file '$HOME/absent' does not exist"
}

@test "ssh: ~/.ssh/id_ecdsa is tried when id_ed25519 is not accepted" {
	ssh-keygen -q -t ed25519 -N '' -f "$HOME/.ssh/id_ed25519" <<<y >/dev/null
	ssh-keygen -q -t ecdsa -N '' -f "$HOME/.ssh/id_ecdsa"
	cat "$HOME/.ssh/id_ecdsa.pub" >>"$CLUSTER_DIR/authorized_keys"
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" -v config.yml "$CLUSTER_NODE_1" -- true
	assert_success
	assert_line "ssh_probe: $CLUSTER_NODE_1: authenticated by '$HOME/.ssh/id_ecdsa'"
}

@test "ssh: a refused RSA key says why when libssh2 cannot sign with rsa-sha2" {
	rm "$HOME"/.ssh/id_ed25519*
	ssh-keygen -q -t rsa -b 2048 -N '' -f "$HOME/.ssh/id_rsa"
	cat "$HOME/.ssh/id_rsa.pub" >>"$CLUSTER_DIR/authorized_keys"
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	# libssh2 1.11 and later sign with rsa-sha2 and get in.
	if [ "$status" -ne 0 ]; then
		assert_output --regexp "^ssh_probe: $CLUSTER_NODE_1: permission denied for root \(tried key '$HOME/.ssh/id_rsa'\); RSA keys need rsa-sha2 signatures, which libssh2 1\.10\.[0-9]+ lacks: use an ed25519 or ecdsa key\$"
	else
		assert_output "$CLUSTER_NODE_1: exit 0"
	fi
}

@test "ssh: password authentication, from ssh_password or CLUSTERP_SSH_PASSWORD" {
	cluster_config ssh_password="'$CLUSTER_PASSWORD'" "$CLUSTER_PW_NODE" >config.yml
	chmod 600 config.yml
	run "$PROBE" config.yml "$CLUSTER_PW_NODE" -- 'id -un'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_PW_NODE: exit 0
	$CLUSTER_PW_NODE: out root
	EOF
	cluster_config "$CLUSTER_PW_NODE" >config.yml
	CLUSTERP_SSH_PASSWORD=$CLUSTER_PASSWORD run "$PROBE" config.yml "$CLUSTER_PW_NODE" -- 'id -un'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_PW_NODE: exit 0
	$CLUSTER_PW_NODE: out root
	EOF
}

@test "ssh: keyboard-interactive authentication with the password" {
	cluster_config "$CLUSTER_KBD_NODE" >config.yml
	CLUSTERP_SSH_PASSWORD=$CLUSTER_PASSWORD run "$PROBE" config.yml "$CLUSTER_KBD_NODE" -- 'id -un'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_KBD_NODE: exit 0
	$CLUSTER_KBD_NODE: out root
	EOF
}

@test "ssh: a wrong password is refused, and never shown" {
	cluster_config "$CLUSTER_PW_NODE" "$CLUSTER_KBD_NODE" >config.yml
	CLUSTERP_SSH_PASSWORD=wrong-$CLUSTER_PASSWORD run "$PROBE" config.yml "$CLUSTER_PW_NODE" "$CLUSTER_KBD_NODE" -- true
	assert_failure 1
	assert_output - <<-EOF
	ssh_probe: $CLUSTER_PW_NODE: permission denied for root (tried password)
	ssh_probe: $CLUSTER_KBD_NODE: permission denied for root (tried keyboard-interactive)
	EOF
}

@test "ssh: no password for a password-only server is an error, not a prompt" {
	cluster_config "$CLUSTER_PW_NODE" >config.yml
	run "$PROBE" config.yml "$CLUSTER_PW_NODE" -- true </dev/null
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_PW_NODE: permission denied for root: no credential to offer (the server accepts password); set ssh_password or CLUSTERP_SSH_PASSWORD"
}

@test "ssh: connection refused" {
	cluster_config "$CLUSTER_REFUSED" >config.yml
	run "$PROBE" config.yml "$CLUSTER_REFUSED" -- true
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_REFUSED: connection refused"
}

@test "ssh: a port that never speaks times out within ssh_timeout" {
	cluster_config ssh_timeout=2 "$CLUSTER_SILENT" "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_SILENT" "$CLUSTER_NODE_1" -- true
	assert_failure 1
	assert_output - <<-EOF
	ssh_probe: $CLUSTER_SILENT: timed out after 2 s (ssh handshake)
	$CLUSTER_NODE_1: exit 0
	EOF
}

@test "ssh: an unknown host key fails by default, naming host and fingerprint" {
	forget "$CLUSTER_NODE_1"
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_NODE_1: host key for $(known "$CLUSTER_NODE_1") is unknown (ED25519 key $(fingerprint n1), not in '$KNOWN'); add it with ssh-keyscan or set ssh_host_key_checking: accept-new"
}

@test "ssh: accept-new records an unknown key, then yes accepts it" {
	: >"$KNOWN"
	cluster_config ssh_host_key_checking=accept-new "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" -- true
	assert_success
	assert_line "$CLUSTER_NODE_1: exit 0"
	assert_line "$CLUSTER_NODE_2: exit 0"
	assert_line "ssh_probe: $CLUSTER_NODE_1: added $(known "$CLUSTER_NODE_1") (ED25519 key $(fingerprint n1)) to '$KNOWN'"
	sort "$KNOWN" >recorded
	{ echo "$(known "$CLUSTER_NODE_1") $(cluster_host_key n1)"; echo "$(known "$CLUSTER_NODE_2") $(cluster_host_key n2)"; } | sort >expected
	diff -u expected recorded
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_success
	assert_output "$CLUSTER_NODE_1: exit 0"
}

# changed_key: known_hosts gives node 1 the key of node 2.
changed_key() {
	forget "$CLUSTER_NODE_1"
	echo "$(known "$CLUSTER_NODE_1") $(cluster_host_key n2)" >>"$KNOWN"
}

@test "ssh: a changed host key fails with yes and with accept-new" {
	changed_key
	cp "$KNOWN" before
	for mode in yes accept-new; do
		cluster_config ssh_host_key_checking=$mode "$CLUSTER_NODE_1" >config.yml
		run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
		assert_failure 1
		assert_output "ssh_probe: $CLUSTER_NODE_1: host key for $(known "$CLUSTER_NODE_1") has changed (now ED25519 key $(fingerprint n1)): possible man-in-the-middle attack; if the change is expected, remove the old key from '$KNOWN'"
	done
	cmp before "$KNOWN"
}

@test "ssh: with no, unknown and changed keys pass with one warning" {
	changed_key
	forget "$CLUSTER_NODE_2"
	cluster_config ssh_host_key_checking=no "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" -- true
	assert_success
	assert_output - <<-EOF
	ssh_probe: warning: host keys are not checked (ssh_host_key_checking: no)
	$CLUSTER_NODE_1: exit 0
	$CLUSTER_NODE_2: exit 0
	EOF
}

@test "ssh: a key marked @revoked is refused in every mode but no" {
	echo "@revoked * $(cluster_host_key n1)" >>"$KNOWN"
	for mode in yes accept-new; do
		cluster_config ssh_host_key_checking=$mode "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" >config.yml
		run "$PROBE" config.yml "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" -- true
		assert_failure 1
		assert_output - <<-EOF
		ssh_probe: $CLUSTER_NODE_1: host key for $(known "$CLUSTER_NODE_1") (ED25519 key $(fingerprint n1)) is revoked in '$KNOWN'
		$CLUSTER_NODE_2: exit 0
		EOF
	done
}

@test "ssh: hashed known_hosts entries, and ssh_known_hosts naming another file" {
	ssh-keygen -q -H -f "$KNOWN" 2>/dev/null
	refute grep -q "$CLUSTER_NODE_1" "$KNOWN"
	cluster_config "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_success
	assert_output "$CLUSTER_NODE_1: exit 0"
	mv "$KNOWN" elsewhere
	cluster_config ssh_known_hosts="$PWD/elsewhere" "$CLUSTER_NODE_1" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" -- true
	assert_success
	assert_output "$CLUSTER_NODE_1: exit 0"
}

@test "ssh: the gateway reaches the hidden node, several sessions at once" {
	cluster_config "$CLUSTER_HIDDEN" >config.yml
	run "$PROBE" config.yml "$CLUSTER_HIDDEN" -- true
	assert_failure 1
	assert_output "ssh_probe: $CLUSTER_HIDDEN: connection refused"

	head -c 1000000 /dev/urandom >expected
	cluster_exec hidden sh -c 'cat >/tmp/blob' <expected
	cluster_config ssh_gateway="$CLUSTER_GATEWAY" "$CLUSTER_HIDDEN" >config.yml
	run "$PROBE" -d /tmp/blob:got.%h config.yml "$CLUSTER_HIDDEN" "$CLUSTER_HIDDEN" -- 'echo ${SSH_CONNECTION%% *}; ls /tmp'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_HIDDEN: exit 0
	$CLUSTER_HIDDEN: out 127.0.0.1
	$CLUSTER_HIDDEN: out blob
	$CLUSTER_HIDDEN: downloaded 1000000 bytes
	$CLUSTER_HIDDEN: exit 0
	$CLUSTER_HIDDEN: out 127.0.0.1
	$CLUSTER_HIDDEN: out blob
	$CLUSTER_HIDDEN: downloaded 1000000 bytes
	EOF
	cmp expected "got.$CLUSTER_HIDDEN"
}

@test "ssh: the gateway as user@host:port; its own host key is checked" {
	cluster_config ssh_gateway="root@$CLUSTER_GATEWAY:$CLUSTER_PORT" "$CLUSTER_HIDDEN" >config.yml
	run "$PROBE" config.yml "$CLUSTER_HIDDEN" -- 'echo hidden'
	assert_success
	assert_output - <<-EOF
	$CLUSTER_HIDDEN: exit 0
	$CLUSTER_HIDDEN: out hidden
	EOF
	forget "$CLUSTER_GATEWAY"
	run "$PROBE" config.yml "$CLUSTER_HIDDEN" -- true
	assert_failure 69
	assert_output "ssh_probe: gateway $CLUSTER_GATEWAY: host key for $(known "$CLUSTER_GATEWAY") is unknown (ED25519 key $(fingerprint gateway), not in '$KNOWN'); add it with ssh-keyscan or set ssh_host_key_checking: accept-new"
}

@test "ssh: a node the gateway cannot reach fails alone" {
	cluster_config ssh_gateway="$CLUSTER_GATEWAY" 127.0.0.9 "$CLUSTER_HIDDEN" >config.yml
	run "$PROBE" config.yml 127.0.0.9 "$CLUSTER_HIDDEN" -- true
	assert_failure 1
	assert_output - <<-EOF
	ssh_probe: 127.0.0.9: gateway $CLUSTER_GATEWAY cannot reach 127.0.0.9:$CLUSTER_PORT: channel open failure (connect failed)
	$CLUSTER_HIDDEN: exit 0
	EOF
}

@test "ssh: an unreachable gateway fails once, naming the gateway" {
	cluster_config ssh_gateway="$CLUSTER_REFUSED" "$CLUSTER_HIDDEN" >config.yml
	run "$PROBE" config.yml "$CLUSTER_HIDDEN" -- true
	assert_failure 69
	assert_output "ssh_probe: gateway $CLUSTER_REFUSED: connection refused"
}

@test "ssh: ~/.ssh/config gives HostName, User, Port and IdentityFile" {
	mv "$HOME/.ssh/id_ed25519" "$HOME/.ssh/cluster_key"
	rm "$HOME/.ssh/id_ed25519.pub"
	cat >"$HOME/.ssh/config" <<-EOF
	Host second
	    HostName $CLUSTER_NODE_2
	    Port 1
	Host first
	    HostName $CLUSTER_NODE_1
	Host fi* sec*
	    User root
	    Port $CLUSTER_PORT
	    IdentityFile ~/.ssh/cluster_key
	EOF
	cluster_config ssh_username= ssh_port= first second >config.yml
	run "$PROBE" config.yml first second -- 'echo ${SSH_CONNECTION##* }; id -un'
	assert_failure 1
	assert_output - <<-EOF
	first: exit 0
	first: out $CLUSTER_PORT
	first: out root
	ssh_probe: second: connection refused
	EOF
}

@test "ssh: ~/.ssh/config ProxyJump reaches the hidden node, from an included file" {
	mkdir "$HOME/.ssh/config.d"
	cat >"$HOME/.ssh/config.d/hidden.conf" <<-EOF
	Host hidden
	    ProxyJump root@$CLUSTER_GATEWAY:$CLUSTER_PORT
	EOF
	# (OpenSSH takes a relative Include, and ~, under the home of the
	# password database, not $HOME: hence the absolute path.)
	cat >"$HOME/.ssh/config" <<-EOF
	Include $HOME/.ssh/config.d/*.conf
	Host hidden
	    HostName $CLUSTER_HIDDEN
	EOF
	cluster_config hidden >config.yml
	run "$PROBE" config.yml hidden hidden -- 'echo ${SSH_CONNECTION%% *}'
	assert_success
	assert_output - <<-EOF
	hidden: exit 0
	hidden: out 127.0.0.1
	hidden: exit 0
	hidden: out 127.0.0.1
	EOF
}

@test "ssh: a ProxyCommand in ~/.ssh/config is refused, not bypassed" {
	printf 'Host %s\n  ProxyCommand ssh -W %%h:%%p elsewhere\n' "$CLUSTER_NODE_1" >"$HOME/.ssh/config"
	cluster_config "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" >config.yml
	run "$PROBE" config.yml "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" -- true
	assert_failure 1
	assert_output - <<-EOF
	ssh_probe: $CLUSTER_NODE_1: ~/.ssh/config gives it a ProxyCommand, which clusterp does not run (use ProxyJump or ssh_gateway)
	$CLUSTER_NODE_2: exit 0
	EOF
}
