// lib/model/contract: the calendar arithmetic behind the `time` column.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "model/contract.hpp"

using namespace clusterp;

TEST_SUITE("contract") {

TEST_CASE("days_from_civil: the epoch, a leap day, before the epoch") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(2024, 2, 29) - days_from_civil(2024, 2, 28) == 1);
    CHECK(days_from_civil(1969, 12, 31) == -1);
}

TEST_CASE("ISO 8601 both ways: milliseconds only when not zero") {
    char iso[32];
    CHECK(std::string(iso, format_iso8601(0, iso)) == "1970-01-01T00:00:00Z");
    CHECK(std::string(iso, format_iso8601(1795576103000, iso)) == "2026-11-25T03:08:23Z");
    CHECK(std::string(iso, format_iso8601(1795576103250, iso)) == "2026-11-25T03:08:23.250Z");
    CHECK(parse_iso8601_ms("2026-11-25T03:08:23Z") == 1795576103000);
    CHECK(parse_iso8601_ms("2026-11-25T03:08:23.250Z") == 1795576103250);
    CHECK(parse_iso8601_ms("2026-11-25T03:08:23.5Z") == 1795576103500);
    CHECK(parse_iso8601_ms("2026-11-25T03:08:23.123456789Z") == 1795576103123);
    CHECK_FALSE(parse_iso8601_ms("2026-11-25 03:08:23").has_value());
    CHECK_FALSE(parse_iso8601_ms("2026-11-25T03:08:23.Z").has_value());
    CHECK_FALSE(parse_iso8601_ms("2026-11-25T03:08:23,250Z").has_value());
    CHECK_FALSE(parse_iso8601_ms("2026-11-25T03:08:23.25xZ").has_value());
    CHECK_FALSE(parse_iso8601_ms("2026-11-25T03:08:23.1234567890Z").has_value());
}

TEST_CASE("throttle_bits: the gpu throttle column's words as bits; anything else unknown") {
    CHECK(throttle_bits("none") == 0);
    CHECK(throttle_bits("power") == k_throttle_power);
    CHECK(throttle_bits("thermal+hw_slowdown") == (k_throttle_thermal | k_throttle_hw_slowdown));
    CHECK(throttle_bits("power+thermal+hw_slowdown") == 7);
    for (const char* other : {"", "0", "0x0000000000000004", "power+", "+power", "power+idle", "None"})
        CHECK_MESSAGE(std::isnan(throttle_bits(other)), other);
}

}
