// clusterp-report: parsed CSV -> findings (which host, resource and phase
// held the job back).
#include "cli.hpp"
#include "page/run_page.hpp"
#include "report/report_run.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-report", "[-hqv] [-c file] [--cpus N] [--no-processes] [-m markers.csv] [-f format] [file ...]",
                "Name the host, resource and phase that held the job back: parsed/ -> report/, or the given "
                "CSV files (- for stdin) -> stdout.");
        cli.add()
            ("cpus", "every host has N CPUs (default: sysstat's count, else the manifest's)", cxxopts::value<int>(), "N")
            ("no-processes", "name no processes in the findings (default: the top ones, from parsed/processes)")
            ("m,markers", "stream mode: the phases of this markers.csv", cxxopts::value<std::string>(), "FILE")
            ("f,format", "stream mode: lines (default), csv or markdown", cxxopts::value<std::string>(), "FORMAT")
            ("files", "input files", cxxopts::value<std::vector<std::string>>());
        cli.positional("files");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);

        ReportOptions options;
        options.config_path = common.config_path;
        options.config_required = args.count("config") > 0;
        if (args.count("files")) options.inputs = args["files"].as<std::vector<std::string>>();
        if (args.count("cpus")) options.cpus = args["cpus"].as<int>();
        options.processes = args.count("no-processes") == 0;
        if (args.count("cpus") && options.cpus < 1) throw Error(k_exit_usage, "--cpus wants a positive number");
        if (args.count("markers")) options.markers = args["markers"].as<std::string>();
        if (args.count("format")) {
            const std::string format = args["format"].as<std::string>();
            if (format == "csv") options.format = ReportFormat::csv;
            else if (format == "markdown") options.format = ReportFormat::markdown;
            else if (format != "lines") throw Error(k_exit_usage, "unknown format " + quoted(format) + ": lines, csv or markdown");
        }
        if (options.inputs.empty()) {
            if (args.count("markers") || args.count("format"))
                throw Error(k_exit_usage, "-m and -f need input files (stream mode); use - for stdin");
            const int status = report_directory(options);
            // The run page, when plot drew one, shows the new findings.
            write_run_page(".");
            return status;
        }
        return report_stream(options);
    });
}
