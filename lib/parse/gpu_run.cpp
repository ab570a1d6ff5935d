#include "parse/gpu_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "base/atomic_file.hpp"
#include "base/diag.hpp"
#include "base/read_file.hpp"
#include "model/config.hpp"
#include "model/contract.hpp"
#include "model/csv.hpp"
#include "parse/nvidia_smi.hpp"

namespace clusterp {

namespace {

namespace fs = std::filesystem;

struct Labelled {
    GpuRow row;
    const std::string* host;
    const std::string* alias;
};

// Every row of TEXT, times less OFFSET_MS.
std::vector<GpuRow> rows_of(const std::string& text, const std::string& name, std::int64_t offset_ms) {
    NvidiaSmiParser parser(name, [](const std::string& message) { warn(message); });
    std::vector<GpuRow> rows;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        const bool complete = end != std::string::npos;
        if (!complete) end = text.size();
        if (parser.feed(std::string_view(text).substr(start, end - start), complete)) {
            rows.push_back(parser.row());
            rows.back().time_ms -= offset_ms;
        }
        start = end + 1;
    }
    if (parser.rows() == 0 && text.empty())
        throw Error(k_exit_data, clusterp::quoted(name) + " is empty");
    return rows;
}

// A row's gpu_alias: CONFIG's gpu_alias entry for it, else its model name.
std::string gpu_alias_of(const GpuRow& row, const std::string& host, const Config* config) {
    std::string alias = config ? config->gpu_alias(host, row.gpu, row.uuid, row.model) : "";
    if (alias.empty()) alias = row.model.empty() ? "GPU " + row.gpu : row.model;
    return alias;
}

void write_rows(CsvWriter& out, const std::vector<Labelled>& rows, std::int64_t t0_ms, const Config* config) {
    for (const std::string& name : header_of(Category::gpu)) out.raw(name);
    out.end_row();
    const int values = category_info(Category::gpu).value_count;
    char stamp[32];
    for (const Labelled& r : rows) {
        out.raw(std::string_view(stamp, format_iso8601(r.row.time_ms, stamp)));
        out.number(static_cast<double>(r.row.time_ms - t0_ms) / 1000.0);
        out.text(*r.host);
        out.text(*r.alias);
        out.text(r.row.gpu);
        out.text(gpu_alias_of(r.row, *r.host, config));
        for (int i = 0; i < values - 1; ++i) out.number(r.row.values[i]);
        out.text(r.row.throttle);
        out.end_row();
    }
}

}  // namespace

std::optional<std::int64_t> gpu_first_ms(const std::string& path, std::int64_t offset_ms) {
    std::vector<GpuRow> rows = rows_of(read_whole_file(path), path, offset_ms);
    if (rows.empty()) return std::nullopt;
    return std::min_element(rows.begin(), rows.end(), [](const GpuRow& a, const GpuRow& b) {
               return a.time_ms < b.time_ms;
           })->time_ms;
}

std::int64_t write_gpu_file(const std::string& path, const std::string& out_path, std::int64_t offset_ms,
                            std::int64_t t0_ms, const std::string& host, const std::string& alias,
                            const Config* config) {
    std::vector<GpuRow> rows = rows_of(read_whole_file(path), path, offset_ms);
    std::vector<Labelled> labelled;
    std::int64_t last = INT64_MIN;
    for (GpuRow& row : rows) {
        last = std::max(last, row.time_ms);
        labelled.push_back({std::move(row), &host, &alias});
    }
    std::string text;
    CsvWriter out([&](const char* data, std::size_t size) { text.append(data, size); });
    write_rows(out, labelled, t0_ms, config);
    out.flush();
    std::error_code ec;
    fs::create_directories(fs::path(out_path).parent_path(), ec);
    if (ec)
        throw Error(k_exit_cant_create,
                    "cannot create " + clusterp::quoted(fs::path(out_path).parent_path().string()) + ": " + ec.message());
    write_file_atomically(out_path, text);
    return last;
}

int gpu_stream(const std::vector<std::string>& files, const std::optional<std::string>& host,
               const std::optional<std::string>& alias, const Config* config) {
    int status = 0;
    std::vector<std::string> hosts, aliases;
    std::vector<std::vector<GpuRow>> per_file;
    for (const std::string& path : files) {
        try {
            std::string text = path == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {})
                                           : read_whole_file(path);
            per_file.push_back(rows_of(text, path, 0));
            hosts.push_back(host ? *host : path == "-" ? "stdin" : fs::path(path).filename().string());
            aliases.push_back(alias ? *alias : hosts.back());
        } catch (const Error& e) {
            print_error(e.what());
            if (!status) status = e.code();
        }
    }
    std::vector<Labelled> rows;
    for (std::size_t f = 0; f < per_file.size(); ++f)
        for (GpuRow& row : per_file[f]) rows.push_back({std::move(row), &hosts[f], &aliases[f]});
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Labelled& a, const Labelled& b) { return a.row.time_ms < b.row.time_ms; });
    std::int64_t t0 = rows.empty() ? 0 : rows.front().row.time_ms;
    CsvWriter out([](const char* data, std::size_t size) {
        if (!std::cout.write(data, static_cast<std::streamsize>(size)))
            throw Error(k_exit_io, "cannot write standard output");
    });
    write_rows(out, rows, t0, config);
    out.flush();
    std::cout.flush();
    return status;
}

}  // namespace clusterp
