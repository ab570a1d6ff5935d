// The gpu category's files for clusterp-parse's two modes (parse_run):
// nvidia-smi --query-gpu output (nvidia_smi) -> the contract's gpu CSV, one
// row per GPU per sample.  Files of this category are small (a few hundred
// bytes per GPU and sample) and read whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clusterp {

struct Config;

// The first sample's time in PATH, minus OFFSET_MS (the node's clock
// offset); nullopt when it holds none.  Throws Error as NvidiaSmiParser.
std::optional<std::int64_t> gpu_first_ms(const std::string& path, std::int64_t offset_ms);

// Writes PATH's rows as CSV to OUT_PATH atomically, times less OFFSET_MS,
// elapsed from T0_MS, with HOST and ALIAS, each GPU's gpu_alias from
// CONFIG's gpu_alias (Config::gpu_alias; CONFIG may be null), else its
// model name; returns the last time written (INT64_MIN: none).  Warnings
// (a cut line, MIG) on stderr.  Throws Error: 65 not nvidia-smi output,
// 66/73/74 files.
std::int64_t write_gpu_file(const std::string& path, const std::string& out_path, std::int64_t offset_ms,
                            std::int64_t t0_ms, const std::string& host, const std::string& alias,
                            const Config* config);

// Stream mode: FILES (`-`: stdin) merged by time as one CSV on stdout.
// nvidia-smi names no host: HOST, else the file's own name (raw/gpu/n1 ->
// n1; `stdin` for `-`); ALIAS, else the host.  Returns 0, or the exit status
// of the first file that failed (each reported, the others written).
// GPU aliases as write_gpu_file.
int gpu_stream(const std::vector<std::string>& files, const std::optional<std::string>& host,
               const std::optional<std::string>& alias, const Config* config);

}  // namespace clusterp
