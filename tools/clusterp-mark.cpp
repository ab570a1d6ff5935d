// clusterp-mark: record a marker (a point in time, or a phase's begin or end)
// in the active run.
#include "cli.hpp"
#include "model/markers.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-mark", "[-hqv] [--begin | --end] label",
                "Record a marker in the active run: a point in time, or the begin or end of a phase.",
                false);
        cli.add()("begin", "LABEL is a phase that begins now")
            ("end", "LABEL is a phase that ends now")
            ("label", "the marker's label", cxxopts::value<std::vector<std::string>>());
        cli.positional("label");
        // Not `clusterp-mark:`: clusterp run takes output lines that begin
        // so for markers, and this program's messages reach the same output.
        set_program_name("clusterp mark");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);
        if (args.count("begin") && args.count("end")) throw Error(k_exit_usage, "--begin and --end exclude each other");
        if (!args.count("label") || args["label"].as<std::vector<std::string>>().size() != 1)
            throw Error(k_exit_usage, "give one label (see 'clusterp-mark -h')");
        Marker marker;
        marker.time_ms = marker_clock_ms();
        marker.kind = args.count("begin") ? MarkerKind::begin : args.count("end") ? MarkerKind::end : MarkerKind::point;
        marker.label = args["label"].as<std::vector<std::string>>().front();
        if (std::string problem = label_problem(marker.label); !problem.empty()) throw Error(k_exit_usage, problem);
        record_marker(marker_run_directory(), marker);
        return 0;
    });
}
