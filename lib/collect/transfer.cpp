#include "collect/transfer.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "base/fd.hpp"

namespace clusterp {
namespace {

namespace fs = std::filesystem;

const std::array<std::uint32_t, 256>& crc_table() {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t r = i << 24;
            for (int bit = 0; bit < 8; ++bit) r = (r & 0x80000000u) ? (r << 1) ^ 0x04C11DB7u : r << 1;
            t[i] = r;
        }
        return t;
    }();
    return table;
}

std::uint32_t crc_step(std::uint32_t crc, unsigned char byte) {
    return (crc << 8) ^ crc_table()[((crc >> 24) ^ byte) & 0xff];
}

// The payload after the header line, as it arrives: inflated when gzip.
class Payload {
public:
    Payload(Exchange& exchange, std::string buffered, bool gzip)
        : m_exchange(exchange), m_raw(std::move(buffered)), m_gzip(gzip) {
        if (m_gzip && inflateInit2(&m_z, 16 + MAX_WBITS) != Z_OK) throw HostError("cannot start zlib");
    }
    Payload(const Payload&) = delete;
    Payload& operator=(const Payload&) = delete;
    ~Payload() {
        if (m_gzip) inflateEnd(&m_z);
    }

    // At least one more byte into m_data; false at the end of the stream.
    bool more() {
        for (;;) {
            if (m_raw.empty() && !m_ended && m_exchange.read(m_raw, 1 << 16) == 0) m_ended = true;
            if (!m_gzip) {
                if (m_raw.empty()) return false;
                m_data += m_raw;
                m_raw.clear();
                return true;
            }
            if (m_raw.empty() || m_inflated_end) {
                if (m_ended || m_inflated_end) return false;
                continue;
            }
            char out[1 << 16];
            m_z.next_in = reinterpret_cast<Bytef*>(m_raw.data());
            m_z.avail_in = static_cast<uInt>(m_raw.size());
            m_z.next_out = reinterpret_cast<Bytef*>(out);
            m_z.avail_out = sizeof out;
            int rc = inflate(&m_z, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                throw HostError("garbled stream from the node: " + std::string(m_z.msg ? m_z.msg : "zlib error"));
            m_raw.erase(0, m_raw.size() - m_z.avail_in);
            if (rc == Z_STREAM_END) m_inflated_end = true;
            std::size_t produced = sizeof out - m_z.avail_out;
            m_data.append(out, produced);
            if (produced > 0) return true;
        }
    }

    // The next line (without its newline); false at the end of the stream.
    bool line(std::string& text) {
        std::size_t newline;
        while ((newline = m_data.find('\n', m_taken)) == std::string::npos) {
            if (m_data.size() - m_taken > 4096 || !more()) return false;
        }
        text = m_data.substr(m_taken, newline - m_taken);
        m_taken = newline + 1;
        compact();
        return true;
    }

    // Up to `want` bytes of a file's body, handed to `sink`; false when the
    // stream ends first.
    template <typename Sink>
    bool body(std::uint64_t want, Sink sink) {
        while (want > 0) {
            if (m_taken == m_data.size()) {
                m_data.clear();
                m_taken = 0;
                if (!more()) return false;
            }
            std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(want, m_data.size() - m_taken));
            sink(m_data.data() + m_taken, n);
            m_taken += n;
            want -= n;
        }
        compact();
        return true;
    }

private:
    void compact() {
        if (m_taken > (1 << 16)) {
            m_data.erase(0, m_taken);
            m_taken = 0;
        }
    }

    Exchange& m_exchange;
    std::string m_raw;   // as read, not yet inflated
    std::string m_data;  // payload bytes, from m_taken on not yet used
    std::size_t m_taken = 0;
    bool m_gzip;
    bool m_ended = false;
    bool m_inflated_end = false;
    z_stream m_z{};
};

// The temporary files of one receive, removed unless committed (also by
// a process that a second ^C ends: registered).
class Temporaries {
public:
    ~Temporaries() {
        for (const auto& path : m_paths) ::unlink(path.c_str());
    }
    void add(const std::string& path) {
        m_registered.push_back(std::make_unique<RegisteredTemporary>(path));
        m_paths.push_back(path);
    }
    void release() { m_paths.clear(); }

private:
    std::vector<std::unique_ptr<RegisteredTemporary>> m_registered;
    std::vector<std::string> m_paths;
};

}  // namespace

void PosixCksum::update(const char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) m_crc = crc_step(m_crc, static_cast<unsigned char>(data[i]));
    m_length += size;
}

std::uint32_t PosixCksum::value() const {
    std::uint32_t crc = m_crc;
    for (std::uint64_t length = m_length; length > 0; length >>= 8)
        crc = crc_step(crc, static_cast<unsigned char>(length & 0xff));
    return ~crc;
}

std::vector<std::uint64_t> receive_files(Exchange& exchange, std::string buffered,
                                         const std::vector<FileTarget>& targets) {
    // The header line, unsure of its end in what the caller buffered.
    std::size_t newline;
    while ((newline = buffered.find('\n')) == std::string::npos) {
        if (buffered.size() > 4096 || exchange.read(buffered, 4096) == 0)
            throw HostError("the node sent no file stream");
    }
    const std::string header = buffered.substr(0, newline);
    if (header != "clusterp-stream gzip" && header != "clusterp-stream plain")
        throw HostError("the node sent no file stream: " + clusterp::quoted(header.substr(0, 80)));
    Payload payload(exchange, buffered.substr(newline + 1), header == "clusterp-stream gzip");

    Temporaries temporaries;
    std::vector<std::string> temporary(targets.size());
    std::vector<std::uint64_t> bytes(targets.size(), 0);
    std::vector<bool> received(targets.size(), false);
    std::string line;
    for (;;) {
        if (!payload.line(line)) throw HostError("the file stream ended early");
        if (line == "end") break;
        char name[256] = {};
        unsigned long long size = 0, sum = 0;
        const bool file = std::sscanf(line.c_str(), "file %255s %llu %llu", name, &size, &sum) == 3;
        const bool missing = !file && std::sscanf(line.c_str(), "missing %255s", name) == 1;
        auto target = std::find_if(targets.begin(), targets.end(), [&](const FileTarget& t) { return t.name == name; });
        if ((!file && !missing) || target == targets.end())
            throw HostError("garbled file stream: " + clusterp::quoted(line.substr(0, 80)));
        const std::size_t index = static_cast<std::size_t>(target - targets.begin());
        if (missing) throw HostError("remote file " + clusterp::quoted(target->name) + " is missing");

        const std::string& path = target->local_path;
        std::error_code ec;
        const fs::path parent = fs::path(path).parent_path();
        if (!parent.empty()) fs::create_directories(parent, ec);
        if (ec)
            throw Error(k_exit_cant_create,
                        "cannot create " + clusterp::quoted(fs::path(path).parent_path().string()) + ": " + ec.message());
        temporary[index] = temporary_path_for(path);
        temporaries.add(temporary[index]);
        Fd out(::open(temporary[index].c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!out)
            throw Error(k_exit_cant_create, "cannot create " + clusterp::quoted(temporary[index]) + ": " + errno_text(errno));
        PosixCksum cksum;
        const bool whole = payload.body(size, [&](const char* data, std::size_t n) {
            cksum.update(data, n);
            // PATH: the file as the user knows it (the target, not its temporary).
            if (!write_all(out.get(), data, n))
                throw Error(k_exit_io, "cannot write " + clusterp::quoted(path) + ": " + errno_text(errno));
        });
        if (!whole) throw HostError("short transfer of " + clusterp::quoted(target->name) + " (the stream ended)");
        if (cksum.value() != sum)
            throw HostError("checksum mismatch for " + clusterp::quoted(target->name) + ": the node sent " +
                            std::to_string(sum) + ", " + std::to_string(cksum.value()) + " arrived");
        bytes[index] = size;
        received[index] = true;
    }
    for (std::size_t i = 0; i < targets.size(); ++i)
        if (!received[i]) throw HostError("the node did not send " + clusterp::quoted(targets[i].name));
    for (std::size_t i = 0; i < targets.size(); ++i) commit_file(temporary[i], targets[i].local_path);
    temporaries.release();
    return bytes;
}

}  // namespace clusterp
