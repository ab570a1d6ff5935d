// clusterp-plot: CSV -> gnuplot scripts -> plots.
#include "cli.hpp"
#include "page/run_page.hpp"
#include "plot/plot_run.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-plot",
                "[-hqv] [-c file] [-f format] [-j jobs] [-s WxH] [-t axis] [--all-points] [--script] [--category name] "
                "[-m column] [-o file] [--markers file] [file ...]",
                "Plot parsed CSV with gnuplot: parsed/ -> plot/, or the given files (- for stdin) -> one plot.");
        cli.add()
            ("f,format", "eps, pdf, png, svg; several with commas (default: eps,svg; stream mode: eps or the -o extension)", cxxopts::value<std::vector<std::string>>(), "FORMAT")
            ("j,jobs", "run at most N gnuplot processes at once (default: one per core)", cxxopts::value<int>(), "N")
            ("s,size", "plot size in pixels (100 per inch for eps and pdf)", cxxopts::value<std::string>(), "WxH")
            ("t,time-axis", "x axis: elapsed seconds or UTC clock time", cxxopts::value<std::string>()->default_value("elapsed"), "AXIS")
            ("all-points", "directory mode: give gnuplot every point even where the plot is too narrow to show them")
            ("script", "print the gnuplot script instead of running gnuplot (directory mode: write only the .gp files)")
            ("category", "directory mode: draw only these categories, several with commas (default: every one under parsed/): " + category_names_text(), cxxopts::value<std::vector<std::string>>(), "NAME")
            ("m,metric", "stream mode: the column to plot (default per category)", cxxopts::value<std::string>(), "COLUMN")
            ("o,output", "stream mode: write the plot to FILE (default: stdout)", cxxopts::value<std::string>(), "FILE")
            ("markers", "stream mode: draw the points and phases of a markers CSV (time,elapsed,kind,label)", cxxopts::value<std::string>(), "FILE")
            ("files", "input files", cxxopts::value<std::vector<std::string>>());
        cli.positional("files");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);

        PlotOptions options;
        options.config_path = common.config_path;
        options.config_required = args.count("config") > 0;
        if (args.count("files")) options.inputs = args["files"].as<std::vector<std::string>>();
        if (args.count("format"))
            for (const std::string& name : args["format"].as<std::vector<std::string>>()) {
                auto format = parse_plot_format(name);
                if (!format) throw Error(k_exit_usage, "unknown format " + clusterp::quoted(name) + ": eps, pdf, png or svg");
                options.formats.push_back(*format);
            }
        if (args.count("jobs")) options.jobs = args["jobs"].as<int>();
        if (options.jobs < 0) throw Error(k_exit_usage, "--jobs wants a positive number");
        if (args.count("size")) parse_plot_size(args["size"].as<std::string>(), options.width, options.height);
        const std::string axis = args["time-axis"].as<std::string>();
        if (axis != "elapsed" && axis != "clock")
            throw Error(k_exit_usage, "unknown time axis " + clusterp::quoted(axis) + ": elapsed or clock");
        options.time_axis = axis == "clock" ? TimeAxis::clock : TimeAxis::elapsed;
        options.script_only = args.count("script") > 0;
        options.all_points = args.count("all-points") > 0;
        if (args.count("metric")) options.metric = args["metric"].as<std::string>();
        if (args.count("output")) options.output = args["output"].as<std::string>();
        if (args.count("markers")) options.markers = args["markers"].as<std::string>();
        if (args.count("category"))
            for (const std::string& name : args["category"].as<std::vector<std::string>>())
                options.categories |= 1u << int(category_option(name));
        if (options.categories && !options.inputs.empty())
            throw Error(k_exit_usage, "--category is for directory mode (a file's category is its CSV header's)");
        if (options.inputs.empty()) {
            if (!options.output.empty() || !options.metric.empty() || !options.markers.empty())
                throw Error(k_exit_usage, "-o, -m and --markers need input files (stream mode; directory mode draws "
                                          "parsed/markers.csv); use - for stdin");
            const int status = plot_directory(options);
            // The run page, above plot: it shows what was drawn.
            if (draws_page_plots(options)) write_run_page(".");
            return status;
        }
        return plot_stream(options);
    });
}
