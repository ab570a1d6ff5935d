#include "page/html.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace clusterp {

std::string html_escaped(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string url_path(const std::string& path) {
    static const char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        }
    }
    return out;
}

std::string shown_number(double value) {
    if (std::isnan(value)) return "";
    char text[32];
    const double size = std::fabs(value);
    const int decimals = size >= 100 ? 0 : size >= 10 ? 1 : 2;
    const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, decimals).ptr;
    return std::string(text, end);
}

std::string page_start(const std::string& title, const std::string& style) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escaped(title) +
           "</title>\n<style>\n"
           "body { font-family: sans-serif; margin: 1.5em; color: #222; }\n"
           "h1 { font-size: 1.4em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.5em; }\n"
           ".note { margin: 0.3em 0; }\n"
           ".grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 1em; }\n"
           "figure { margin: 0; border: 1px solid #ddd; padding: 0.5em; background: #fff; }\n"
           "figure img { width: 100%; height: auto; }\n"
           "figcaption { font-size: 0.9em; color: #555; }\n"
           ".scroll { overflow: auto; max-height: 40em; }\n"
           "table { border-collapse: collapse; font-size: 0.85em; }\n"
           "th, td { border: 1px solid #ddd; padding: 0.2em 0.4em; }\n"
           "td { text-align: right; font-variant-numeric: tabular-nums; }\n"
           "thead th { position: sticky; top: 0; background: #f4f4f4; }\n"
           "th[data-col] { cursor: pointer; }\n"
           "th[aria-sort=descending]::after { content: ' \\25BC'; } th[aria-sort=ascending]::after { content: ' \\25B2'; }\n" +
           style + "</style>\n</head>\n<body>\n<h1>" + html_escaped(title) + "</h1>\n";
}

std::string page_end() { return "</body>\n</html>\n"; }

const char* const k_sortable_tables_script = R"(<script>
function sortBy(th) {
  var table = th.closest('table'), body = table.tBodies[0], col = +th.dataset.col;
  var down = th.getAttribute('aria-sort') !== 'descending';
  table.querySelectorAll('th[aria-sort]').forEach(function (h) { h.removeAttribute('aria-sort'); });
  th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) {
    var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
    if (x === '' || y === '') return (x === '') - (y === '');
    var c = isNaN(x) || isNaN(y) ? x.localeCompare(y) : x - y;
    return down ? -c : c;
  });
  rows.forEach(function (r) { body.appendChild(r); });
}
document.querySelectorAll('th[data-col]').forEach(function (th) {
  th.addEventListener('click', function () { sortBy(th); });
});
</script>
)";

}  // namespace clusterp
