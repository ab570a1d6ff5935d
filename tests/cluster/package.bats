#!/usr/bin/env bats
# The Debian package (debian/, make deb): built once for the suite as a user
# builds it (lintian included), installed on this machine with apt-get, used
# from the installed files alone, then removed and purged.  In tests/cluster
# because apt-get needs root; it starts no cluster.  What the package must
# hold is what `make install PREFIX=/usr` lays out, so that a tool, page or
# completion added to the Makefile is expected here too.
#
# The build is the suite's cost: every tool compiled again, with
# dpkg-buildflags, in a clean copy of the tree (CI has no ccache).  It is
# kept to the .deb: DEB_BUILD_OPTIONS=nocheck (the unit tests it would run
# are tests/fast/unit.bats's), noddebs (no -dbgsym package, 30 MB to
# compress) and, since no debug package is made, no -g (a third of the
# compiling; GCC's -g does not change the code, and dh_strip takes the
# debug information out of the .deb anyway).
load ../lib/common

# The package's files, as dpkg -c lists them (no directories), sorted.
package_files() {
	dpkg -c "$DEB" | awk '$1 !~ /^d/ { print substr($6, 2) }' | sort
}

apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 "$@"; }

# nothing_left: no file of the package, nor its directories, nor dpkg's
# record of it.
nothing_left() {
	local path
	while read -r path; do
		if [ -e "$path" ] || [ -L "$path" ]; then
			echo "left behind: $path"
			return 1
		fi
	done < <(package_files)
	for path in /usr/share/clusterp /usr/share/doc/clusterp /var/lib/dpkg/info/clusterp.list; do
		[ ! -e "$path" ] || { echo "left behind: $path"; return 1; }
	done
	# Unknown to dpkg, not even in state config-files: nothing to purge.
	run dpkg-query -W clusterp
	assert_failure
	assert_output "dpkg-query: no packages found matching clusterp"
}

setup_file() {
	# (bats 1.8 cannot skip from setup_file: each test does, in setup.)
	if [ "$(id -u)" -ne 0 ]; then
		export SKIP_WHY="apt-get install needs root"
		return 0
	fi
	if dpkg-query -W -f='${Status}' clusterp 2>/dev/null | grep -q ' installed$'; then
		export SKIP_WHY="clusterp is installed on this machine: this suite would replace and remove it"
		return 0
	fi
	# What make install lays out under PREFIX=/usr; man pages as
	# dh_installman leaves them (gzipped); the two files every package's
	# doc directory has.
	make -s -C "$ROOT" install DESTDIR="$BATS_FILE_TMPDIR/dest" PREFIX=/usr >/dev/null
	(cd "$BATS_FILE_TMPDIR/dest" && find . ! -type d | cut -c2-) |
		sed 's|^\(/usr/share/man/.*\)|\1.gz|' >"$BATS_FILE_TMPDIR/make-install"
	printf '%s\n' /usr/share/doc/clusterp/changelog.gz /usr/share/doc/clusterp/copyright >>"$BATS_FILE_TMPDIR/make-install"
	sort -o "$BATS_FILE_TMPDIR/make-install" "$BATS_FILE_TMPDIR/make-install"
	local path
	while read -r path; do
		if [ -e "$path" ] || [ -L "$path" ]; then
			export SKIP_WHY="'$path' exists (make install PREFIX=/usr?): this suite would overwrite and remove it"
			return 0
		fi
	done <"$BATS_FILE_TMPDIR/make-install"
	export VERSION
	VERSION=$("$BIN/clusterp" --version | cut -d' ' -f2)
	export DEB=$BATS_FILE_TMPDIR/clusterp_${VERSION}_$(dpkg --print-architecture).deb
	local start=$SECONDS status=0
	DEB_BUILD_OPTIONS="nocheck noddebs" DEB_CXXFLAGS_STRIP=-g make -C "$ROOT" deb DEB_WORK="$BATS_FILE_TMPDIR/work" \
		DEB_OUT="$BATS_FILE_TMPDIR" >"$BATS_FILE_TMPDIR/build.log" 2>&1 || status=$?
	echo "$status $((SECONDS - start))" >"$BATS_FILE_TMPDIR/build.status"
}

setup() {
	[ -z "${SKIP_WHY:-}" ] || skip "$SKIP_WHY"
	cd_workdir
}

teardown_file() {
	if dpkg-query -W -f='${Status}' clusterp 2>/dev/null | grep -q ' installed$'; then
		apt_get purge clusterp >/dev/null 2>&1
	fi
	return 0
}

@test "make deb builds clusterp_VERSION_ARCH.deb of the version clusterp --version prints; lintian passes it" {
	read -r status seconds <"$BATS_FILE_TMPDIR/build.status"
	echo "make deb: exit $status in $seconds s"
	[ "$status" -eq 0 ] || { tail -40 "$BATS_FILE_TMPDIR/build.log"; return 1; }
	run -0 dpkg-deb -f "$DEB" Package Version
	assert_output "Package: clusterp
Version: $VERSION"
	# make deb fails on lintian's errors and unexplained warnings; that it
	# ran is shown by its command line in the log.
	run -0 grep -c "lintian --fail-on=error,warning ../clusterp_${VERSION}_.*\.changes" "$BATS_FILE_TMPDIR/build.log"
	run grep '^[EW]: ' "$BATS_FILE_TMPDIR/build.log"
	assert_output ""
	# The clean copy was made from git's files: no build tree of the developer's.
	run -0 grep -c 'g++ .* -c -o build/tools/clusterp.o tools/clusterp.cpp' "$BATS_FILE_TMPDIR/build.log"
}

@test "dpkg -c lists every tool, man page and completion make install lays out, and nothing else" {
	[ -f "$DEB" ] || skip "no package (see the first test)"
	package_files >listed
	diff -u "$BATS_FILE_TMPDIR/make-install" listed
	# Not an empty list matching an empty one: a tool per tools/*.cpp, a
	# page per man/*, a completion per tool.
	local tool page
	for tool in "$ROOT"/tools/*.cpp; do
		tool=$(basename "$tool" .cpp)
		grep -qx "/usr/bin/$tool" listed
		grep -qx "/usr/share/bash-completion/completions/$tool" listed
	done
	for page in "$ROOT"/man/*.[0-9]; do
		page=$(basename "$page")
		grep -qx "/usr/share/man/man${page##*.}/$page.gz" listed
	done
}

@test "apt-get install ./clusterp_*.deb: version, manual, completion and a local run from the installed files alone" {
	[ -f "$DEB" ] || skip "no package (see the first test)"
	cp "$DEB" .
	run -0 apt_get install ./"$(basename "$DEB")"
	run -0 dpkg-query -W -f='${Status} ${Version}' clusterp
	assert_output "install ok installed $VERSION"
	# Nothing of the build tree: a bare PATH and environment.
	installed() { env -i HOME="$WORK" PATH=/usr/bin:/bin LC_ALL=C "$@"; }
	run -0 installed clusterp --version
	assert_output "clusterp $VERSION"
	run -0 installed man -w clusterp-run
	assert_output /usr/share/man/man1/clusterp-run.1.gz
	run -0 installed man -w 5 clusterp.yml
	assert_output /usr/share/man/man5/clusterp.yml.5.gz
	# bash-completion's own loader finds a tool's completion by its name.
	run -0 installed bash -c '. /usr/share/bash-completion/bash_completion; __load_completion clusterp-run && complete -p clusterp-run'
	assert_output 'complete -F _clusterp_verb clusterp-run'
	mkdir run1
	cd run1
	run -0 installed clusterp init --local -q
	grep -qx 'transport: local' config.yml
	run -0 installed clusterp run -- sleep 2
	host=$(cd parsed/cpu && ls)
	[ -s "parsed/cpu/$host" ]
	[ -s plot/cpu/utilization.eps ]
	[ "$(cut -d, -f3,4 parsed/markers.csv)" = "$(printf 'kind,label\nbegin,job\nend,job')" ]
}

@test "apt-get remove leaves nothing of the package behind (it has no conffiles: nothing is left to purge)" {
	dpkg-query -W -f='${Status}' clusterp 2>/dev/null | grep -q ' installed$' || skip "not installed (see the test before)"
	run -0 apt_get remove clusterp
	nothing_left
}

@test "apt-get purge of the installed package leaves nothing behind either" {
	[ -f "$DEB" ] || skip "no package (see the first test)"
	cp "$DEB" .
	run -0 apt_get install ./"$(basename "$DEB")"
	run -0 apt_get purge clusterp
	nothing_left
}
