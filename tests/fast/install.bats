#!/usr/bin/env bats
# make install / uninstall honour PREFIX and DESTDIR.

load ../lib/common

setup() { cd_workdir; }

@test "install lays out 10 binaries, 11 man pages and the template; uninstall removes them" {
	dest=$BATS_TEST_TMPDIR/dest
	make -s -C "$ROOT" install DESTDIR="$dest" PREFIX=/usr >/dev/null
	(cd "$dest" && find . ! -type d | sort) >installed
	golden install/files.txt installed
	for tool in clusterp clusterp-init clusterp-start clusterp-stop clusterp-parse clusterp-plot clusterp-report clusterp-compare clusterp-run clusterp-mark; do
		[ -x "$dest/usr/bin/$tool" ]
	done
	# The installed dispatcher finds its verbs beside itself.
	cd "$BATS_TEST_TMPDIR"
	PATH=/usr/bin:/bin run -0 "$dest/usr/bin/clusterp" init -q
	cmp config.yml "$dest/usr/share/clusterp/config.yml"
	make -s -C "$ROOT" uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null
	run -0 find "$dest" ! -type d
	assert_output ""
}

@test "debian/changelog's newest entry is the version clusterp --version prints" {
	run -0 clusterp --version
	assert_output "clusterp $(sed -n '1s/^clusterp (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog")"
}
