// lib/parse/csv_write: CsvWriter's quoting and numbers, format_number.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "parse/csv_write.hpp"

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

}
