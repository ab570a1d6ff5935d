// lib/model/names: the one check of names that become file names.
#include <doctest/doctest.h>

#include "model/names.hpp"

using clusterp::file_name_problem;
using clusterp::host_name_problem;

TEST_SUITE("names") {

TEST_CASE("file names: not empty, no '/', no leading '.', no control characters") {
    for (const char* good : {"sda", "web_1", "nvme0n1p2", "a.b", "x..y", "名前", "a b", "-x"}) {
        CAPTURE(good);
        CHECK(file_name_problem(good).empty());
    }
    CHECK(file_name_problem("") == "is empty");
    CHECK(file_name_problem("../x") == "must not contain '/'");
    CHECK(file_name_problem("mapper/root") == "must not contain '/'");
    CHECK(file_name_problem("..") == "must not start with '.'");
    CHECK(file_name_problem(".hidden") == "must not start with '.'");
    CHECK(file_name_problem("a\nb") == "must not hold control characters");
    CHECK(file_name_problem("a\x7f") == "must not hold control characters");
}

TEST_CASE("host names: names and IPv4/IPv6 addresses") {
    for (const char* good : {"n1", "node-01.cluster", "login_1", "127.0.0.1", "::1", "fe80::1"}) {
        CAPTURE(good);
        CHECK(host_name_problem(good).empty());
    }
    for (const char* bad : {"../../../escaped", "a/b", ".n1", "-oProxyCommand=x", "n 1", "n1;rm", "n\n1", "a:b/c"}) {
        CAPTURE(bad);
        CHECK(host_name_problem(bad) == "is not a host name or IP address");
    }
    CHECK(host_name_problem("") == "is empty");
    CHECK(host_name_problem(std::string(254, 'a')) == "is too long for a host name");
}

TEST_CASE("every host name accepted is also a file name") {
    for (const char* host : {"n1", "node-01.cluster", "127.0.0.1", "::1", "a_b"}) {
        CAPTURE(host);
        REQUIRE(host_name_problem(host).empty());
        CHECK(file_name_problem(host).empty());
    }
}

}
