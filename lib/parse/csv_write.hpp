// RFC 4180 CSV output: comma-separated, a field quoted only when it holds a
// comma, a double quote, CR or LF (quotes doubled inside), rows ended by LF
// (as Unix tools expect; RFC 4180 readers accept it).  Numbers always use
// '.' as decimal point, whatever the locale, with at most six decimals and
// no trailing zeros; NaN is an empty field.
//
// Pure: rows are built in a buffer that is handed to a sink when it fills
// and at flush(); no allocation once the buffer has its size.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace clusterp {

class CsvWriter {
public:
    // sink(data, size) must take all of it or throw.
    explicit CsvWriter(std::function<void(const char*, std::size_t)> sink,
                       std::size_t buffer_size = 1 << 16);
    ~CsvWriter() = default;
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    void text(std::string_view value);
    // A field written as is: the caller promises it needs no quoting.
    void raw(std::string_view value);
    void number(double value);
    void end_row();
    // Hands what is buffered to the sink.
    void flush();

private:
    void separator() {
        if (m_row_started) *reserve(1) = ',', ++m_used;
        m_row_started = true;
    }
    char* reserve(std::size_t size) {
        if (m_used + size <= m_size) return m_buffer.get() + m_used;
        return reserve_slow(size);
    }
    char* reserve_slow(std::size_t size);

    std::function<void(const char*, std::size_t)> m_sink;
    // Not zeroed (parse makes one writer per file: zeroing it cost more
    // than writing a small file); only the pages written are touched.
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_size = 0;
    std::size_t m_used = 0;
    bool m_row_started = false;
};

// The number as CsvWriter writes it (tests, and callers that build text).
std::string format_number(double value);

}  // namespace clusterp
