#!/usr/bin/env bats
# What every tool shares: -h, --version, -c, -v, -q, usage errors, and the
# man pages that describe them.

load ../lib/common

TOOLS="clusterp-init clusterp-start clusterp-stop clusterp-parse clusterp-plot clusterp-run clusterp-mark"
PAGES="clusterp.1 clusterp-init.1 clusterp-start.1 clusterp-stop.1 clusterp-parse.1 clusterp-plot.1 clusterp-run.1 clusterp-mark.1
       clusterp.yml.5"

setup() { cd_workdir; }

# The name TOOL's messages begin with: clusterp-mark says `clusterp mark`, so
# that clusterp run never takes its messages for marker lines.
shown_name() { [ "$1" = clusterp-mark ] && echo "clusterp mark" || echo "$1"; }

# synopsis PAGE: the SYNOPSIS of a man page as one line.
synopsis() {
	groff -mandoc -Tascii -rLL=250n "$ROOT/man/$1" 2>/dev/null | col -b |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' ' ' | sed 's/^ //;s/ $//'
}

@test "every man page exists and groff finds nothing to warn about" {
	for page in $PAGES; do
		[ -f "$ROOT/man/$page" ] || { echo "missing man/$page"; return 1; }
		groff -mandoc -ww -z "$ROOT/man/$page" 2>warnings
		[ ! -s warnings ] || { echo "$page:"; cat warnings; return 1; }
	done
}

@test "each tool's usage line equals its man page's SYNOPSIS" {
	for tool in $TOOLS; do
		"$tool" -h >help
		usage=$(head -n 1 help)
		[ "$usage" = "usage: $(synopsis "$tool.1")" ] || {
			echo "$tool -h: $usage"
			echo "$tool.1:  usage: $(synopsis "$tool.1")"
			return 1
		}
	done
	clusterp -h >help
	[ "$(head -n 1 help)" = "usage: $(synopsis clusterp.1)" ]
}

@test "every tool documents -c, -v, -q and --version, and prints its version" {
	for tool in $TOOLS; do
		"$tool" --help >help
		for option in '-c, --config FILE' '-v, --verbose' '-q, --quiet' '--version' '-h, --help'; do
			grep -qF -- "$option" help || { echo "$tool lacks $option"; return 1; }
		done
		run -0 "$tool" --version
		assert_output --regexp "^$(shown_name "$tool") [0-9]+\.[0-9]+\.[0-9]+$"
	done
}

@test "an unknown option is a usage error, exit 64, naming the option" {
	for tool in $TOOLS; do
		run -64 "$tool" --bogus
		name=$(shown_name "$tool")
		assert_output "$name: option 'bogus' does not exist (see '$name -h')"
	done
}

@test "-v and -q together are a usage error" {
	run -64 clusterp-init -v -q --check
	assert_output "clusterp-init: -v and -q exclude each other"
}

@test "-c names another config for every tool" {
	for tool in clusterp-start clusterp-stop; do
		run -66 "$tool" -c missing.yml --dry-run
		assert_output "$tool: cannot open 'missing.yml' (run 'clusterp init' to write one)"
	done
}

@test "-q silences what init says, -v does not" {
	run -0 clusterp-init -q
	assert_output ""
	run -0 clusterp-init -v --force
	assert_output "clusterp-init: wrote 'config.yml'"
}
