#include "parse/csv_write.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace clusterp {

namespace {

constexpr std::size_t k_max_number = 64;

// "00" to "99", for writing numbers two digits at a time.
struct DigitPairs {
    char text[200];
    constexpr DigitPairs() : text() {
        for (int i = 0; i < 100; ++i) {
            text[2 * i] = static_cast<char>('0' + i / 10);
            text[2 * i + 1] = static_cast<char>('0' + i % 10);
        }
    }
};
constexpr DigitPairs k_pairs;

// Fixed notation with six decimals, trailing zeros and a bare point dropped,
// and no "-0"; never looks at the locale.  Values of everyday size go through
// integer arithmetic (rounding v * 1e6 to the nearest integer, which may
// differ from exact decimal rounding by one in the sixth decimal in halfway
// cases); huge ones through to_chars.
std::size_t put_number(double value, char* out) {
    if (std::isnan(value)) return 0;
    if (!std::isfinite(value) || std::fabs(value) >= 1e12) {
        auto r = std::to_chars(out, out + k_max_number, value, std::chars_format::general, 17);
        return static_cast<std::size_t>(r.ptr - out);
    }
    double shifted = value * 1e6;
    long long scaled = static_cast<long long>(shifted < 0 ? shifted - 0.5 : shifted + 0.5);
    char* p = out;
    if (scaled < 0) {  // never "-0": a negative scaled is not zero
        *p++ = '-';
        scaled = -scaled;
    }
    auto whole = static_cast<unsigned long long>(scaled) / 1000000;
    const auto frac = static_cast<unsigned>(static_cast<unsigned long long>(scaled) % 1000000);
    // Digits two at a time, from a table (as to_chars does, without its
    // general-purpose length computation).
    char digits[24];
    char* first = digits + sizeof digits;
    while (whole >= 100) {
        first -= 2;
        std::memcpy(first, k_pairs.text + 2 * (whole % 100), 2);
        whole /= 100;
    }
    if (whole >= 10) {
        first -= 2;
        std::memcpy(first, k_pairs.text + 2 * whole, 2);
    } else {
        *--first = static_cast<char>('0' + whole);
    }
    const auto length = static_cast<std::size_t>(digits + sizeof digits - first);
    std::memcpy(p, first, length);
    p += length;
    if (frac) {
        // Six decimals, leading zeros kept, then the trailing zeros dropped.
        *p++ = '.';
        std::memcpy(p, k_pairs.text + 2 * (frac / 10000), 2);
        std::memcpy(p + 2, k_pairs.text + 2 * (frac / 100 % 100), 2);
        std::memcpy(p + 4, k_pairs.text + 2 * (frac % 100), 2);
        p += 6;
        while (p[-1] == '0') --p;
    }
    return static_cast<std::size_t>(p - out);
}

}  // namespace

CsvWriter::CsvWriter(std::function<void(const char*, std::size_t)> sink, std::size_t buffer_size)
    : m_sink(std::move(sink)), m_size(buffer_size < 256 ? 256 : buffer_size) {
    m_buffer.reset(new char[m_size]);
}

char* CsvWriter::reserve_slow(std::size_t size) {
    flush();
    if (size > m_size) {
        m_buffer.reset(new char[size]);
        m_size = size;
    }
    return m_buffer.get();
}

void CsvWriter::raw(std::string_view value) {
    separator();
    const std::size_t n = value.size();
    const char* from = value.data();
    char* out = reserve(n);
    // Fields are short: two overlapping fixed-size copies cover 4 to 16
    // bytes without a call to memcpy per field (the call cost more than
    // the copy).
    if (n >= 8 && n <= 16) {
        std::memcpy(out, from, 8);
        std::memcpy(out + n - 8, from + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        std::memcpy(out, from, 4);
        std::memcpy(out + n - 4, from + n - 4, 4);
    } else if (n > 0) {  // data() may be null when empty
        std::memcpy(out, from, n);
    }
    m_used += n;
}

void CsvWriter::text(std::string_view value) {
    bool plain = true;
    for (char c : value)
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            plain = false;
            break;
        }
    if (plain) {
        raw(value);
        return;
    }
    separator();
    char* out = reserve(2 * value.size() + 2);
    std::size_t n = 0;
    out[n++] = '"';
    for (char c : value) {
        if (c == '"') out[n++] = '"';
        out[n++] = c;
    }
    out[n++] = '"';
    m_used += n;
}

void CsvWriter::number(double value) {
    separator();
    m_used += put_number(value, reserve(k_max_number));
}

void CsvWriter::end_row() {
    *reserve(1) = '\n';
    ++m_used;
    m_row_started = false;
}

void CsvWriter::flush() {
    if (m_used == 0) return;
    std::size_t used = m_used;
    m_used = 0;
    m_sink(m_buffer.get(), used);
}

std::string format_number(double value) {
    char buf[k_max_number];
    return std::string(buf, put_number(value, buf));
}

}  // namespace clusterp
