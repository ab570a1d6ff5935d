// lib/collect/ssh/openssh_config: the ProxyJump/ssh_gateway parser and the
// reading of `ssh -G` answers.
#include <doctest/doctest.h>

#include <stdexcept>

#include "collect/ssh/openssh_config.hpp"

using clusterp::ssh::ExpandContext;
using clusterp::ssh::parse_jump;
using clusterp::ssh::parse_ssh_g;

TEST_SUITE("openssh_config") {

TEST_CASE("jump: host, user@host, host:port, user@host:port") {
    auto plain = parse_jump("bastion");
    CHECK(plain.host == "bastion");
    CHECK_FALSE(plain.user);
    CHECK_FALSE(plain.port);
    auto full = parse_jump("admin@bastion.example.org:2222");
    CHECK(*full.user == "admin");
    CHECK(full.host == "bastion.example.org");
    CHECK(*full.port == 2222);
}

TEST_CASE("jump: ssh:// form and IPv6 addresses, bracketed or bare") {
    auto uri = parse_jump("ssh://carol@gw:2022");
    CHECK(*uri.user == "carol");
    CHECK(uri.host == "gw");
    CHECK(*uri.port == 2022);
    auto v6 = parse_jump("alice@[fe80::1]:2200");
    CHECK(*v6.user == "alice");
    CHECK(v6.host == "fe80::1");
    CHECK(*v6.port == 2200);
    auto bracketed = parse_jump("[::1]");
    CHECK(bracketed.host == "::1");
    CHECK_FALSE(bracketed.port);
    auto bare = parse_jump("fe80::2");
    CHECK(bare.host == "fe80::2");
    CHECK_FALSE(bare.port);
}

TEST_CASE("jump: bad ports and empty hosts are refused") {
    CHECK_THROWS_AS(parse_jump("gw:0"), std::invalid_argument);
    CHECK_THROWS_AS(parse_jump("gw:65536"), std::invalid_argument);
    CHECK_THROWS_AS(parse_jump("gw:ssh"), std::invalid_argument);
    CHECK_THROWS_AS(parse_jump("user@"), std::invalid_argument);
    CHECK_THROWS_AS(parse_jump("[fe80::1"), std::invalid_argument);
    CHECK_THROWS_AS(parse_jump("[fe80::1]2200"), std::invalid_argument);
}

TEST_CASE("ssh -G: settings read, IdentityFile tokens expanded") {
    const ExpandContext context{"/home/me", "me", "Node1"};
    auto host = parse_ssh_g("user bob\nhostname node1.example.org\nport 2022\n"
                            "identityfile ~/.ssh/id_%h_%r\nidentityfile %d/k%%%n-%u-%p-%C\n"
                            "proxyjump alice@[fe80::1]:2200\nproxycommand none\n",
                            context);
    CHECK(host.user == "bob");
    CHECK(host.host_name == "node1.example.org");
    CHECK(host.port == 2022);
    REQUIRE(host.identity_files.size() == 2);
    CHECK(host.identity_files[0] == "/home/me/.ssh/id_node1.example.org_bob");
    CHECK(host.identity_files[1] == "/home/me/k%Node1-me-2022-%C");
    CHECK(*host.proxy_jump == "alice@[fe80::1]:2200");
    CHECK_FALSE(host.proxy_command);
}

TEST_CASE("ssh -G: OpenSSH's default identity list is not an explicit one") {
    auto host = parse_ssh_g("user me\nhostname n1\nport 22\nidentityfile ~/.ssh/id_rsa\n"
                            "identityfile ~/.ssh/id_ecdsa\nidentityfile ~/.ssh/id_ecdsa_sk\n"
                            "identityfile ~/.ssh/id_ed25519\nidentityfile ~/.ssh/id_ed25519_sk\n"
                            "identityfile ~/.ssh/id_xmss\nidentityfile ~/.ssh/id_dsa\n",
                            {"/home/me", "me", "n1"});
    CHECK(host.identity_files.empty());
    CHECK_FALSE(host.proxy_jump);
}

TEST_CASE("ssh -G: several hops and ProxyCommand") {
    CHECK_THROWS_AS(parse_ssh_g("proxyjump a,b\n", {"/h", "me", "n"}), std::invalid_argument);
    CHECK(parse_ssh_g("proxycommand nc %h %p\n", {"/h", "me", "n"}).proxy_command);
    CHECK_FALSE(parse_ssh_g("proxyjump none\n", {"/h", "me", "n"}).proxy_jump);
}

}
