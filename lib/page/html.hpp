// What every page of clusterp shares (the run page and the compare page,
// page/compare_page): escaping, links to files, numbers for tables, the
// frame and style of a page, and the table that sorts by a clicked
// column.  Plain HTML and a few lines of JavaScript: no framework, no
// network, works from file:// and when the tree is copied.  Pure: builds text.
#pragma once

#include <string>

namespace clusterp {

// TEXT with & < > " ' escaped: safe in an element and in a quoted attribute.
std::string html_escaped(const std::string& text);

// A relative URL for a path whose file names may hold any character but '/'.
std::string url_path(const std::string& path);

// A number for a table: three significant digits are enough to compare; ""
// for NaN.
std::string shown_number(double value);

// The start of a page titled TITLE, its <h1> included; STYLE adds rules to
// the shared style sheet (tables, figures, grids, sortable headers).
std::string page_start(const std::string& title, const std::string& style = "");
// The end of a page.
std::string page_end();

// Makes every <th data-col="N"> sort its table's body by column N when
// clicked: numbers by value, empty cells last, a second click reverses.
// Cells carry their value in data-v.  Put once, after the tables.
extern const char* const k_sortable_tables_script;

}  // namespace clusterp
