#!/usr/bin/env bats
# clusterp-init: the template, --local, --check, refusing to overwrite.

load ../lib/common

setup() { cd_workdir; }

@test "init writes the template, private, and refuses to overwrite it" {
	run -0 clusterp init
	assert_output "clusterp-init: wrote 'config.yml'"
	cmp config.yml "$ROOT/share/clusterp/config.yml"
	[ "$(stat -c %a config.yml)" = 600 ]
	echo "# mine" >>config.yml
	run -73 clusterp init
	assert_output "clusterp-init: 'config.yml' already exists (use --force to replace it)"
	tail -n 1 config.yml | grep -qx '# mine'
	run -0 clusterp init --force
	cmp config.yml "$ROOT/share/clusterp/config.yml"
}

@test "the template passes --check and names its hosts with their aliases" {
	clusterp init -q
	clusterp init --check >out
	golden init/template-check.out out
}

@test "-c writes and checks another file" {
	run -0 clusterp init -q -c other.yml
	[ ! -e config.yml ]
	run -0 clusterp init --check -c other.yml
	assert_line "node01 first"
}

@test "--check expands ranges with their zero padding and alias ranges" {
	cat >config.yml <<-'EOF'
	hosts:
	    - login1: login
	    - node[008-011]: w[8-11]
	    - gpu[1-2]
	EOF
	clusterp init --check >out
	golden init/ranges-check.out out
}

@test "a scalar hostlist is accepted" {
	printf 'hosts: "n[1-3],m1"\n' >config.yml
	run -0 clusterp init --check
	assert_output "$(printf 'n1 n1\nn2 n2\nn3 n3\nm1 m1')"
}

@test "without hosts, SLURM_JOB_NODELIST names the job's nodes" {
	printf 'interval: 5\n' >config.yml
	SLURM_JOB_NODELIST='cn[07-08],gpu3' run -0 clusterp init --check
	assert_output "$(printf 'cn07 cn07\ncn08 cn08\ngpu3 gpu3')"
}

@test "hosts in the config win over SLURM_JOB_NODELIST" {
	printf 'hosts: [n1]\n' >config.yml
	SLURM_JOB_NODELIST='cn[07-08]' run -0 clusterp init --check
	assert_output "n1 n1"
}

@test "--local profiles this machine's real disks and interfaces" {
	run -0 clusterp init --local
	run -0 clusterp init --check
	assert_output "$(hostname) $(hostname)"
	grep -qx 'transport: local' config.yml
	for iface in /sys/class/net/*; do
		grep -qx "    - $(basename "$iface")" config.yml
	done
	grep -q '^    - loop' config.yml && return 1
	for disk in /sys/block/*; do
		case $(basename "$disk") in loop* | ram* | zram* | sr* | fd*) continue ;; esac
		grep -qx "    - $(basename "$disk")" config.yml
	done
}

@test "--local and --check exclude each other" {
	run -64 clusterp init --local --check
	assert_output "clusterp-init: --local and --check exclude each other"
}
