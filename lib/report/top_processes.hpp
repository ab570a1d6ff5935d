// Which process: the top processes of a host over a phase by the resource a
// finding names (cpu, memory, disk), from the processes CSV (pidstat), in
// words: "stress-ng (pid 4242) 197.0 % of 200 %".  Pure: no I/O.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace clusterp {

// One process in one sample of one host.
struct ProcessSample {
    double time = 0;  // seconds since the epoch
    long long pid = 0;
    std::string command;
    double cpu_pct = 0;  // NaN when unknown, as the others
    double rss_mib = 0;
    double io_kibps = 0;  // read + written
};

// The rows of a processes CSV (header first), added to OUT by host; returns
// what is wrong with it ("" when nothing).
std::string read_processes_csv(std::string_view text, const std::string& name,
                               std::map<std::string, std::vector<ProcessSample>>& out);

// One of a host's top processes by a resource: its measure as
// top_processes_text describes it (cpu: mean %CPU; memory: peak MiB
// resident; disk: mean KiB/s read and written).
struct RankedProcess {
    long long pid = 0;
    std::string command;  // as pidstat gave it
    double value = 0;
};

// The TOP processes of ROWS in [START, END] by RESOURCE (cpu, memory, disk),
// most first; none that used none of it.
std::vector<RankedProcess> top_processes(const std::vector<ProcessSample>& rows, const std::string& resource,
                                         double start, double end, std::size_t top);

// The header of report/processes.csv.
inline constexpr const char* k_processes_header = "host,alias,resource,rank,pid,command,value,unit";

// The whole of report/processes.csv: each host's TOP processes over the
// whole run by cpu (mean, unit "%": 100 is one CPU), memory (peak resident,
// "MiB") and disk (mean read and written, "MiB/s"), rank from 1; hosts in
// ALIASES' order (host -> alias), then the others by name; the command
// printable (printable_command).
std::string processes_csv(const std::map<std::string, std::vector<ProcessSample>>& rows,
                          const std::vector<std::pair<std::string, std::string>>& aliases, std::size_t top);

// The TOP processes of ROWS (one host's) in [START, END] by RESOURCE, most
// first, as one text ("" when none, or the resource has no measure):
//   cpu:    mean %CPU over the span's samples (absent: 0), of 100 x CPUS
//           ("spin (pid 42) 97.0 % of 200 %"; "97.0 % CPU" when CPUS is 0);
//   memory: peak resident memory ("memhog (pid 7) 104.6 MiB resident");
//   disk:   mean reads and writes ("dd (pid 9) 43.3 MiB/s read and written").
// A process that used none of it is not named.  The command is cut to 40
// bytes and made printable: a byte that is not UTF-8, or a control
// character, is written `\xNN`.
std::string top_processes_text(const std::vector<ProcessSample>& rows, const std::string& resource, double start,
                               double end, int cpus, std::size_t top);

// COMMAND as the report prints it (see top_processes_text).
std::string printable_command(std::string_view command);

}  // namespace clusterp
