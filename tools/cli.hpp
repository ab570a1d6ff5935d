// Option handling shared by the clusterp-VERB tools: the only place, with the
// tools themselves, that includes cxxopts.
#pragma once

#include <cxxopts.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "base/diag.hpp"
#include "base/version.hpp"
#include "model/contract.hpp"

namespace clusterp {

// Options every tool takes: -h, --version, -c FILE (but clusterp-mark, which
// reads no config), -v, -q.
struct CommonOptions {
    std::string config_path = "config.yml";
};

class Cli {
public:
    // usage: the text after the program name in the usage line, kept equal
    // to the man page's SYNOPSIS.  takes_config: whether -c FILE is one.
    Cli(const std::string& program, const std::string& usage, const std::string& summary, bool takes_config = true)
        : m_options(program, summary), m_usage("usage: " + program + " " + usage) {
        set_program_name(program);
        m_options.add_options()
            ("h,help", "show this help and exit")
            ("version", "show the version and exit");
        if (takes_config)
            m_options.add_options()("c,config", "use FILE instead of ./config.yml", cxxopts::value<std::string>(), "FILE");
        m_options.add_options()
            ("v,verbose", "say more: every remote command and file")
            ("q,quiet", "say only errors");
    }

    cxxopts::OptionAdder add() { return m_options.add_options(); }

    void positional(const std::string& name) { m_options.parse_positional({name}); }

    // Parses argv; prints help or version and exits 0 when asked; a usage
    // mistake is an Error with exit status 64.
    cxxopts::ParseResult parse(int argc, char** argv, CommonOptions& common) {
        cxxopts::ParseResult result;
        try {
            result = m_options.parse(argc, argv);
        } catch (const cxxopts::exceptions::exception& e) {
            throw Error(k_exit_usage, plain_message(e.what()) + " (see '" + program_name() + " -h')");
        }
        if (result.count("help")) {
            std::cout << help();
            std::exit(k_exit_ok);
        }
        if (result.count("version")) {
            std::cout << program_name() << " " << k_version << "\n";
            std::exit(k_exit_ok);
        }
        if (result.count("verbose") && result.count("quiet"))
            throw Error(k_exit_usage, "-v and -q exclude each other");
        if (result.count("quiet")) set_verbosity(Verbosity::quiet);
        if (result.count("verbose")) set_verbosity(Verbosity::verbose);
        if (result.count("config")) common.config_path = result["config"].as<std::string>();
        return result;
    }

    // The usage line, then cxxopts' option table without its own usage line.
    std::string help() {
        std::istringstream table(m_options.help());
        std::string line, options;
        bool past_usage = false;
        while (std::getline(table, line)) {
            if (past_usage) options += line.erase(line.find_last_not_of(' ') + 1) + "\n";
            else if (line.rfind("Usage:", 0) == 0) { std::getline(table, line); past_usage = true; }
        }
        return m_usage + "\n" + options;
    }

private:
    // cxxopts' message in this project's style: lowercase first letter,
    // ASCII quotes (its own are U+2018/U+2019, unreadable in a C locale).
    static std::string plain_message(std::string text) {
        for (const char* curly : {"\u2018", "\u2019"})
            for (std::size_t at; (at = text.find(curly)) != std::string::npos;) text.replace(at, 3, "'");
        if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
        return text;
    }

    cxxopts::Options m_options;
    std::string m_usage;
};

// The category NAME of a --category option; a usage error naming the
// categories otherwise.
inline Category category_option(const std::string& name) {
    const std::optional<Category> category = category_from_name(name);
    if (!category) throw Error(k_exit_usage, "unknown category " + quoted(name) + " (" + category_names_text() + ")");
    return *category;
}

}  // namespace clusterp
