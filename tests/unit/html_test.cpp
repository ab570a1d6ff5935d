// lib/page/html: what every page shares: escaping, links to files, numbers
// for tables, the frame of a page.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "page/html.hpp"

using namespace clusterp;

TEST_SUITE("html") {

TEST_CASE("html_escaped: markup and both quotes, nothing else") {
    CHECK(html_escaped("a<b>&\"c'd") == "a&lt;b&gt;&amp;&quot;c&#39;d");
    CHECK(html_escaped("plain text, 100 %") == "plain text, 100 %");
}

TEST_CASE("url_path: any byte of a file name but '/' made safe for a relative URL") {
    CHECK(url_path("disk/sda_read.svg") == "disk/sda_read.svg");
    CHECK(url_path("disk/a b#?\"'.svg") == "disk/a%20b%23%3F%22%27.svg");
    CHECK(url_path("x/\xc3\xa9.svg") == "x/%C3%A9.svg");
}

TEST_CASE("shown_number: about three significant digits, empty for NaN") {
    CHECK(shown_number(123.456) == "123");
    CHECK(shown_number(12.345) == "12.3");
    CHECK(shown_number(1.2345) == "1.23");
    CHECK(shown_number(-0.5) == "-0.50");
    CHECK(shown_number(NAN).empty());
}

TEST_CASE("page_start and page_end: one escaped title, the page's own style after the shared one") {
    const std::string page = page_start("run <1>", "td.worst { color: red; }\n") + page_end();
    CHECK(page.find("<title>run &lt;1&gt;</title>") != std::string::npos);
    CHECK(page.find("<h1>run &lt;1&gt;</h1>") != std::string::npos);
    CHECK(page.find("td.worst { color: red; }\n</style>") != std::string::npos);
    CHECK(page.rfind("</body>\n</html>\n") == page.size() - 16);
}

}
