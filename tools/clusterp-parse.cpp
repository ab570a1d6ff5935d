// clusterp-parse: sysstat output -> CSV.
#include "chain.hpp"
#include "cli.hpp"
#include "parse/parse_run.hpp"

using namespace clusterp;

int main(int argc, char** argv) {
    return run_guarded([&] {
        Cli cli("clusterp-parse",
                "[-hqv] [-c file] [-j jobs] [--category name] [--host name] [--alias name] "
                "[--mem-total kib] [--tz zone] [--with-report] [--with-plot] [file ...]",
                "Parse sysstat output (sadf -d or sar text) into CSV.");
        cli.add()("category", "the category to take from input that holds several, or gpu for nvidia-smi --query-gpu output: " + category_names_text(), cxxopts::value<std::string>(), "NAME")
            ("host", "host name of the rows (files only; default: the input's)", cxxopts::value<std::string>(), "NAME")
            ("alias", "alias of the rows (files only; default: from the config)", cxxopts::value<std::string>(), "NAME")
            ("mem-total", "MemTotal in KiB, for used_mib of sysstat 11.6.4 to 12.7.7",
             cxxopts::value<long long>(), "KIB")
            ("tz", "time zone of local times in the input (default: $TZ)", cxxopts::value<std::string>(), "ZONE")
            ("j,jobs", "files parsed at once (default: one per core)", cxxopts::value<int>(), "JOBS")
            ("with-report", "run clusterp-report afterwards (directory mode)")
            ("with-plot", "run clusterp-plot afterwards (directory mode)")
            ("files", "input files", cxxopts::value<std::vector<std::string>>());
        cli.positional("files");
        CommonOptions common;
        auto args = cli.parse(argc, argv, common);
        ParseRunOptions options;
        if (args.count("files")) options.files = args["files"].as<std::vector<std::string>>();
        options.config_path = common.config_path;
        options.config_explicit = args.count("config") > 0;
        if (args.count("category")) options.category = category_option(args["category"].as<std::string>());
        if (args.count("host")) options.host = args["host"].as<std::string>();
        if (args.count("alias")) options.alias = args["alias"].as<std::string>();
        if (args.count("mem-total")) options.mem_total_kib = args["mem-total"].as<long long>();
        if (args.count("tz")) options.tz = args["tz"].as<std::string>();
        if (args.count("jobs")) options.jobs = args["jobs"].as<int>();
        const bool with_report = args.count("with-report") > 0;
        const bool with_plot = args.count("with-plot") > 0;
        if ((with_report || with_plot) && !options.files.empty())
            throw Error(k_exit_usage, std::string(with_report ? "--with-report" : "--with-plot") +
                                          " applies to directory mode (no file arguments)");
        int status = run_parse(options);
        if (status != k_exit_ok) return status;
        return run_after_parse(options.config_explicit ? std::optional(common.config_path) : std::nullopt,
                               with_report, with_plot);
    });
}
