// lib/parse/csv_write: CsvWriter's quoting and numbers, format_number, and
// the input texts parse_number lets through unformatted.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "parse/csv_write.hpp"
#include "parse/sysstat_text.hpp"

using namespace clusterp;

TEST_SUITE("csv_write") {

TEST_CASE("format_number: point, at most six decimals, no trailing zeros, no -0, NaN empty") {
    CHECK(format_number(0) == "0");
    CHECK(format_number(100) == "100");
    CHECK(format_number(2.5) == "2.5");
    CHECK(format_number(-0.25) == "-0.25");
    CHECK(format_number(1.0 / 3) == "0.333333");
    CHECK(format_number(144.01953125) == "144.019531");
    CHECK(format_number(-0.0000001) == "0");
    CHECK(format_number(-0.0) == "0");
    CHECK(format_number(NAN) == "");
}

TEST_CASE("CsvWriter: fields quoted only when they must be, rows end with LF") {
    std::string out;
    {
        CsvWriter csv([&](const char* data, std::size_t size) { out.append(data, size); }, 16);
        csv.text("plain");
        csv.text("a,b");
        csv.text("say \"hi\"");
        csv.text("two\nlines");
        csv.text("");
        csv.end_row();
        csv.number(1.5);
        csv.number(NAN);
        csv.raw("raw");
        csv.end_row();
        csv.flush();
    }
    CHECK(out == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n"
                 "1.5,,raw\n");
}

TEST_CASE("CsvWriter: nothing reaches the sink before flush() while the buffer has room") {
    std::string out;
    CsvWriter csv([&](const char* data, std::size_t size) { out.append(data, size); });
    csv.text("x");
    csv.end_row();
    CHECK(out.empty());
    csv.flush();
    CHECK(out == "x\n");
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
