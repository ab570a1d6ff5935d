// lib/model/hostlist: pdsh/Slurm hostlist expansion.
#include <doctest/doctest.h>

#include "model/hostlist.hpp"

using clusterp::expand_host_file;
using clusterp::expand_hostlist;
using clusterp::HostlistError;
using Names = std::vector<std::string>;

TEST_SUITE("hostlist") {

TEST_CASE("a plain name and a comma list") {
    CHECK(expand_hostlist("n1") == Names{"n1"});
    CHECK(expand_hostlist("a,b,c") == Names{"a", "b", "c"});
}

TEST_CASE("ranges keep the zero padding of the lower bound") {
    CHECK(expand_hostlist("node[001-003]") == Names{"node001", "node002", "node003"});
    CHECK(expand_hostlist("n[08-11]") == Names{"n08", "n09", "n10", "n11"});
    CHECK(expand_hostlist("n[8-11]") == Names{"n8", "n9", "n10", "n11"});
}

TEST_CASE("several ranges and singles inside one bracket") {
    CHECK(expand_hostlist("node[01-02,05,10-11]") == Names{"node01", "node02", "node05", "node10", "node11"});
}

TEST_CASE("text after the bracket and several brackets multiply out") {
    CHECK(expand_hostlist("r[1-2]n[1-2].ib") == Names{"r1n1.ib", "r1n2.ib", "r2n1.ib", "r2n2.ib"});
}

TEST_CASE("commas inside brackets do not split the list") {
    CHECK(expand_hostlist("a[1,3],b") == Names{"a1", "a3", "b"});
}

TEST_CASE("blanks around the commas, as pdsh, nodeset and Slurm take them") {
    CHECK(expand_hostlist("n1, n2") == Names{"n1", "n2"});
    CHECK(expand_hostlist("n[1-2] ,\tlogin , x") == Names{"n1", "n2", "login", "x"});
    CHECK(expand_hostlist("  a  ") == Names{"a"});
    CHECK(expand_hostlist("a b, c") == Names{"a b", "c"});
}

TEST_CASE("malformed lists are errors") {
    for (const char* bad : {"n[1-3", "n1-3]", "n[a-b]", "n[3-1]", "a,,b", "a, ,b", ",a", "a,", " ", "n[]", "n[1-2-3]"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(expand_hostlist(bad), HostlistError);
    }
    CHECK_THROWS_WITH(expand_hostlist("n[1-3"), "unbalanced '[' in 'n[1-3'");
}

TEST_CASE("a list of a million hosts is refused") {
    CHECK_THROWS_WITH(expand_hostlist("n[1-1000000]"), "'n[1-1000000]' names too many hosts");
    CHECK(expand_hostlist("n[1-100000]").size() == clusterp::k_hostlist_max);
}

TEST_CASE("a host file: one hostlist per line, comments and blank lines skipped") {
    CHECK(expand_host_file("# rack 1\nn[1-2]\n\n  login # front end\r\nn3, n4") ==
          Names{"n1", "n2", "login", "n3", "n4"});
    CHECK(expand_host_file("# nothing\n\n").empty());
}

TEST_CASE("a mistake in a host file gives its line") {
    try {
        expand_host_file("n1\n# fine\nn[2-\n");
        FAIL("no error");
    } catch (const HostlistError& e) {
        CHECK(e.line() == 3);
        CHECK(std::string(e.what()) == "unbalanced '[' in 'n[2-'");
    }
}

}
