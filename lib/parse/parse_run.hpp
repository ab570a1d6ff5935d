// clusterp-parse's two modes around the pure parser (sysstat_parse): files
// in, CSV out, in parallel across files, in constant memory per file.
//
// Directory mode (no files): every raw/<category>/<host> becomes
// parsed/<category>/<host>, written atomically, with the config's host,
// device and interface aliases (a missing ./config.yml means names serve as
// aliases) and each host's clock offset and MemTotal from .clusterp/run.json;
// `elapsed` counts from the earliest corrected first sample of all files, so
// hosts line up on one timeline; the run's markers become parsed/markers.csv
// on that timeline (parse_markers).
//
// Stream mode (files, `-` for stdin): one CSV on stdout, the files merged by
// time; all must hold one category (or --category picks it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parse/sysstat_parse.hpp"

namespace clusterp {

struct ParseRunOptions {
    std::vector<std::string> files;  // empty: directory mode
    std::string config_path = "config.yml";
    bool config_explicit = false;    // -c given: a missing file is an error
    std::optional<Category> category;
    std::optional<std::string> host;   // stream mode: overrides the input's host name
    std::optional<std::string> alias;  // stream mode: the alias of every row
    long long mem_total_kib = 0;       // 0: from the manifest or the input
    std::optional<std::string> tz;     // zone of local times; unset: $TZ
    int jobs = 0;                      // parallel files; 0: one per core
};

// Runs one parse and returns the exit status: 0; 65 when an input was not
// sysstat output (each reported, the other files still written); 64, 66,
// 73, 74 as design.md says.  Usage mistakes throw Error (64).
int run_parse(const ParseRunOptions& options);

}  // namespace clusterp
