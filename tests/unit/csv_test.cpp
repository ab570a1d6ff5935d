// lib/model/csv: the writer (quoting, numbers), the splitter, and the reader
// (lines, numbers, times, small tables, columns).
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "model/csv.hpp"

using namespace clusterp;

TEST_SUITE("csv") {

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

TEST_CASE("split_csv_line: quotes, doubled quotes, commas inside, a trailing CR") {
    CHECK(split_csv_line("a,\"b,c\",\"say \"\"hi\"\"\",\r") == std::vector<std::string>{"a", "b,c", "say \"hi\"", ""});
    CHECK(split_csv_line("") == std::vector<std::string>{""});
}

TEST_CASE("CsvLines: blank lines skipped and noted, CR dropped, quoted lines unquoted, line numbers") {
    CsvLines lines("h1,h2\r\n\r\n\"a,b\",c\nd,\n\nlast");
    REQUIRE(lines.next());
    CHECK(lines.field(1) == "h1");
    CHECK(lines.field(2) == "h2");
    CHECK(lines.field(3).empty());
    CHECK(lines.field(0).empty());
    CHECK_FALSE(lines.after_blank());
    REQUIRE(lines.next());
    CHECK(lines.line_number() == 3);
    CHECK(lines.after_blank());
    CHECK(lines.fields().size() == 2);
    CHECK(lines.field(1) == "a,b");
    CHECK(lines.line() == "\"a,b\",c");
    REQUIRE(lines.next());
    CHECK_FALSE(lines.after_blank());
    CHECK(lines.fields().size() == 2);
    CHECK(lines.field(2).empty());
    REQUIRE(lines.next());
    CHECK(lines.after_blank());
    CHECK(lines.line() == "last");
    CHECK_FALSE(lines.next());
    CHECK(csv_header("\n\nx,y\n1,2\n") == std::vector<std::string>{"x", "y"});
    CHECK(column_number({"x", "y"}, "y") == 2);
    CHECK(column_number({"x", "y"}, "z") == 0);
}

TEST_CASE("csv_number and csv_time: the contract's numbers and times, nothing else") {
    CHECK(csv_number("12") == 12);
    CHECK(csv_number("-0.25") == -0.25);
    CHECK(csv_number("1e3") == 1000);
    CHECK(csv_number("12345678901.5") == 12345678901.5);
    CHECK(std::isnan(csv_number("")));
    CHECK(std::isnan(csv_number("1,5")));
    CHECK(std::isnan(csv_number("12 ")));
    CHECK(csv_time("2026-11-25T03:07:59Z") == 1795576079.0);
    CHECK(csv_time("2026-11-25T03:07:59.500Z") == 1795576079.5);
    CHECK_FALSE(csv_time("2026-11-25 03:07:59").has_value());
    CHECK_FALSE(csv_time("").has_value());
}

TEST_CASE("csv_number: the short decimal form read as std::from_chars reads it, to the last bit") {
    unsigned seed = 11;
    auto next = [&] { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (int i = 0; i < 20000; ++i) {
        const int decimals = int(next() % 9);
        std::string text = (next() % 4 == 0 ? "-" : "") + std::to_string(next() % 100000);
        if (decimals > 0) {
            text += '.';
            for (int d = 0; d < decimals; ++d) text += char('0' + next() % 10);
        }
        double expected = 0;
        std::from_chars(text.data() + (text[0] == '-'), text.data() + text.size(), expected);
        if (text[0] == '-') expected = -expected;
        CHECK_MESSAGE(csv_number(text) == expected, text);
    }
}

TEST_CASE("read_csv_table: rows as wide as the header, fields by name") {
    const CsvTable table = read_csv_table("host,alias,max\nn1,,3\nn2,\"N,2\",4,extra\nn3\n");
    REQUIRE(table.rows.size() == 3);
    CHECK(table.get(1, "alias") == "N,2");
    CHECK(table.get(1, "max") == "4");
    CHECK(table.rows[1].size() == 3);
    CHECK(table.get(2, "max").empty());
    CHECK(table.get(0, "nothing").empty());
    CHECK(read_csv_table("").rows.empty());
}

TEST_CASE("read_columns: series per host and key, times with milliseconds, bad x rows left out") {
    const std::string text =
        "time,elapsed,host,alias,device,device_alias,util_pct\n"
        "2026-11-25T03:07:59.500Z,0,n1,N1,sda,root,10\n"
        "2026-11-25T03:07:59.500Z,0,n1,N1,sdb,,\n"
        "2026-11-25T03:07:59.500Z,0,n2,N2,sda,root,30\n"
        "2026-11-25T03:08:09.500Z,10,n1,N1,sda,root,11.5\n"
        "bad,x,n1,N1,sda,root,99\n";
    ColumnPick pick;
    pick.x = 1;
    pick.x_is_time = true;
    pick.host = 3;
    pick.alias = 4;
    pick.key = 5;
    pick.label = 6;
    pick.y = {7};
    const std::vector<ColumnData> data = read_columns(text, pick);
    REQUIRE(data.size() == 3);
    CHECK(data[0].host == "n1");
    CHECK(data[0].alias == "N1");
    CHECK(data[0].key == "sda");
    CHECK(data[0].label == "root");
    CHECK(data[0].x == std::vector<double>{1795576079.5, 1795576089.5});
    CHECK(data[0].y[0] == std::vector<double>{10, 11.5});
    CHECK(std::isnan(data[1].y[0][0]));
    CHECK(data[2].host == "n2");
    pick.x = 2;
    pick.x_is_time = false;
    pick.host = 0;
    const std::vector<PlotColumns> by_key = read_columns<float>(text, pick);
    REQUIRE(by_key.size() == 2);
    CHECK(by_key[0].x == std::vector<double>{0, 0, 10});
    pick.y_number = {[](std::string_view field) { return field == "root" ? 1.0 : 0.0; }};
    pick.y = {6};
    const std::vector<ColumnData> labels = read_columns(text, pick);
    CHECK(labels[0].y[0] == std::vector<double>{1, 1, 1});
    CHECK(labels[1].y[0] == std::vector<double>{0});
}

}
