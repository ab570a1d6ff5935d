// libFuzzer target: any bytes through the sysstat parser (or, when the first
// byte is 6 modulo 7, the pidstat parser; when it is 5 modulo 7 with bit 0x40
// set, the nvidia-smi parser) and the CSV writer, as
// clusterp-parse feeds them (lines, the last one maybe without LF).  The
// first byte picks the options.  Built and run by tests/fuzz/Makefile.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/csv.hpp"
#include "base/diag.hpp"
#include "parse/nvidia_smi.hpp"
#include "parse/pidstat_parse.hpp"
#include "parse/sysstat_parse.hpp"

using namespace clusterp;

namespace {

void fuzz_pidstat(std::string_view text) {
    std::size_t warnings = 0, written = 0;
    PidstatParser parser("fuzz", [&](const std::string& message) { warnings += message.size(); });
    CsvWriter out([&](const char*, std::size_t n) { written += n; }, 512);
    try {
        while (!text.empty()) {
            std::size_t nl = text.find('\n');
            bool complete = nl != std::string_view::npos;
            std::string_view line = text.substr(0, complete ? nl : text.size());
            text.remove_prefix(complete ? nl + 1 : text.size());
            if (!parser.feed(line, complete)) continue;
            const ProcessRow& row = parser.row();
            char stamp[32];
            out.raw(std::string_view(stamp, format_iso8601(row.time_ms, stamp)));
            out.text(row.host);
            out.number(double(row.pid));
            out.text(row.command);
            for (double v : {row.cpu_pct, row.rss_mib, row.read_kibps, row.write_kibps}) out.number(v);
            out.end_row();
        }
        parser.finish();
        out.flush();
    } catch (const Error& e) {
        if (e.code() != k_exit_data) __builtin_trap();
    }
}

void fuzz_nvidia_smi(std::string_view text) {
    std::size_t warnings = 0, written = 0;
    NvidiaSmiParser parser("fuzz", [&](const std::string& message) { warnings += message.size(); });
    CsvWriter out([&](const char*, std::size_t n) { written += n; }, 512);
    try {
        while (!text.empty()) {
            std::size_t nl = text.find('\n');
            bool complete = nl != std::string_view::npos;
            std::string_view line = text.substr(0, complete ? nl : text.size());
            text.remove_prefix(complete ? nl + 1 : text.size());
            if (!parser.feed(line, complete)) continue;
            const GpuRow& row = parser.row();
            char stamp[32];
            out.raw(std::string_view(stamp, format_iso8601(row.time_ms, stamp)));
            out.text(row.gpu);
            out.text(row.model);
            for (int i = 0; i < k_max_values - 1; ++i) out.number(row.values[i]);
            out.text(row.throttle);
            out.end_row();
        }
        out.flush();
    } catch (const Error& e) {
        if (e.code() != k_exit_data) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    if (data[0] % 7 == 5 && (data[0] & 0x40)) {
        fuzz_nvidia_smi(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
        return 0;
    }
    if (data[0] % 7 == 6) {
        fuzz_pidstat(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
        return 0;
    }
    ParseOptions options;
    const unsigned pick = data[0];
    if (pick % 7 < 5) options.only = static_cast<Category>(pick % 7);
    if (pick & 0x80) options.mem_total_kib = 24684096;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t warnings = 0;
    SysstatParser parser("fuzz", options, [&](const std::string& message) { warnings += message.size(); });
    std::size_t written = 0;
    CsvWriter out([&](const char*, std::size_t n) { written += n; }, 512);
    try {
        while (!text.empty()) {
            std::size_t nl = text.find('\n');
            bool complete = nl != std::string_view::npos;
            std::string_view line = text.substr(0, complete ? nl : text.size());
            text.remove_prefix(complete ? nl + 1 : text.size());
            if (!parser.feed(line, complete)) continue;
            const Row& row = parser.row();
            char stamp[32];
            out.raw(std::string_view(stamp, format_iso8601(row.time_ms, stamp)));
            out.text(row.host);
            out.text(row.key);
            for (int i = 0; i < category_info(row.category).value_count; ++i) {
                if (row.text[i].empty()) {
                    out.number(row.values[i]);
                    continue;
                }
                // The text must be what number() writes of its value (to
                // the byte below 1e9: sysstat_text.hpp, parse_number).
                if (std::fabs(row.values[i]) < 1e9 && std::string(row.text[i]) != format_number(row.values[i]))
                    __builtin_trap();
                out.raw(row.text[i]);
            }
            out.end_row();
        }
        parser.finish();
        out.flush();
    } catch (const Error& e) {
        if (e.code() != k_exit_data) __builtin_trap();
    }
    return 0;
}
