#include "parse/line_reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/diag.hpp"

namespace clusterp {

namespace {

constexpr std::size_t k_read_buffer = 256 * 1024;

}  // namespace

LineReader::LineReader(int fd, std::string name)
    : m_fd(fd), m_name(std::move(name)), m_buffer(new char[k_read_buffer]) {}

bool LineReader::next(std::string_view& line, bool& complete) {
    while (true) {
        char* base = m_buffer.get();
        if (m_begin < m_end) {
            auto* nl = static_cast<char*>(std::memchr(base + m_begin, '\n', m_end - m_begin));
            if (nl) {
                line = std::string_view(base + m_begin, static_cast<std::size_t>(nl - (base + m_begin)));
                m_begin = static_cast<std::size_t>(nl - base) + 1;
                complete = true;
                if (m_skip_rest) {
                    m_skip_rest = false;
                    continue;
                }
                return true;
            }
        }
        if (m_eof) {
            if (m_begin >= m_end) return false;
            line = std::string_view(base + m_begin, m_end - m_begin);
            m_begin = m_end;
            complete = false;
            if (m_skip_rest) return false;
            return true;
        }
        if (m_begin > 0) {
            std::memmove(base, base + m_begin, m_end - m_begin);
            m_end -= m_begin;
            m_begin = 0;
        }
        if (m_end == k_read_buffer) {
            // A line longer than the buffer: its head goes to the parser
            // (which rejects it), the rest is dropped.
            line = std::string_view(base, m_end);
            m_begin = m_end = 0;
            m_skip_rest = true;
            complete = true;
            return true;
        }
        ssize_t n = ::read(m_fd, base + m_end, std::min(m_read_size, k_read_buffer - m_end));
        m_read_size = std::min(2 * m_read_size, k_read_buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(k_exit_io, "cannot read " + clusterp::quoted(m_name) + ": " + errno_text(errno));
        }
        if (n == 0) m_eof = true;
        m_end += static_cast<std::size_t>(n);
    }
}

}  // namespace clusterp
