// lib/parse/sysstat_text: the lexical layer of the sysstat parser.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "model/csv.hpp"
#include "parse/sysstat_text.hpp"

using namespace clusterp;

TEST_SUITE("sysstat_text") {

TEST_CASE("split: every field, separators anywhere in an eight-byte word, fields beyond max counted") {
    std::string_view fields[40];
    CHECK(sysstat_text::split("", ';', fields, 40) == 1);
    CHECK(fields[0].empty());
    // Lines of every length up to 40 with separators at every other third
    // position: the fields come back as the string made them.
    for (int length = 1; length <= 40; ++length) {
        std::string line;
        for (int i = 0; i < length; ++i) line += i % 3 == 2 ? ';' : static_cast<char>('a' + i % 26);
        CAPTURE(line);
        const int count = sysstat_text::split(line, ';', fields, 40);
        std::string joined;
        for (int k = 0; k < count; ++k) joined += (k ? ";" : "") + std::string(fields[k]);
        CHECK(joined == line);
        CHECK(count == 1 + length / 3);
    }
    CHECK(sysstat_text::split("h;1;2;;x;", ';', fields, 3) == 6);
    CHECK(fields[2] == "2");
    CHECK(sysstat_text::split("host;1;1795575935;-1;51.15;0.00;0.97;11.79", ';', fields, 40) == 8);
    CHECK(fields[3] == "-1");
    CHECK(fields[7] == "11.79");
}

TEST_CASE("parse_number: the canonical text is exactly what CsvWriter writes for the value") {
    struct Case {
        const char* text;
        const char* canonical;
    };
    const Case cases[] = {
        {"12.50", "12.5"},   {"0.00", "0"},      {"10.00", "10"},   {"-0.50", "-0.5"}, {"100", "100"},
        {"0.000001", "0.000001"}, {"123456789012.5", "123456789012.5"},
        {"-0.00", ""},       // "-0" is written "0"
        {"12,50", ""},       // a decimal comma is written as a point
        {"007.5", ""},       {".5", ""},         {"1.2345678", ""}, {"1234567890123", ""},
        {"1e3", ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        double value;
        std::string_view canonical;
        REQUIRE(sysstat_text::parse_number(c.text, value, canonical));
        CHECK(canonical == c.canonical);
    }
    // Every length of whole part (up to 1e9: number() rounds v * 1e6, exact
    // below 1e15) and decimals, trailing zeros or not.
    std::uint64_t seed = 12345;
    for (int i = 0; i < 200000; ++i) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        const int whole = 1 + static_cast<int>((seed >> 33) % 9), decimals = static_cast<int>((seed >> 40) % 8);
        std::string text = (seed >> 20) % 4 == 0 ? "-" : "";
        std::uint64_t digits = seed >> 3;
        for (int k = 0; k < whole + decimals; ++k, digits /= 7) {
            if (k == whole) text += '.';
            text += static_cast<char>('0' + (k == 0 && whole > 1 ? 1 + digits % 9 : digits % 10 % (k % 3 ? 10 : 1)));
        }
        CAPTURE(text);
        double value;
        std::string_view canonical;
        REQUIRE(sysstat_text::parse_number(text, value, canonical));
        if (!canonical.empty()) CHECK(canonical == format_number(value));
    }
}

}
