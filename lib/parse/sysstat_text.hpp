// The lexical layer of the sysstat parser (parse/sysstat_parse.hpp): numbers,
// fields, times and dates as sar and sadf print them, in any locale.  Pure
// functions on views of the line; nothing allocates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace clusterp::sysstat_text {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A number as sysstat prints it: decimal point or comma, nothing else.
// `canonical` is the part of text that is the value as CsvWriter::number
// writes it (model/csv.hpp: point, no trailing zeros, no "-0", at most six
// decimals), e.g. "12.5" of "12.50"; empty when the value must be formatted
// (decimal comma, "-0.00", longer numbers).  Below 1e9 it is number()'s text
// to the byte; above, number() may be off in the last decimal and this text
// is the exact one.
bool parse_number(std::string_view text, double& value, std::string_view& canonical);
bool parse_number(std::string_view text, double& value);
bool looks_numeric(std::string_view text);

// LINE without its colour codes (ESC [ ... letter, from output captured
// through a pty), in SCRATCH when it had any; LINE itself otherwise.
std::string_view without_colours(std::string_view line, std::string& scratch);

// Splits on `sep`; returns the number of fields (may exceed max, only max
// are stored).
int split(std::string_view line, char sep, std::string_view* fields, int max);
// Splits on runs of blanks; returns the number of tokens (only max stored).
int tokenize(std::string_view line, std::string_view* tokens, int max);

// The digit runs of text (at most max, each at most 4 digits), as numbers;
// -1 when there are more or longer ones.
int digit_runs(std::string_view text, int* runs, int* widths, int max);
// A time of day as sar prints it in any locale: three digit runs
// (`03:08:23`, `02時40分56秒`), never a number.  Returns seconds or -1.
long time_of_day(std::string_view token);
// 1 for am, 2 for pm (any case, with or without dots), 0 otherwise.
int meridiem(std::string_view token);
bool valid_date(int year, int month, int day);
// A sadf -d timestamp: epoch seconds or `YYYY-MM-DD HH:MM:SS [zone]`, in
// milliseconds; `local` is true when the zone is not UTC (sadf -T/-t).
std::int64_t sadf_time_ms(std::string_view text, bool& local, bool& ok);

}  // namespace clusterp::sysstat_text
