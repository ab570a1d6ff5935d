// lib/plot/gnuplot_script: the text of one plot's script.
#include <doctest/doctest.h>

#include <string>

#include "plot/gnuplot_script.hpp"

using namespace clusterp;

namespace {

bool has_line(const std::string& script, const std::string& line) {
    return ("\n" + script).find("\n" + line + "\n") != std::string::npos;
}

PlotSpec two_series() {
    PlotSpec spec;
    spec.title = "CPU utilization";
    spec.ylabel = "CPU utilization (%)";
    spec.column = "util_pct";
    spec.percent = true;
    spec.series.push_back({"parsed/cpu/n1", "n1", 2, true, 13, 0, 0, {}});
    spec.series.push_back({"parsed/cpu/n2", "it's n2", 2, true, 13, 0, 0, {}});
    return spec;
}

}  // namespace

TEST_SUITE("gnuplot_script") {

TEST_CASE("stream mode: one plot command, series in order, titles quoted") {
    PlotSpec spec = two_series();
    spec.outputs.push_back({PlotFormat::svg, "cpu.svg"});
    const std::string script = gnuplot_script(spec);
    CHECK(has_line(script, "set title 'CPU utilization'"));
    CHECK(has_line(script, "set yrange [-3:105<*] noextend"));
    CHECK(has_line(script, "set xlabel 'Elapsed time (s)'"));
    CHECK(has_line(script, "set output 'cpu.svg'"));
    CHECK(script.find("'parsed/cpu/n1' using 2:13 skip 1 with lines lt 1 title 'n1', \\\n"
                      "     'parsed/cpu/n2' using 2:13 skip 1 with lines lt 2 title 'it''s n2'\n") !=
          std::string::npos);
    CHECK(gnuplot_script(spec) == script);  // deterministic
}

TEST_CASE("a legend up to 64 series, none beyond, the title saying where the names are") {
    PlotSpec spec = two_series();
    spec.outputs.push_back({PlotFormat::svg, "cpu.svg"});
    while (spec.series.size() < k_max_legend) spec.series.push_back(spec.series[0]);
    std::string script = gnuplot_script(spec);
    CHECK(has_line(script, "set key outside right top vertical Left reverse samplen 3 spacing 1"));
    CHECK(has_line(script, "set title 'CPU utilization'"));
    spec.series.push_back(spec.series[0]);
    script = gnuplot_script(spec);
    CHECK(has_line(script, "set key off"));
    CHECK(has_line(script, "set title 'CPU utilization (65 series: the heatmap names them)'"));
    CHECK(script.find("set key outside") == std::string::npos);
}

TEST_CASE("terminal sizes: pixels for png and svg, 100 px per inch for eps and pdf") {
    PlotSpec spec = two_series();
    spec.width = 640;
    spec.height = 480;
    for (PlotFormat f : {PlotFormat::eps, PlotFormat::pdf, PlotFormat::png, PlotFormat::svg})
        spec.outputs.push_back({f, std::string("out.") + plot_format_name(f)});
    const std::string script = gnuplot_script(spec);
    CHECK(script.find("set terminal postscript eps color solid noenhanced size 6.4in,4.8in ") != std::string::npos);
    CHECK(script.find("set terminal pdfcairo color noenhanced size 6.4in,4.8in ") != std::string::npos);
    CHECK(script.find("set terminal pngcairo color noenhanced size 640,480 ") != std::string::npos);
    CHECK(script.find("set terminal svg noenhanced size 640,480 ") != std::string::npos);
    // One plot command, then a replot per further output.
    CHECK(script.find("\nplot") == script.rfind("\nplot"));
    CHECK(script.find("\nreplot\n") != std::string::npos);
}

TEST_CASE("default size grows with the number of series") {
    CHECK(default_plot_width(16) == 1000);
    CHECK(default_plot_height(16) == 600);
    CHECK(default_plot_width(17) == 1400);
    CHECK(default_plot_height(17) == 800);
}

TEST_CASE("directory mode: paths relative to the script's own directory") {
    PlotSpec spec = two_series();
    spec.self_name = "utilization.gp";
    spec.self_dir = "plot/cpu/";
    spec.root_from_self = "../../";
    spec.outputs.push_back({PlotFormat::png, "utilization.png"});
    const std::string script = gnuplot_script(spec);
    CHECK(has_line(script, "dir = 'plot/cpu/'"));
    CHECK(has_line(script, "root = dir.'../../'"));
    CHECK(has_line(script, "set output dir.'utilization.png'.suffix"));
    CHECK(script.find("root.'parsed/cpu/n1' using") != std::string::npos);
}

TEST_CASE("series of one file told apart by a column's value") {
    PlotSpec spec = two_series();
    spec.series.resize(1);
    spec.series[0].match = {{5, "sda"}};
    spec.outputs.push_back({PlotFormat::svg, ""});
    CHECK(gnuplot_script(spec).find("using 2:(strcol(5) eq 'sda' ? column(13) : NaN) skip 1") != std::string::npos);
}

TEST_CASE("gnuplot_quote doubles quotes and masks control characters") {
    CHECK(gnuplot_quote("a'b") == "'a''b'");
    CHECK(gnuplot_quote("a\nb\x7f") == "'a?b?'");
}

TEST_CASE("parse_plot_format takes the four extensions only") {
    CHECK(parse_plot_format("svg") == PlotFormat::svg);
    CHECK(parse_plot_format("eps") == PlotFormat::eps);
    CHECK_FALSE(parse_plot_format("jpg").has_value());
}

}
