#include "parse/parse_run.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <utility>

#include "base/atomic_file.hpp"
#include "model/config.hpp"
#include "model/csv.hpp"
#include "parse/gpu_run.hpp"
#include "parse/line_reader.hpp"
#include "base/diag.hpp"
#include "base/fd.hpp"
#include "base/thread_pool.hpp"
#include "model/manifest.hpp"
#include "parse/parse_markers.hpp"
#include "parse/parse_processes.hpp"

namespace clusterp {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_write_buffer = 256 * 1024;

// Writes all of DATA to FD; NAME: the file as the user knows it.
void write_whole(int fd, const char* data, std::size_t size, const std::string& name) {
    if (!write_all(fd, data, size)) throw Error(k_exit_io, "cannot write " + clusterp::quoted(name) + ": " + errno_text(errno));
}

int open_input(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(k_exit_no_input, "cannot open " + clusterp::quoted(path) + ": " + errno_text(errno));
    return fd;
}

// Aliases of devices or interfaces, looked up once per name and file (a file
// names a handful), so that a row costs no allocation.
class KeyAliases {
public:
    KeyAliases(const Config* config, Category category) : m_config(config), m_category(category) {}

    std::string_view get(std::string_view key) {
        if (!m_config) return key;
        for (const auto& entry : m_cache)
            if (entry.first == key) return entry.second;
        std::string name(key);
        std::string alias = m_category == Category::disk ? m_config->device_alias(name) : m_config->iface_alias(name);
        m_cache.emplace_back(std::move(name), std::move(alias));
        return m_cache.back().second;
    }

private:
    const Config* m_config;
    Category m_category;
    std::vector<std::pair<std::string, std::string>> m_cache;
};

void write_header(CsvWriter& out, Category category) {
    for (const std::string& name : header_of(category)) out.raw(name);
    out.end_row();
}

// The ISO 8601 text of the last time written: rows of one sample (every
// device) share it.
struct Stamp {
    std::int64_t time_ms = INT64_MIN;
    char text[32];
    std::size_t size = 0;
};

void write_row(CsvWriter& out, const Row& row, std::int64_t time_ms, std::int64_t t0_ms, std::string_view host,
               std::string_view alias, KeyAliases& keys, Stamp& stamp) {
    if (time_ms != stamp.time_ms) {
        stamp.size = format_iso8601(time_ms, stamp.text);
        stamp.time_ms = time_ms;
    }
    out.raw(std::string_view(stamp.text, stamp.size));
    out.number(static_cast<double>(time_ms - t0_ms) / 1000.0);
    out.text(host);
    out.text(alias);
    const CategoryInfo& info = category_info(row.category);
    if (info.key) {
        out.text(row.key);
        out.text(keys.get(row.key));
    }
    for (int i = 0; i < info.value_count; ++i) {
        if (!row.text[i].empty()) out.raw(row.text[i]);
        else out.number(row.values[i]);
    }
    out.end_row();
}

// One input being parsed: its reader, parser and current row.
struct Input {
    // quiet: a first look that the full pass repeats, so warnings wait.
    Input(std::string name_, int fd, ParseOptions options, bool quiet = false)
        : name(std::move(name_)), file(fd == 0 ? -1 : fd), reader(fd, name),
          parser(name, options, [quiet](const std::string& message) {
              if (!quiet) warn(message);
          }),
          warned_backwards(quiet) {}

    // Moves to the next row; false at the end of the input.
    bool advance() {
        std::string_view line;
        bool complete;
        while (reader.next(line, complete))
            if (parser.feed(line, complete)) return take_row();
        if (!finished) {
            finished = true;
            if (parser.finish()) return take_row();
            if (parser.late_joins() && !file)
                warn(name + ": activities sadf prints apart (paging, swapping, network errors, pressure) came "
                            "after the rows they belong to: their columns are left empty (name the file instead "
                            "of piping it, or render them first)");
        }
        have_row = false;
        return false;
    }

    std::string name;
    Fd file;  // none for standard input, which is read but not ours to close
    LineReader reader;
    SysstatParser parser;
    bool have_row = false;
    bool finished = false;
    bool warned_backwards;
    Category first_category = Category::cpu;
    std::int64_t last_ms = 0;

private:
    bool take_row() {
        Category category = parser.row().category;
        if (have_row && category != first_category)
            throw Error(k_exit_usage, clusterp::quoted(name) + " holds several categories (" +
                                          category_names_text(parser.categories_seen()) +
                                          "): pick one with --category");
        if (!have_row && parser.rows() == 1) first_category = category;
        if (have_row && parser.row().time_ms < last_ms && !warned_backwards) {
            warn(name + ":" + std::to_string(parser.line_number()) +
                 ": time goes backwards (clock set back?); rows kept in input order");
            warned_backwards = true;
        }
        last_ms = parser.row().time_ms;
        have_row = true;
        return true;
    }
};

// A file whose joined activities come after the rows they belong to (sadf
// -d -- -A prints -n EDEV after -n DEV) is read twice: the first pass
// gathers them.  Returns the input ready for the full pass.
std::unique_ptr<Input> open_joined(const std::string& path, const ParseOptions& parse, bool quiet) {
    auto input = std::make_unique<Input>(path, open_input(path), parse, quiet);
    Input first(path, open_input(path), parse, true);
    while (first.advance()) {
    }
    if (first.parser.late_joins()) input->parser.preload_joined(first.parser);
    return input;
}


// Whether the file PATH begins like pidstat -h output (stdin: never; name
// the category to read pidstat from a pipe).
bool file_is_pidstat(const std::string& path) {
    if (path == "-") return false;
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return false;
    char head[4096];
    const ssize_t n = ::read(fd.get(), head, sizeof head);
    return n > 0 && looks_like_pidstat(std::string_view(head, std::size_t(n)));
}

// Stream mode for pidstat files: each file's rows in turn, one header.
int stream_processes(const ParseRunOptions& options, const std::optional<Config>& config) {
    int status = 0;
    CsvWriter out([](const char* data, std::size_t size) { write_whole(1, data, size, "standard output"); },
                  k_write_buffer);
    std::int64_t t0 = INT64_MAX;
    for (const auto& path : options.files) {
        try {
            if (path != "-") t0 = std::min(t0, first_process_ms(path, Fd(open_input(path)).get(), 0));
        } catch (const Error&) {
            // Reported below.
        }
    }
    if (t0 == INT64_MAX) t0 = 0;
    const std::string host = options.host.value_or("");
    const std::string alias = options.alias ? *options.alias : config && !host.empty() ? config->host_alias(host) : host;
    bool header = true;
    for (const auto& path : options.files) {
        try {
            const int fd = path == "-" ? 0 : open_input(path);
            Fd owned(fd == 0 ? -1 : fd);
            write_processes_csv(path == "-" ? "stdin" : path, fd, out, header, 0, t0, host, alias);
            header = false;
        } catch (const Error& e) {
            print_error(e.what());
            if (!status) status = e.code();
        }
    }
    out.flush();
    return status;
}

int stream_mode(const ParseRunOptions& options, const std::optional<Config>& config) {
    if (options.category == Category::gpu)
        return gpu_stream(options.files, options.host,
                          options.alias ? options.alias
                          : options.host && config ? std::optional<std::string>(config->host_alias(*options.host))
                                                    : std::nullopt,
                          config ? &*config : nullptr);
    if (options.category == Category::processes ||
        (!options.category && std::all_of(options.files.begin(), options.files.end(), file_is_pidstat)))
        return stream_processes(options, config);
    int status = 0;
    ParseOptions parse;
    parse.only = options.category;
    parse.mem_total_kib = options.mem_total_kib;
    std::vector<std::unique_ptr<Input>> inputs;
    bool stdin_used = false;
    for (const auto& path : options.files) {
        try {
            if (path == "-") {
                if (stdin_used) throw Error(k_exit_usage, "'-' (standard input) given twice");
                stdin_used = true;
                inputs.push_back(std::make_unique<Input>("-", 0, parse));
            } else {
                inputs.push_back(open_joined(path, parse, false));
            }
            if (!inputs.back()->advance()) inputs.pop_back();
        } catch (const Error& e) {
            if (e.code() == k_exit_usage) throw;
            print_error(e.what());
            if (!status) status = e.code();
            if (!inputs.empty() && inputs.back()->name == path) inputs.pop_back();
        }
    }

    std::optional<Category> category = options.category;
    for (const auto& input : inputs) {
        Category c = input->parser.row().category;
        if (category && *category != c)
            throw Error(k_exit_usage, "mixed categories: " + clusterp::quoted(inputs.front()->name) + " holds " +
                                          category_name(*category) + ", " + clusterp::quoted(input->name) + " holds " +
                                          category_name(c) + " (parse one category at a time, or use --category)");
        category = c;
    }

    CsvWriter out([](const char* data, std::size_t size) { write_whole(1, data, size, "standard output"); },
                  k_write_buffer);
    if (category) write_header(out, *category);
    std::int64_t t0 = INT64_MAX;
    for (const auto& input : inputs) t0 = std::min(t0, input->parser.row().time_ms);
    std::optional<KeyAliases> keys;
    if (category && category_info(*category).key) keys.emplace(config ? &*config : nullptr, *category);
    KeyAliases no_keys(nullptr, Category::cpu);
    std::string host, alias;
    Stamp stamp;
    while (true) {
        Input* best = nullptr;
        for (const auto& input : inputs)
            if (input->have_row && (!best || input->parser.row().time_ms < best->parser.row().time_ms))
                best = input.get();
        if (!best) break;
        const Row& row = best->parser.row();
        std::string_view row_host = options.host ? std::string_view(*options.host) : row.host;
        if (row_host != host) {
            host.assign(row_host);
            alias = options.alias ? *options.alias : config ? config->host_alias(host) : host;
        }
        write_row(out, row, row.time_ms, t0, host, alias, keys ? *keys : no_keys, stamp);
        try {
            best->advance();
        } catch (const Error& e) {
            if (e.code() == k_exit_usage) throw;
            print_error(e.what());
            if (!status) status = e.code();
            best->have_row = false;
        }
    }
    out.flush();
    return status;
}

struct Job {
    Category category;
    std::string host;
    std::string raw_path;
    std::string out_path;
    std::int64_t offset_ms = 0;
    long long mem_total_kib = 0;
    std::string alias;
    std::optional<std::int64_t> first_ms;  // corrected
    std::int64_t last_ms = INT64_MIN;      // corrected, once written
    int status = 0;
};

std::int64_t first_corrected_ms(Job& job) {
    if (job.category == Category::gpu) return gpu_first_ms(job.raw_path, job.offset_ms).value_or(INT64_MAX);
    if (job.category == Category::processes)
        return first_process_ms(job.raw_path, Fd(open_input(job.raw_path)).get(), job.offset_ms);
    ParseOptions parse;
    parse.only = job.category;
    parse.mem_total_kib = job.mem_total_kib;
    // Warnings come in the second pass, which reads the whole file.
    Input input(job.raw_path, open_input(job.raw_path), parse, true);
    // Joined activities first (clusterp-stop's files): their first record
    // is the first row's sample; no need to read on to the row.
    std::string_view line;
    bool complete;
    while (input.reader.next(line, complete)) {
        if (input.parser.feed(line, complete)) return input.parser.row().time_ms - job.offset_ms;
        if (input.parser.first_joined_ms() != INT64_MAX) return input.parser.first_joined_ms() - job.offset_ms;
    }
    if (input.parser.finish()) return input.parser.row().time_ms - job.offset_ms;
    return INT64_MAX;
}

// Returns the corrected time of the last row written (INT64_MIN: none).
std::int64_t write_job(const Job& job, std::int64_t t0, const std::optional<Config>& config) {
    if (job.category == Category::gpu)
        return write_gpu_file(job.raw_path, job.out_path, job.offset_ms, t0, job.host, job.alias,
                              config ? &*config : nullptr);
    ParseOptions parse;
    parse.only = job.category;
    parse.mem_total_kib = job.mem_total_kib;
    Input input(job.raw_path, open_input(job.raw_path), parse);
    std::error_code ec;
    fs::create_directories(fs::path(job.out_path).parent_path(), ec);
    if (ec)
        throw Error(k_exit_cant_create,
                    "cannot create " + clusterp::quoted(fs::path(job.out_path).parent_path().string()) + ": " + ec.message());
    std::string tmp = temporary_path_for(job.out_path);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(k_exit_cant_create, "cannot create " + clusterp::quoted(job.out_path) + ": " + errno_text(errno));
    Fd out_fd(fd);
    std::int64_t last_ms = INT64_MIN;
    try {
        if (job.category == Category::processes) {
            CsvWriter out([&](const char* data, std::size_t size) { write_whole(out_fd.get(), data, size, job.out_path); },
                          k_write_buffer);
            last_ms = write_processes_csv(job.raw_path, Fd(open_input(job.raw_path)).get(), out, true, job.offset_ms, t0,
                                          job.host, job.alias);
            out.flush();
        }
        KeyAliases keys(config ? &*config : nullptr, job.category);
        auto write_rows = [&](Input& from) {
            CsvWriter out([&](const char* data, std::size_t size) { write_whole(out_fd.get(), data, size, job.out_path); },
                          k_write_buffer);
            write_header(out, job.category);
            Stamp stamp;
            while (from.advance()) {
                const Row& row = from.parser.row();
                last_ms = row.time_ms - job.offset_ms;
                write_row(out, row, last_ms, t0, job.host, job.alias, keys, stamp);
            }
            out.flush();
        };
        if (job.category != Category::processes) write_rows(input);
        if (job.category != Category::processes && input.parser.late_joins()) {
            // Joined activities came after their rows (not clusterp-stop's
            // order): a second pass with them gathered, its warnings given.
            Input again(job.raw_path, open_input(job.raw_path), parse, true);
            again.parser.preload_joined(input.parser);
            if (::ftruncate(out_fd.get(), 0) != 0 || ::lseek(out_fd.get(), 0, SEEK_SET) != 0)
                throw Error(k_exit_io, "cannot write " + clusterp::quoted(job.out_path) + ": " + errno_text(errno));
            write_rows(again);
        }
        if (!out_fd.close())
            throw Error(k_exit_io, "cannot write " + clusterp::quoted(job.out_path) + ": " + errno_text(errno));
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    // Renamed without fsync (commit_file's): parsed/ is derived from raw/ and
    // made again in seconds, and a sync per file costs more than the parse.
    // Readers never see a half-written file; after a crash of the machine a
    // CSV may be short, and running parse again makes it whole.
    if (::rename(tmp.c_str(), job.out_path.c_str()) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        throw Error(k_exit_io, "cannot write " + clusterp::quoted(job.out_path) + ": " + errno_text(saved));
    }
    debug("wrote " + clusterp::quoted(job.out_path) + " (" + std::to_string(input.parser.rows()) + " rows)");
    return last_ms;
}

std::vector<std::string> directory_names(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return names;
    while (dirent* entry = ::readdir(d)) {
        std::string name = entry->d_name;
        if (name.empty() || name[0] == '.') continue;  // ., .., temporary files
        names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

int directory_mode(const ParseRunOptions& options, const std::optional<Config>& config) {
    if (options.host || options.alias)
        throw Error(k_exit_usage, "--host and --alias apply to files named on the command line");
    struct stat st;
    if (::stat("raw", &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(k_exit_no_input, "no 'raw' directory here (run 'clusterp stop' first, or name files to parse)");
    std::optional<Manifest> manifest = read_manifest(k_manifest_path);

    std::vector<Job> jobs;
    for (const CategoryInfo& info : categories()) {
        const Category category = info.category;
        if (options.category && *options.category != category) continue;
        std::string dir = std::string("raw/") + category_name(category);
        for (const auto& host : directory_names(dir)) {
            std::string path = dir + "/" + host;
            if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
            Job job;
            job.category = category;
            job.host = host;
            job.raw_path = path;
            job.out_path = std::string("parsed/") + category_name(category) + "/" + host;
            job.mem_total_kib = options.mem_total_kib;
            job.alias = host;
            if (const HostRecord* record = manifest ? manifest->find(host) : nullptr) {
                job.offset_ms = std::llround(record->clock_offset * 1000.0);
                if (record->mem_total_kib > 0) job.mem_total_kib = record->mem_total_kib;
                if (!record->alias.empty()) job.alias = record->alias;
            }
            if (config) job.alias = config->host_alias(host);
            jobs.push_back(std::move(job));
        }
    }
    if (jobs.empty()) throw Error(k_exit_no_input, "nothing to parse under 'raw/'");

    const int width = options.jobs > 0 ? options.jobs : default_width();

    parallel_for(jobs.size(), width, [&](std::size_t i) {
        try {
            std::int64_t first = first_corrected_ms(jobs[i]);
            if (first != INT64_MAX) jobs[i].first_ms = first;
        } catch (const Error&) {
            // Reported by the second pass.
        }
    });
    std::int64_t t0 = INT64_MAX;
    for (const auto& job : jobs)
        if (job.first_ms) t0 = std::min(t0, *job.first_ms);
    if (t0 == INT64_MAX) t0 = 0;

    parallel_for(jobs.size(), width, [&](std::size_t i) {
        try {
            jobs[i].last_ms = write_job(jobs[i], t0, config);
        } catch (const Error& e) {
            print_error(e.what());
            jobs[i].status = e.code();
        } catch (const std::exception& e) {
            print_error(clusterp::quoted(jobs[i].raw_path) + ": internal error: " + e.what());
            jobs[i].status = k_exit_software;
        }
    });
    int status = 0;
    std::size_t written = 0;
    std::int64_t last = t0;
    for (const auto& job : jobs) {
        if (job.status == 0) ++written;
        else if (!status) status = job.status;
        last = std::max(last, job.last_ms);
    }
    if (manifest && !options.category) write_parsed_markers(manifest->run_id, t0, last);
    inform("parsed " + std::to_string(written) + " of " + std::to_string(jobs.size()) + " files into 'parsed/'");
    return status;
}

}  // namespace

int run_parse(const ParseRunOptions& options) {
    // Every file takes its read and write buffers (256 KiB each) and its
    // joined activities anew.  glibc returns freed blocks this large to the
    // kernel (munmap, trimming the heap), so each file paid page faults for
    // fresh zeroed pages: a fifth of parse's CPU time on the bench tree.
    // Kept, the same pages serve the next file; the peak stays what one file
    // per thread needs.
    ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (options.tz) {
        ::setenv("TZ", options.tz->c_str(), 1);
    }
    ::tzset();
    std::optional<Config> config = load_optional_config(options.config_path, options.config_explicit);
    if (!config) debug("no " + clusterp::quoted(options.config_path) + ": names serve as aliases");
    if (!options.files.empty()) return stream_mode(options, config);
    return directory_mode(options, config);
}

}  // namespace clusterp
