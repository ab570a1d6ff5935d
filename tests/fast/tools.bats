#!/usr/bin/env bats
# What every tool shares: -h, --version, -c, -v, -q, usage errors, and the
# man pages that describe them.

load ../lib/common

# The tools (but the dispatcher) and the man pages, as the Makefile builds
# and installs them.
setup_file() {
	TOOLS=$(for t in $(make -s -C "$ROOT" --no-print-directory print-TOOLS); do basename "$t"; done | grep -vx clusterp)
	PAGES=$(for p in $(make -s -C "$ROOT" --no-print-directory print-MANPAGES); do basename "$p"; done)
	export TOOLS PAGES
}

setup() { cd_workdir; }

@test "the tools and pages come from the Makefile, a page for each tool" {
	[[ $'\n'$TOOLS$'\n' == *$'\nclusterp-report\n'* ]]
	for tool in clusterp $TOOLS; do
		[[ $'\n'$PAGES$'\n' == *$'\n'$tool.1$'\n'* ]] || { echo "no man page for $tool"; return 1; }
	done
	[[ $'\n'$PAGES$'\n' == *$'\nclusterp.yml.5\n'* ]]
}

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

@test "every tool documents -c (but mark, which reads no config), -v, -q and --version, and prints its version" {
	for tool in $TOOLS; do
		"$tool" --help >help
		for option in '-c, --config FILE' '-v, --verbose' '-q, --quiet' '--version' '-h, --help'; do
			[ "$tool/$option" != 'clusterp-mark/-c, --config FILE' ] || continue
			grep -qF -- "$option" help || { echo "$tool lacks $option"; return 1; }
		done
		run -0 "$tool" --version
		assert_output --regexp "^$(shown_name "$tool") [0-9]+\.[0-9]+\.[0-9]+$"
	done
	clusterp-mark -h >help
	run -1 grep -F -- '-c, --config' help
	run -64 clusterp-mark -c config.yml label
	assert_output "clusterp mark: option 'c' does not exist (see 'clusterp mark -h')"
}

@test "an unknown option is a usage error, exit 64 (compare: 2, as diff), naming the option" {
	for tool in $TOOLS; do
		if [ "$tool" = clusterp-compare ]; then run -2 "$tool" --bogus; else run -64 "$tool" --bogus; fi
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

# help_options TOOL: the options TOOL -h lists, one a line, sorted: `-c --config`, `--begin`.
help_options() {
	"$1" -h >help.txt
	sed -n 's/^  \(-[[:alnum:]]\), \(--[[:alnum:]-]*\).*/\1 \2/p; s/^      \(--[[:alnum:]-]*\).*/\1/p' help.txt | sort
}

# page_options PAGE: the options of the OPTIONS section of man/PAGE, the same way.
page_options() {
	sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$ROOT/man/$1" | awk '/^\.It Fl/ {
		out = ""
		for (i = 2; i <= NF; i++) {
			if ($i != "Fl") continue
			if ($(i + 1) == "Fl") { name = "--" $(i + 2); i += 2 } else { name = "-" $(i + 1); i++ }
			out = out (out == "" ? "" : " ") name
		}
		print out
	}' | sort
}

@test "each tool's -h lists the options of its man page's OPTIONS, no more, no fewer" {
	# (the dispatcher's -h lists verbs: its two options are its usage line's)
	for tool in $TOOLS; do
		help_options "$tool" >from-help
		page_options "$tool.1" >from-page
		[ -s from-help ] && [ -s from-page ]
		diff -u --label "$tool -h" --label "man/$tool.1 OPTIONS" from-help from-page
	done
}
