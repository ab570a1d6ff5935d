#include "base/read_file.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>

#include "base/diag.hpp"

namespace clusterp {

std::string read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(k_exit_no_input, "cannot open " + quoted(path) + ": " + errno_text(errno));
    const std::streamoff size = in.seekg(0, std::ios::end) ? std::streamoff(in.tellg()) : -1;
    if (size < 0) {  // a pipe: read as it comes
        in.clear();
        std::ostringstream text;
        text << in.rdbuf();
        if (in.bad()) throw Error(k_exit_io, "cannot read " + quoted(path));
        return text.str();
    }
    // A file: read at once into a string of its size (no growing, no copy).
    std::string text(std::size_t(size), '\0');
    in.seekg(0);
    in.read(text.data(), size);
    if (in.bad() || in.gcount() != size) throw Error(k_exit_io, "cannot read " + quoted(path));
    return text;
}

}  // namespace clusterp
