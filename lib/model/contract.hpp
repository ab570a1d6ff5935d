// The data contract of clusterp-parse (design.md, "Data contract of parse"),
// written once: the categories, the columns of each with their units and
// meaning, the key column of the per-device categories, and the sadf options
// that render each category on the node.  Parse writes its headers from this
// table, plot finds categories and labels in it, collect asks sadf for what
// it lists, and tests check the man pages against it.  Also the one home of
// the calendar arithmetic behind the `time` column (ISO 8601 UTC both ways).
//
// Pure: constant tables and arithmetic, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clusterp {

// In the order every tool lists them (directories, plots, the run page).
// gpu comes from nvidia-smi (where it runs); processes from pidstat beside
// sadc (one row per process and sample, keyed by pid, with the command as
// the key's alias); the others from sadf.
enum class Category { cpu, load, memory, swap, disk, network, gpu, processes };
inline constexpr int k_category_count = 8;

// One CSV column: its name (units in the name, design.md), the unit as a
// plot label shows it ("" for counts and names) and a one-line meaning.
struct Column {
    const char* name;
    const char* unit;
    const char* meaning;
};

// The largest number of value columns of a category (Row::values of the
// parser holds that many).
inline constexpr int k_max_values = 11;

struct CategoryInfo {
    Category category;
    const char* name;
    // disk and network: one row per device, keyed by `key` (the name sysstat
    // gives it) and `key_alias` (its alias from the config); nullptr for the
    // categories with one row per sample.
    const Column* key;
    const Column* key_alias;
    const Column* values;
    int value_count;
    // The first of the trailing value columns that come from other sysstat
    // activities than the main one (value_count when none): sadf prints each
    // activity as its own block of records, which parse joins by time (and
    // device) into one row.
    int first_joined;
    // Options after `sadf -d -U FILE --` that render this category on the
    // node (empty: not rendered by sadf, gpu and processes); `sadf_fallback`
    // is tried when they fail with no output (sysstat without `-r ALL`),
    // empty when there is none.
    std::vector<std::string> sadf_options;
    std::vector<std::string> sadf_fallback;
    // The activities of the joined columns, each rendered by its own sadf
    // call and written before the main one (so that parse meets them first
    // and joins them while streaming); a call this sysstat cannot render
    // prints nothing, and those columns stay empty.
    std::vector<std::vector<std::string>> sadf_joined;
};

// Every category, in enum order.
const std::vector<CategoryInfo>& categories();
const CategoryInfo& category_info(Category category);

const char* category_name(Category category);
std::optional<Category> category_from_name(std::string_view name);
// "cpu, load, memory, swap, disk, network", or those of a set of categories
// (bit 1 << Category): for messages.
std::string category_names_text(unsigned bits = ~0u);

// time, elapsed, host, alias: the columns every CSV starts with.
inline constexpr int k_leading_count = 4;
const Column* leading_columns();

// Whether a category has one row per device (its CategoryInfo has a key).
bool per_device(Category category);
// Device and interface names that are never plotted or judged unless
// configured: loop*, ram*, lo.
bool is_pseudo_device(std::string_view name);

// The gpu `throttle` column's words (power, thermal, hw_slowdown joined by
// `+`, or none) as bits, so that it can be read with the numbers: these
// three, 0 for none, NaN for an empty field or any other text.
enum ThrottleBit { k_throttle_power = 1, k_throttle_thermal = 2, k_throttle_hw_slowdown = 4 };
double throttle_bits(std::string_view text);

// The whole header of a category's CSV, in order.
std::vector<std::string> header_of(Category category);

// The column NAME of CATEGORY (leading, key or value), or nullptr.
const Column* find_column(Category category, std::string_view name);

// The category a CSV header belongs to: among the categories whose key
// column the header holds (or that have none, when it holds no key column),
// the one with most of its value columns present, ties going to the one
// with fewest absent (a CSV from an older clusterp lacks the newest
// columns); none when it holds no value column of any.
std::optional<Category> category_of_header(const std::vector<std::string>& header);

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(int year, int month, int day);
// `2026-11-25T02:40:56Z` (with `.mmm` only when milliseconds are not zero)
// into buf; returns the length.  buf must hold 32 bytes.
std::size_t format_iso8601(std::int64_t time_ms, char* buf);
// What format_iso8601 writes -> milliseconds since the epoch:
// `YYYY-MM-DDTHH:MM:SSZ`, or with a fraction of 1 to 9 digits before the Z
// (`.500`; digits past the milliseconds dropped); nullopt for any other text.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

}  // namespace clusterp
