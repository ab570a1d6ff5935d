// clusterp-compare: what changed between two runs, per phase, host and
// resource; exits like diff: 0 no change, 1 changes, 2 trouble.
#include "cli.hpp"
#include <filesystem>

#include "page/compare_page.hpp"
#include "report/compare_run.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    const int status = run_guarded([&] {
        Cli cli("clusterp-compare", "[-hqv] [-o dir] [--ratio R] [--duration PCT] A B",
                "Say what changed from run A to run B (two run directories, or two CSV files of one category).");
        cli.add()
            ("o,output", "write changes.csv, compare.md, bands.csv and index.html into DIR (default: compare)", cxxopts::value<std::string>(), "DIR")
            ("ratio", "a measure changed when it grew or shrank R times (default 1.5)", cxxopts::value<double>(), "R")
            ("duration", "a phase's duration changed by PCT percent (default 10)", cxxopts::value<double>(), "PCT")
            ("runs", "the two runs", cxxopts::value<std::vector<std::string>>());
        cli.positional("runs");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);
        if (!args.count("runs") || args["runs"].as<std::vector<std::string>>().size() != 2)
            throw Error(k_exit_usage, "give two runs, A and B (see 'clusterp-compare -h')");
        CompareOptions options;
        options.a = args["runs"].as<std::vector<std::string>>()[0];
        options.b = args["runs"].as<std::vector<std::string>>()[1];
        options.quiet = args.count("quiet") > 0;
        if (args.count("output")) options.output = args["output"].as<std::string>();
        if (args.count("ratio")) options.settings.ratio = args["ratio"].as<double>();
        if (args.count("duration")) options.settings.duration_pct = args["duration"].as<double>();
        if (!(options.settings.ratio > 1)) throw Error(k_exit_usage, "--ratio wants a number above 1");
        if (!(options.settings.duration_pct >= 0)) throw Error(k_exit_usage, "--duration wants a percentage");
        const int result = compare_two(options);
        // Directory mode wrote changes.csv and bands.csv: the page is drawn from them.
        if (!options.quiet && std::filesystem::is_directory(options.a))
            write_compare_page(options.output, options.a, options.b);
        return result;
    });
    // Like diff and cmp: any trouble is 2, whatever its kind.
    return status <= 1 ? status : 2;
}
