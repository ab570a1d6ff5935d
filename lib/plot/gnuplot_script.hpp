// gnuplot script text for one plot: one line per series, every requested
// format from one script.  Pure: no I/O; the caller writes and runs it.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clusterp {

enum class PlotFormat { eps, pdf, png, svg };

// "eps" -> eps ...; nullopt for anything else.
std::optional<PlotFormat> parse_plot_format(const std::string& text);
// The file extension without its dot, also the name parse_plot_format takes.
const char* plot_format_name(PlotFormat format);

enum class TimeAxis { elapsed, clock };

// Where one series' rows are and which of them belong to it.  Columns are
// given by number (1-based, from the file's header): gnuplot finds a named
// column on every row, which costs more than reading the file.
struct SeriesSpec {
    // A file name (see PlotSpec::self_name for what it is relative to), or
    // a datablock name starting with '$' that PlotSpec::datablocks defines.
    std::string source;
    std::string title;  // legend text, shown verbatim (no enhanced-text markup)
    int x_column = 0;   // elapsed, or time for TimeAxis::clock
    bool header = true;  // false: a datablock of bare `x,y` rows
    int y_column = 0;
    // When stride > 0, only every stride-th data row from row `offset`
    // (counted from 0 after the header) belongs to the series: gnuplot skips
    // the others without evaluating them.
    std::size_t stride = 0;
    std::size_t offset = 0;
    // Otherwise, when not empty, only the rows whose field in each column
    // equals the value: the other rows are treated as missing, so the line
    // is not broken.
    std::vector<std::pair<int, std::string>> match;
};

struct Datablock {
    std::string name;     // "$data"
    std::string content;  // the CSV text, ending with a newline
};

// A marker (parsed/markers.csv) on the time axis: a point (begin == end)
// or a phase, in the axis' unit (elapsed seconds, or seconds since the epoch
// on the clock axis).
struct TimeMark {
    std::string label;
    double begin = 0;
    double end = 0;
    bool phase = false;
};

struct PlotOutput {
    PlotFormat format;
    std::string path;  // empty: stdout (stream mode only, one output)
};

struct PlotSpec {
    std::string title;
    std::string ylabel;  // with its unit: "CPU utilization (%)"
    std::string column;  // the header name of the plotted column, for readers
    bool percent = false;  // y axis from 0 to at least 100
    TimeAxis time_axis = TimeAxis::elapsed;
    int width = 0;  // pixels (vector formats: 100 px per inch); 0: chosen
    int height = 0; // from the number of series
    std::vector<SeriesSpec> series;  // drawn and listed in this order
    std::vector<PlotOutput> outputs;
    std::vector<Datablock> datablocks;
    // The clock axis reads seconds since the epoch (reduced datablocks)
    // rather than the CSV's ISO 8601 time.
    bool epoch_time = false;
    // Drawn over the plot (marks_text).
    std::vector<TimeMark> marks;
    // A bound of the values (a GPU's power limit), NaN when none: a dashed
    // line labelled LIMIT_LABEL that the y axis (a heatmap's colour bar)
    // reaches (limit_text).
    double limit = NAN;
    std::string limit_label;

    // Directory mode: the script's own file name ("utilization.gp"), its
    // directory from the working directory ("plot/cpu/") and the way back
    // ("../../").  Then sources are relative to the working directory and
    // output paths relative to the script's directory, and the script finds
    // both from ARG0, so that `gnuplot NAME.gp` works from any directory
    // (read from stdin, it assumes the working directory).  An output name
    // gets the gnuplot variable `suffix` appended when it is defined
    // (`gnuplot -e "suffix='.tmp'" NAME.gp`), for atomic replacement.
    // Empty self_name (stream mode): every path is used as given.
    std::string self_name;
    std::string self_dir;
    std::string root_from_self;
};

// A line plot of more series than this has no legend (its names would take
// the plot's width); up to it, every series has a style of its own.
constexpr std::size_t k_max_legend = 64;

// The default size in pixels for n series (larger when the legend needs
// room).
int default_plot_width(std::size_t series);
int default_plot_height(std::size_t series);

// The whole script.  Deterministic: equal specs give equal text.
std::string gnuplot_script(const PlotSpec& spec);

// Pieces that every script of a plot shares (line plots here, the views in
// plot/heatmap and plot/band):
// its first comment (title: WHAT) and, in directory mode, how it finds its
// own directory (`dir`, `root`, `suffix`), then SPEC's datablocks;
std::string script_preamble(const PlotSpec& spec, const std::string& what);
// the x axis for SPEC's time axis;
std::string time_axis_text(const PlotSpec& spec);

// The y range: from 0, and for a percentage from -3 to at least 105, so
// that a line at 0 (an idle GPU) or 100 % (a full CPU, a saturated disk) is
// drawn inside the frame, not hidden under its border; with SPEC.limit, a
// little above the limit, whose dashed line and label it draws too.
std::string yrange_text(const PlotSpec& spec);
// per output its terminal and file, PLOT_COMMAND (text ending with a
// newline) for the first and `replot` for the others, then `unset output`;
std::string outputs_text(const PlotSpec& spec, int width, int height, const std::string& plot_command);
// the `set terminal` line of a format at WIDTH x HEIGHT pixels;
std::string terminal_line(PlotFormat format, int width, int height);
// the marks of a plot HEIGHT pixels high: a phase as a labelled grey strip
// above the plot area between two solid lines across it (and shaded behind
// the data too, unless ON_IMAGE: a heatmap's cells would hide it, or the
// phase holds another: the job around its phases would shade the whole
// plot), overlapping phases in lanes one above the other; a point as one
// dashed line, labelled above the lanes and turned so that close labels do
// not overprint.  ON_IMAGE draws the lines in white over a heatmap.  Moves
// the title up and sets the top margin to make room.
std::string marks_text(const std::vector<TimeMark>& marks, bool on_image, int height);

// A number as gnuplot reads it ("NaN" for NaN): with DIGITS significant
// digits (a colour shows no more than 4), or exactly (0: times, ranges).
void append_number(std::string& out, double value, int digits = 0);

// `'text'` as a gnuplot single-quoted string (quotes doubled, control
// characters replaced by '?').
std::string gnuplot_quote(const std::string& text);

}  // namespace clusterp
