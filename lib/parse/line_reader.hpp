// Lines of a file descriptor (a raw file or standard input), through one
// fixed buffer: no allocation per line.  Does not own the descriptor.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace clusterp {

class LineReader {
public:
    // name: the input as shown in errors.
    LineReader(int fd, std::string name);

    // The next line without its LF, valid until the next call; false at the
    // end.  complete is false for a last line without LF.  A line longer
    // than the buffer (256 KiB: the longest sysstat line many times over)
    // comes as its head, which the parser rejects; the rest is dropped.
    // Throws Error (74) when the descriptor cannot be read.
    bool next(std::string_view& line, bool& complete);

private:
    int m_fd;
    std::string m_name;
    // Not zeroed: a small file touches only the pages it fills.
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_begin = 0, m_end = 0;
    // Reads start small and double: the first pass over every file (for
    // the earliest sample) needs its first lines only, and copying a whole
    // buffer's worth from the kernel was over a third of all reading.
    std::size_t m_read_size = 16 * 1024;
    bool m_eof = false;
    bool m_skip_rest = false;
};

}  // namespace clusterp
