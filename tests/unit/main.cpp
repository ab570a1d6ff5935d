// The main() of build/tests/unit-tests: doctest's own (options: --help).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
