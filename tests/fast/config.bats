#!/usr/bin/env bats
# Every config mistake: one line naming the file, the line and the key, exit 78.

load ../lib/common

setup() { cd_workdir; }

# rejects NAME: config.yml from stdin must fail `init --check` with exit 78,
# print nothing on stdout and exactly tests/expected/config/NAME.err on stderr.
rejects() {
	cat >config.yml
	local status=0
	clusterp-init --check >out 2>err || status=$?
	[ "$status" -eq 78 ] || { echo "exit status $status, expected 78"; cat err; return 1; }
	[ ! -s out ] || { echo "stdout not empty:"; cat out; return 1; }
	golden "config/$1.err" err
}

@test "invalid YAML names the file and line" {
	rejects invalid-yaml <<-'EOF'
	hosts:
	    - n1
	  interval: [1
	EOF
}

@test "a tab-indented file is invalid YAML" {
	printf 'hosts:\n\t- n1\n' | rejects tab-indent
}

@test "an unknown key suggests the near one" {
	rejects unknown-key-near <<-'EOF'
	hosts: [n1]
	intervall: 5
	EOF
}

@test "an unknown key far from any known one" {
	rejects unknown-key-far <<-'EOF'
	hosts: [n1]
	colour: blue
	EOF
}

@test "a top level that is not a mapping" {
	rejects not-a-mapping <<-'EOF'
	- n1
	- n2
	EOF
}

@test "hosts of the wrong type" {
	rejects hosts-mapping <<-'EOF'
	hosts:
	    n1: a
	EOF
}

@test "interval of the wrong type" {
	rejects interval-list <<-'EOF'
	hosts: [n1]
	interval: [1, 2]
	EOF
}

@test "interval zero, negative, fractional and words are refused" {
	for value in 0 -5 1.5 ten; do
		printf 'hosts: [n1]\ninterval: %s\n' "$value" | rejects "interval-$value"
	done
}

@test "no hosts at all" {
	rejects no-hosts <<-'EOF'
	interval: 5
	EOF
}

@test "an empty hosts list" {
	rejects empty-hosts <<-'EOF'
	hosts: []
	EOF
}

@test "an empty file" {
	: | rejects empty-file
}

@test "a duplicate host" {
	rejects duplicate-host <<-'EOF'
	hosts:
	    - n1
	    - n2
	    - n1
	EOF
}

@test "a duplicate host hidden in a range" {
	rejects duplicate-in-range <<-'EOF'
	hosts:
	    - n03
	    - n[01-04]
	EOF
}

@test "a duplicate alias" {
	rejects duplicate-alias <<-'EOF'
	hosts:
	    - n1: web
	    - n2: web
	EOF
}

@test "an empty alias" {
	rejects empty-alias <<-'EOF'
	hosts:
	    - n1: ""
	EOF
}

@test "an alias with a slash" {
	rejects alias-slash <<-'EOF'
	hosts:
	    - n1: ../../etc/passwd
	EOF
}

@test "an alias starting with a dot" {
	rejects alias-dot <<-'EOF'
	hosts:
	    - n1: .hidden
	EOF
}

@test "an alias with a control character" {
	printf 'hosts:\n    - n1: "a\\tb"\n' | rejects alias-control
}

@test "a device name with a slash" {
	rejects device-slash <<-'EOF'
	hosts: [n1]
	filesystem_names:
	    - mapper/root
	EOF
}

@test "a device alias starting with a dot" {
	rejects device-alias-dot <<-'EOF'
	hosts: [n1]
	filesystem_names:
	    - sda: ..
	EOF
}

@test "an empty interface name" {
	rejects iface-empty <<-'EOF'
	hosts: [n1]
	net_interfaces:
	    - ""
	EOF
}

@test "a duplicate interface alias" {
	rejects iface-duplicate-alias <<-'EOF'
	hosts: [n1]
	net_interfaces:
	    - eth0: net
	    - eth1: net
	EOF
}

@test "a host name that is not one" {
	rejects host-shell <<-'EOF'
	hosts:
	    - "n1;reboot"
	EOF
}

@test "a malformed range" {
	rejects bad-range <<-'EOF'
	hosts:
	    - n[1-3
	EOF
}

@test "a range running backwards" {
	rejects backwards-range <<-'EOF'
	hosts:
	    - n[9-2]
	EOF
}

@test "a range alias naming a different count" {
	rejects range-alias-count <<-'EOF'
	hosts:
	    - n[1-4]: w[1-3]
	EOF
}

@test "a bad host key checking mode" {
	rejects key-checking <<-'EOF'
	hosts: [n1]
	ssh_host_key_checking: maybe
	EOF
}

@test "a bad transport" {
	rejects transport <<-'EOF'
	hosts: [n1]
	transport: telnet
	EOF
}

@test "a port out of range" {
	rejects port <<-'EOF'
	hosts: [n1]
	ssh_port: 70000
	EOF
}

@test "a zero fanout and a zero timeout" {
	printf 'hosts: [n1]\nfanout: 0\n' | rejects fanout
	printf 'hosts: [n1]\nssh_timeout: 0\n' | rejects timeout
}

@test "a relative remote_dir" {
	rejects remote-dir <<-'EOF'
	hosts: [n1]
	remote_dir: tmp
	EOF
}

@test "a gateway with a bad port" {
	rejects gateway-port <<-'EOF'
	hosts: [n1]
	ssh_gateway: admin@bastion:ssh
	EOF
}

@test "a missing config file exits 66" {
	run -66 clusterp-init --check -c nowhere.yml
	assert_output "clusterp-init: cannot open 'nowhere.yml' (run 'clusterp init' to write one)"
}

@test "a bad -H hostlist is a config error" {
	printf 'hosts: [n1]\n' >config.yml
	run -78 clusterp-start -H 'n[1-'
	assert_output "clusterp-start: -H: unbalanced '[' in 'n[1-'"
}

@test "a missing or bad -H/-x host file names the file" {
	printf 'hosts: [n1]\n' >config.yml
	run -66 clusterp-start -H ^nowhere.txt
	assert_output "clusterp-start: -H: cannot open 'nowhere.txt': no such file or directory"
	printf 'n1\n# fine\nn[2-\n' >bad.txt
	run -78 clusterp-stop -x ^bad.txt
	assert_output "clusterp-stop: -x: bad.txt:3: unbalanced '[' in 'n[2-'"
	printf '# nothing\n\n' >empty.txt
	run -78 clusterp-start -H ^empty.txt
	assert_output "clusterp-start: -H: 'empty.txt' names no host"
	run -78 clusterp-start -x 'n1,,n2'
	assert_output "clusterp-start: -x: empty name in hostlist 'n1,,n2'"
}

@test "a host of -H that is no host name is a config error, exit 78" {
	printf 'hosts: [n1]\n' >config.yml
	run -78 clusterp-start -H 'n1,../../../escaped'
	assert_output "clusterp-start: -H: '../../../escaped' is not a host name or IP address"
	[ ! -e raw ] && [ ! -e .clusterp ]
}

@test "a host of SLURM_JOB_NODELIST that is no host name is a config error, exit 78" {
	printf 'interval: 5\n' >config.yml
	SLURM_JOB_NODELIST='cn1,.hidden' run -78 clusterp-init --check
	assert_output "clusterp-init: SLURM_JOB_NODELIST: '.hidden' is not a host name or IP address"
}

@test "a password in a file others can read gets a warning" {
	printf 'hosts: [n1]\nssh_password: hunter2\n' >config.yml
	chmod 644 config.yml
	run -0 clusterp-init --check
	assert_line --index 0 "clusterp-init: warning: 'config.yml' holds ssh_password and is readable by others (chmod 600 config.yml)"
	refute_output --partial hunter2
	chmod 600 config.yml
	run -0 clusterp-init --check
	assert_output "n1 n1"
}
