bats_require_minimum_version 1.5.0
# Shared set-up for the bats suites: `load ../lib/common` at the top of a
# suite (suites live in tests/fast/ and tests/cluster/, see tests/run).
# bats-support and bats-assert (Debian's packages), their files sourced
# directly: their load.bash forks a dirname per file, which under bats' traps
# cost about 0.3 s of CPU per test (bats sources this file for every test),
# more than most tests themselves.
for _file in /usr/lib/bats/bats-support/src/*.bash /usr/lib/bats/bats-assert/src/*.bash; do
	source "$_file"
done
unset _file

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The binaries under test; the sanitizer build sets CLUSTERP_BIN=build-san/bin.
BIN=${CLUSTERP_BIN:-$ROOT/build/bin}
UNIT_BIN=${CLUSTERP_UNIT_BIN:-$ROOT/build/tests}
EXPECTED=$ROOT/tests/expected
FIXTURES=$ROOT/tests/fixtures
PATH=$BIN:$PATH
export LC_ALL=C TZ=UTC
unset CLUSTERP_EXEC_PATH SLURM_JOB_NODELIST CLUSTERP_SSH_PASSWORD CLUSTERP_DIR

# golden NAME FILE: FILE must equal tests/expected/NAME (whole-file diff).
# With UPDATE_GOLDEN=1 the expected file is rewritten instead, which makes
# every golden test pass: refused when CI=true, so that CI never does it.
golden() {
	if [ "${UPDATE_GOLDEN:-}" = 1 ] && [ "${CI:-}" = true ]; then
		echo "golden: UPDATE_GOLDEN=1 is refused when CI=true (it would turn every golden test into a pass)" >&2
		return 1
	fi
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		mkdir -p "$(dirname "$EXPECTED/$1")"
		cp "$2" "$EXPECTED/$1"
	fi
	diff -u "$EXPECTED/$1" "$2"
}

# A fresh working directory per test.
cd_workdir() {
	WORK=$BATS_TEST_TMPDIR/work
	mkdir -p "$WORK"
	cd "$WORK" || return 1
}
