#include "collect/remote_command.hpp"

#include <sstream>

#include "model/contract.hpp"

namespace clusterp {

namespace {

// Where distributions install sadc when `sar --sadc` is unavailable (sysstat
// before 11.1.5) or sar is not on PATH.
const char* const k_sadc_paths[] = {
    "/usr/lib/sysstat/sadc",       "/usr/lib64/sa/sadc",         "/usr/libexec/sysstat/sadc",
    "/usr/lib/sa/sadc",            "/usr/libexec/sa/sadc",       "/usr/local/lib/sa/sadc",
    "/usr/local/lib64/sa/sadc",    "/usr/local/libexec/sa/sadc", "/usr/local/lib/sysstat/sadc",
};

// What sadc collects from sysstat 12.0 on (selection by activity name):
// -u and -P (A_CPU), -q, -B, -W, -r and -S (both A_MEMORY), -d, -n DEV,
// -n EDEV; from 12.3.3 on also the pressure stall information (-q ALL),
// whose names older sadc refuses.
const char* const k_activities_12 = "A_NULL,A_CPU,A_QUEUE,A_PAGE,A_SWAP,A_MEMORY,A_DISK,A_NET_DEV,A_NET_EDEV";
const char* const k_activities_psi = "A_PSI_CPU,A_PSI_IO,A_PSI_MEM";

const char* const k_prologue = "export LC_ALL=C S_COLORS=never; umask 077; ";

// Waits in steps of 20 ms where sleep(1) takes fractions (GNU, busybox), else
// of one second; `i` counts 20 ms steps either way, so a bound of 250 is 5 s.
const char* const k_nap = "{ sleep 0.02 2>/dev/null && i=$((i+1)); } || { sleep 1; i=$((i+50)); }";

// `ours`: whether process $p still writes $f (its /proc cmdline names that
// file).  A zombie has an empty cmdline, so a dead collector whose parent
// does not reap it is not taken for a live one.
const char* const k_ours =
    "ours() { [ -r /proc/$p/cmdline ] && tr '\\000' '\\n' </proc/$p/cmdline 2>/dev/null | grep -qxF -e \"$f\"; }; ";

// `d=DIR; ` with DIR quoted.
std::string dir_assignment(const std::string& dir) { return "d=" + shell_quote(dir) + "; "; }

std::string words(const std::vector<std::string>& options) {
    std::string text;
    for (const auto& option : options) text += " " + shell_quote(option);
    return text;
}

}  // namespace

std::string shell_quote(const std::string& value) {
    std::string text = "'";
    for (char c : value) {
        if (c == '\'') text += "'\\''";
        else text += c;
    }
    return text + "'";
}

const std::vector<SadfCategory>& sadf_categories() {
    static const std::vector<SadfCategory> table = [] {
        std::vector<SadfCategory> list;
        for (const CategoryInfo& info : categories())
            list.push_back({info.name, info.sadf_options, info.sadf_fallback, info.sadf_joined});
        return list;
    }();
    return table;
}

std::string remote_sa_name() { return "run.sa"; }

std::string remote_category_name(const std::string& category) { return category + ".txt"; }

std::string start_command(const std::optional<std::string>& remote_dir, int interval) {
    std::ostringstream s;
    // A controller gone mid-command must not kill the shell at its next
    // echo (SIGPIPE): the shell lives on to roll the collector back.
    s << k_prologue << "trap '' PIPE; g=; ";
    // sar --sadc prints `Data collector found: PATH` (LC_ALL=C).
    s << "s=; p=$(sar --sadc 2>/dev/null) && s=${p##*: }; ";
    s << "for c in \"$s\" \"$(command -v sadc 2>/dev/null)\"";
    for (const char* path : k_sadc_paths) s << " " << path;
    s << "; do if [ -n \"$c\" ] && [ -f \"$c\" ] && [ -x \"$c\" ]; then s=$c; break; fi; s=; done; ";
    s << "if [ -z \"$s\" ]; then echo error=nosadc; exit 0; fi; ";
    s << "v=$(\"$s\" -V 2>&1 | head -n 1); echo \"sadc=$s\"; echo \"version=$v\"; ";
    // sysstat 12.0+ collects only what the categories need (about half the
    // CPU time and file size of the default set); older ones take the
    // default activities (which hold -q, -B, -W and -n EDEV) plus disks.
    s << "case $v in *' version '12.[0-2].*|*' version '12.3.[0-2]) a=" << k_activities_12
      << " ;; *' version '1[2-9].*|*' version '[2-9][0-9].*) a=" << k_activities_12 << ","
      << k_activities_psi << " ;; *) a=DISK ;; esac; ";
    if (!remote_dir) {
        s << "b=${TMPDIR:-/tmp}; ";
    } else if (remote_dir->rfind("~/", 0) == 0) {
        s << "b=\"$HOME\"/" << shell_quote(remote_dir->substr(2)) << "; ";
    } else {
        s << "b=" << shell_quote(*remote_dir) << "; ";
    }
    s << "echo \"base=$b\"; ";
    s << "d=$(mktemp -d \"$b/clusterp.XXXXXX\" 2>&1) || { echo error=mktemp; "
         "printf '%s\\n' \"$d\" | sed 's/^/detail=/'; exit 0; }; ";
    // sadc runs from / so that it pins no file system; a relative remote_dir
    // is taken from the login directory first.
    s << "case $d in /*) ;; *) d=$(pwd)/$d ;; esac; cd / || exit 1; echo \"dir=$d\"; f=$d/run.sa; ";
    // setsid detaches sadc from the session so that it outlives the SSH
    // channel; all three standard streams are redirected so that the channel
    // can close.
    s << "if command -v setsid >/dev/null 2>&1; then setsid \"$s\" -S \"$a\" " << interval
      << " \"$f\" </dev/null >\"$d/sadc.log\" 2>&1 & else \"$s\" -S \"$a\" " << interval
      << " \"$f\" </dev/null >\"$d/sadc.log\" 2>&1 & fi; p=$!; ";
    s << "i=0; while [ ! -s \"$f\" ] && kill -0 $p 2>/dev/null && [ $i -lt 250 ]; do " << k_nap
      << "; done; ";
    s << "if [ -s \"$f\" ] && kill -0 $p 2>/dev/null; then echo \"pid=$p\"; g=1; else "
         "kill -KILL $p 2>/dev/null; echo error=sadc; sed 's/^/detail=/' \"$d/sadc.log\"; "
         "rm -f \"$f\" \"$d/sadc.log\"; rmdir \"$d\"; fi; ";
    s << "while read -r k v r; do if [ \"$k\" = MemTotal: ]; then echo \"mem=$v\"; break; fi; done "
         "</proc/meminfo; ";
    s << "echo \"cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || "
         "grep -c '^processor' /proc/cpuinfo)\"; ";
    // The clock exchange: the node's time for each `t` line it reads
    // (bash has it without a fork).
    s << "echo clock=sync; q=; while read -r q && [ \"$q\" = t ]; do echo \"t=${EPOCHREALTIME:-$(date +%s.%N)}\"; done; ";
    // No `ok` (the controller gone before it recorded the collector, or
    // not satisfied): the collector is rolled back.
    s << "if [ -n \"$g\" ] && [ \"$q\" != ok ]; then " << k_ours << "if ours; then kill -KILL $p; fi; "
         "rm -f \"$f\" \"$d/sadc.log\"; rmdir \"$d\"; fi";
    return s.str();
}

namespace {

// The parts of stop_send_command, each after k_prologue and `d=DIR; `.
std::string stop_part(long pid) {
    std::ostringstream s;
    s << "p=" << pid << "; f=$d/run.sa; ";
    s << "if [ ! -d \"$d\" ]; then echo state=nodir; exit 0; fi; ";
    s << k_ours;
    s << "if ours; then kill -TERM $p 2>/dev/null; i=0; while ours && [ $i -lt 250 ]; do " << k_nap
      << "; done; if ours; then kill -KILL $p 2>/dev/null; echo state=killed; "
         "else echo state=stopped; fi; else echo state=dead; fi; ";
    return s.str();
}

std::string convert_part() {
    std::ostringstream s;
    s << "a=$(command -v sadf) || { echo error=nosadf; exit 0; }; ";
    for (const auto& category : sadf_categories()) {
        const std::string out = "\"$d/" + category.name + ".txt\"";
        const std::string err = "\"$d/" + category.name + ".err\"";
        s << "\"$a\" -d -U \"$f\" --" << words(category.options) << " >" << out << " 2>" << err
          << "; r=$?; ";
        if (!category.fallback.empty()) {
            s << "if [ $r -ne 0 ] && [ ! -s " << out << " ]; then \"$a\" -d -U \"$f\" --"
              << words(category.fallback) << " >" << out << " 2>" << err << "; r=$?; fi; ";
        }
        if (!category.joined.empty()) {
            // The joined activities go first (parse joins them while
            // streaming); one this sysstat lacks prints nothing.
            const std::string pre = "\"$d/" + category.name + ".pre\"";
            s << ": >" << pre << "; ";
            for (const auto& options : category.joined)
                s << "\"$a\" -d -U \"$f\" --" << words(options) << " >>" << pre << " 2>/dev/null; ";
            s << "if [ -s " << pre << " ] && [ -s " << out << " ]; then cat " << out << " >>" << pre << " && mv "
              << pre << " " << out << "; else rm -f " << pre << "; fi; ";
        }
        s << "echo \"" << category.name << "=$r $(wc -c <" << out << ")\"; ";
        s << "if [ ! -s " << out << " ]; then echo \"" << category.name << "_err=$(head -n 1 " << err
          << ")\"; fi; ";
    }
    s << "echo \"sa=$(wc -c <\"$f\")\"; ";
    return s.str();
}

// The stream of the files LIST (shell words after a blank, names inside $d).
std::string send_part(const std::string& list) {
    std::ostringstream s;
    s << "z=cat; c=plain; if gzip -c </dev/null >/dev/null 2>&1; then z='gzip -1 -c'; c=gzip; fi; "
      << "echo \"clusterp-stream $c\"; { for f in" << list << "; do p=$d/$f; "
      << "if [ -f \"$p\" ] && s=$(cksum <\"$p\"); then set -- $s; printf 'file %s %s %s\\n' \"$f\" \"$2\" \"$1\"; "
      << "cat \"$p\" || exit 1; else printf 'missing %s\\n' \"$f\"; fi; done; echo end; } </dev/null | $z";
    return s.str();
}

std::string cleanup_part() {
    std::ostringstream s;
    s << "rm -f \"$d/run.sa\" \"$d/sadc.log\"";
    for (const auto& category : sadf_categories()) {
        s << " \"$d/" << category.name << ".txt\" \"$d/" << category.name << ".err\"";
        if (!category.joined.empty()) s << " \"$d/" << category.name << ".pre\"";
    }
    s << " && rmdir \"$d\"";
    return s.str();
}

}  // namespace

std::string stop_send_command(const std::string& dir, long pid) {
    std::vector<std::string> outputs;
    for (const auto& category : sadf_categories()) outputs.push_back(remote_category_name(category.name));
    std::ostringstream s;
    s << k_prologue << dir_assignment(dir) << stop_part(pid) << "{ " << convert_part() << "} </dev/null; ";
    // Only the outputs sadf filled are sent (the reply says which), then
    // the sa file.
    s << "set --; for o in" << words(outputs) << "; do if [ -s \"$d/$o\" ]; then set -- \"$@\" \"$o\"; fi; done; "
      << "set -- \"$@\" " << shell_quote(remote_sa_name()) << "; ";
    s << send_part(" \"$@\"") << "; ";
    s << "read -r k || exit 0; [ \"$k\" = ok ] || exit 0; " << cleanup_part();
    return s.str();
}

std::string send_files_command(const std::string& dir, const std::vector<std::string>& names) {
    return k_prologue + dir_assignment(dir) + send_part(words(names));
}

Reply parse_reply(const std::string& out) {
    Reply reply;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto equals = line.find('=');
        if (equals == std::string::npos || equals == 0) continue;
        reply[line.substr(0, equals)].push_back(line.substr(equals + 1));
    }
    return reply;
}

std::string reply_value(const Reply& reply, const std::string& key) {
    auto it = reply.find(key);
    return it == reply.end() || it->second.empty() ? std::string() : it->second.front();
}

}  // namespace clusterp
