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
    "ours() { [ -r /proc/$p/cmdline ] && tr '\\000' '\\n' 2>/dev/null </proc/$p/cmdline | grep -qxF -e \"$f\"; }; ";

// The side collectors' shell text.  `probe` runs in start's command once
// sadc runs: it sets `w` to why the node cannot run the collector (it is
// then left out) or `e` to what is wrong with it (an error), else leaves
// both empty and may set variables that `command` uses.  `command` is
// started from / with TZ=UTC, stdin /dev/null, stdout DIR/<category>.txt.
// Its first line when all is well matches the case pattern `ready`; one
// that prints anything else is ended, and left out quietly when that line
// matches `absent` (no device), else reported; `absent_why` is shell text
// appended to that line (inside double quotes) to say why.
struct SideText {
    SideCollector info;
    std::string probe;
    std::string (*command)(int interval);
    const char* ready;
    const char* absent;
    const char* absent_why;
};

// A Slurm step sees only the GPUs it was given where the site constrains
// devices (cgroup.conf ConstrainDevices=yes); the step holding the
// collectors has the job's (slurm_transport.hpp), so a GPU node shows it
// none when the job has none.  Said where it may be the cause (in a Slurm
// step).  No quote inside: bash, unlike dash, pairs quotes within a
// ${...} inside double quotes.
const char* const k_gpu_absent_why =
    "${SLURM_STEP_ID:+ (Slurm step $SLURM_JOB_ID.$SLURM_STEP_ID holds these GPUs of the job: ${SLURM_STEP_GPUS:-none}; "
    "where cgroup.conf has ConstrainDevices=yes a step sees only those)}";

// The nvidia-smi fields asked for, each with the older or newer names a
// driver may know it by instead, best first (drivers rename fields:
// clocks_throttle_reasons.* became clocks_event_reasons.*).  The node keeps,
// of each, the first name its `nvidia-smi --help-query-gpu` lists (with
// quotes, as it writes every name); a field no name of which it lists is
// left out, and parse leaves its column empty.
const std::vector<std::vector<const char*>> k_gpu_fields = {
    {"timestamp"},
    {"index"},
    {"uuid"},
    {"name"},
    {"utilization.gpu"},
    {"utilization.memory"},
    {"memory.used"},
    {"memory.total"},
    {"power.draw"},
    {"enforced.power.limit", "power.limit"},
    {"temperature.gpu"},
    {"clocks.current.sm", "clocks.sm"},
    {"clocks.max.sm"},
    {"clocks_event_reasons.active", "clocks_throttle_reasons.active"},
    {"pcie.link.gen.gpucurrent", "pcie.link.gen.current"},
    {"pcie.link.width.current"},
    {"mig.mode.current"},
};

std::string gpu_probe() {
    std::ostringstream s;
    s << "if ! command -v nvidia-smi >/dev/null 2>&1; then w='nvidia-smi not found'; else ";
    // A driver in trouble can hang nvidia-smi: bounded where timeout exists.
    s << "t=; if command -v timeout >/dev/null 2>&1; then t='timeout 10'; fi; "
         "h=$($t nvidia-smi --help-query-gpu 2>&1 </dev/null); u=; ";
    for (const auto& names : k_gpu_fields) {
        s << "case $h in";
        for (const char* name : names) s << " *'\"" << name << "\"'*) u=$u," << name << " ;;";
        s << " esac; ";
    }
    s << "u=${u#,}; case ,$u, in *,utilization.gpu,*) ;; *) e=\"nvidia-smi --help-query-gpu lists no "
         "utilization.gpu: $(printf '%s\\n' \"${h:-nothing}\" | head -n 1)\" ;; esac; fi; ";
    return s.str();
}

std::string gpu_command(int interval) {
    return "nvidia-smi --query-gpu=\"$u\" --format=csv,nounits -lms " + std::to_string(interval * 1000);
}

// pidstat -h (one line per process and interval; active processes only,
// the cheap choice: bench/20), -H epoch stamps where this sysstat has them
// (10.x prints epoch stamps with -h already and knows no -H), CPU, memory
// and I/O, and each command line (-l: what `exec -a` names, where the
// command's name would say `sh` or `python3`; parse keeps its first line,
// the report its first 40 bytes).
const char* const k_processes_probe =
    "if ! command -v pidstat >/dev/null 2>&1; then w='pidstat not found'; else "
    "case $(pidstat -V 2>&1 </dev/null) in *' version '[0-9].*|*' version '10.*) h= ;; *) h=-H ;; esac; fi; ";

std::string processes_command(int interval) { return "pidstat -h $h -l -u -r -d " + std::to_string(interval); }

const std::vector<SideText>& side_texts() {
    static const std::vector<SideText> table = {
        {{"gpu", "nvidia-smi"}, gpu_probe(), gpu_command, "timestamp*", "*'No devices were found'*", k_gpu_absent_why},
        // Ready once it prints its banner; it has no "absent" answer.
        {{"processes", "pidstat"}, k_processes_probe, processes_command, "Linux*", "'pidstat not found'", ""},
    };
    return table;
}

const SideText* side_text(const std::string& category) {
    for (const auto& side : side_texts())
        if (side.info.category == category) return &side;
    return nullptr;
}

// `alive`: whether process $x exists and is no zombie (the shell may not
// have reaped its own child yet); `sours`: and still writes $o on its
// stdout, i.e. is our side collector (test -ef compares device and inode,
// through /proc's link to the open file).  Builtins only.
const char* const k_side_ours =
    "alive() { [ -r /proc/$x/status ] || return 1; sv=; while read -r sk sv sr; do [ \"$sk\" = State: ] && break; "
    "sv=; done </proc/$x/status; [ -n \"$sv\" ] && [ \"$sv\" != Z ]; }; "
    "sours() { alive && [ /proc/$x/fd/1 -ef \"$o\" ]; }; ";

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
            if (!info.sadf_options.empty())  // gpu, processes: not sadf's
                list.push_back({info.name, info.sadf_options, info.sadf_fallback, info.sadf_joined});
        return list;
    }();
    return table;
}

const std::vector<SideCollector>& side_collectors() {
    static const std::vector<SideCollector> table = [] {
        std::vector<SideCollector> list;
        for (const auto& side : side_texts()) list.push_back(side.info);
        return list;
    }();
    return table;
}

std::string remote_sa_name() { return "run.sa"; }

std::string remote_category_name(const std::string& category) { return category + ".txt"; }

namespace {

// Start's part for the side collectors SIDE, once sadc runs ($g set):
// each probed, started, and given up to 2 s to print or fail; its pid kept
// in y_CATEGORY for the rollback.  HOLD: started as the shell's children.
std::string side_start_part(const std::vector<std::string>& side, int interval, bool hold) {
    std::ostringstream s;
    s << k_side_ours;
    for (const auto& category : side) {
        const SideText* text = side_text(category);
        if (!text) continue;
        const std::string o = "\"$d/" + category + ".txt\"", l = "\"$d/" + category + ".log\"";
        const std::string command = text->command(interval);
        s << "w=; e=; " << text->probe;
        s << "if [ -n \"$w\" ]; then echo \"" << category << "_skip=$w\"; elif [ -n \"$e\" ]; then echo \"" << category
          << "_error=$e\"; else o=" << o << "; ";
        const std::string start = "TZ=UTC " + command + " </dev/null >" + o + " 2>" + l + " &";
        if (hold) s << start << " x=$!; ";
        else s << "if command -v setsid >/dev/null 2>&1; then TZ=UTC setsid " << command << " </dev/null >" << o
               << " 2>" << l << " & else " << start << " fi; x=$!; ";
        s << "i=0; while [ ! -s \"$o\" ] && alive && [ $i -lt 100 ]; do " << k_nap << "; done; ";
        // Running: it printed what it prints when all is well, or nothing
        // yet (a buffered stdout).  Else its complaint (stdout's first line,
        // nvidia-smi prints its errors there, else stderr's): once it has
        // ended, or ended by us.
        s << "m=$(head -n 1 " << o << "); case $m in '') r=1 ;; " << text->ready << ") r=1 ;; *) r= ;; esac; ";
        s << "if [ -n \"$r\" ] && alive; then echo \"" << category << "_pid=$x\"; y_" << category << "=$x; else ";
        s << "i=0; while alive && [ $i -lt 50 ]; do " << k_nap << "; done; if sours; then kill -KILL $x; fi; ";
        s << "[ -n \"$m\" ] || m=$(head -n 1 " << l << "); rm -f " << o << " " << l << "; case $m in "
          << text->absent << ") echo \"" << category << "_skip=$m" << text->absent_why << "\" ;; *) echo \"" << category
          << "_error=${m:-it ended at once, saying nothing}\" ;; esac; fi; fi; ";
    }
    return s.str();
}

// The rollback of the side collectors started (y_CATEGORY set).
std::string side_rollback_part(const std::vector<std::string>& side) {
    std::ostringstream s;
    for (const auto& category : side) {
        if (!side_text(category)) continue;
        s << "if [ -n \"$y_" << category << "\" ]; then x=$y_" << category << "; o=\"$d/" << category
          << ".txt\"; if sours; then kill -KILL $x; fi; rm -f \"$o\" \"$d/" << category << ".log\"; fi; ";
    }
    return s.str();
}

}  // namespace

std::string start_command(const std::optional<std::string>& remote_dir, int interval,
                          const std::vector<std::string>& side, bool hold) {
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
    // can close.  Held, it stays this shell's child instead.
    const std::string sadc = "\"$s\" -S \"$a\" " + std::to_string(interval) + " \"$f\" </dev/null >\"$d/sadc.log\" 2>&1 &";
    if (hold) s << sadc << " p=$!; ";
    else s << "if command -v setsid >/dev/null 2>&1; then setsid " << sadc << " else " << sadc << " fi; p=$!; ";
    s << "i=0; while [ ! -s \"$f\" ] && kill -0 $p 2>/dev/null && [ $i -lt 250 ]; do " << k_nap
      << "; done; ";
    s << "if [ -s \"$f\" ] && kill -0 $p 2>/dev/null; then echo \"pid=$p\"; g=1; else "
         "kill -KILL $p 2>/dev/null; echo error=sadc; sed 's/^/detail=/' \"$d/sadc.log\"; "
         "rm -f \"$f\" \"$d/sadc.log\"; rmdir \"$d\"; fi; ";
    if (!side.empty()) s << "if [ -n \"$g\" ]; then " << side_start_part(side, interval, hold) << "fi; ";
    s << "while read -r k v r; do if [ \"$k\" = MemTotal: ]; then echo \"mem=$v\"; break; fi; done "
         "</proc/meminfo; ";
    s << "echo \"cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || "
         "grep -c '^processor' /proc/cpuinfo)\"; ";
    // The clock exchange: the node's time for each `t` line it reads
    // (bash has it without a fork).
    s << "echo clock=sync; q=; while read -r q && [ \"$q\" = t ]; do echo \"t=${EPOCHREALTIME:-$(date +%s.%N)}\"; done; ";
    // No `ok` (the controller gone before it recorded the collector, or
    // not satisfied): the collector is rolled back.
    s << "if [ -n \"$g\" ] && [ \"$q\" != ok ]; then " << side_rollback_part(side) << k_ours
      << "if ours; then kill -KILL $p; fi; rm -f \"$f\" \"$d/sadc.log\"; rmdir \"$d\"; fi";
    // Held: the command says so, lets go of its streams and lives as long
    // as its collectors.
    if (hold) s << "; if [ -n \"$g\" ] && [ \"$q\" = ok ]; then echo held; exec </dev/null >/dev/null 2>&1; wait; fi";
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

// Stops the side collectors SIDE, each if it still writes its file.
std::string side_stop_part(const std::vector<SideRecord>& side) {
    std::ostringstream s;
    if (side.empty()) return "";
    s << k_side_ours;
    for (const auto& record : side) {
        if (!side_text(record.category)) continue;
        s << "x=" << record.pid << "; o=\"$d/" << record.category << ".txt\"; ";
        s << "if sours; then kill -TERM $x 2>/dev/null; i=0; while sours && [ $i -lt 250 ]; do " << k_nap
          << "; done; if sours; then kill -KILL $x 2>/dev/null; t=killed; else t=stopped; fi; else t=dead; fi; ";
        s << "if [ -f \"$o\" ]; then n=$(wc -c <\"$o\"); else n=0; fi; echo \"" << record.category << "=$t $n\"; ";
    }
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
    // -f: srun -u gives a step's stdout a terminal, which gzip otherwise
    // refuses to write to.
    s << "z=cat; c=plain; if gzip -c </dev/null >/dev/null 2>&1; then z='gzip -1 -c -f'; c=gzip; fi; "
      << "echo \"clusterp-stream $c\"; { for f in" << list << "; do p=$d/$f; "
      << "if [ -f \"$p\" ] && s=$(cksum <\"$p\"); then set -- $s; printf 'file %s %s %s\\n' \"$f\" \"$2\" \"$1\"; "
      << "cat \"$p\" || exit 1; else printf 'missing %s\\n' \"$f\"; fi; done; echo end; } </dev/null | $z";
    return s.str();
}

std::string cleanup_part(const std::vector<SideRecord>& side) {
    std::ostringstream s;
    s << "rm -f \"$d/run.sa\" \"$d/sadc.log\"";
    for (const auto& record : side)
        if (side_text(record.category))
            s << " \"$d/" << record.category << ".txt\" \"$d/" << record.category << ".log\"";
    for (const auto& category : sadf_categories()) {
        s << " \"$d/" << category.name << ".txt\" \"$d/" << category.name << ".err\"";
        if (!category.joined.empty()) s << " \"$d/" << category.name << ".pre\"";
    }
    s << " && rmdir \"$d\"";
    return s.str();
}

}  // namespace

std::string stop_send_command(const std::string& dir, long pid, const std::vector<SideRecord>& side) {
    std::vector<std::string> outputs;
    for (const auto& category : sadf_categories()) outputs.push_back(remote_category_name(category.name));
    for (const auto& record : side)
        if (side_text(record.category)) outputs.push_back(remote_category_name(record.category));
    std::ostringstream s;
    s << k_prologue << dir_assignment(dir) << stop_part(pid) << side_stop_part(side) << "{ " << convert_part()
      << "} </dev/null; ";
    // Only the outputs sadf filled are sent (the reply says which), then
    // the sa file.
    s << "set --; for o in" << words(outputs) << "; do if [ -s \"$d/$o\" ]; then set -- \"$@\" \"$o\"; fi; done; "
      << "set -- \"$@\" " << shell_quote(remote_sa_name()) << "; ";
    s << send_part(" \"$@\"") << "; ";
    s << "read -r k || exit 0; [ \"$k\" = ok ] || exit 0; " << cleanup_part(side);
    return s.str();
}

std::string slurm_task_command(const std::string& command) {
    std::ostringstream s;
    s << k_prologue << "i=${SLURM_PROCID:-0}; echo \"node=$SLURMD_NODENAME\"; "
      << "echo \"slurm_step=$SLURM_JOB_ID.$SLURM_STEP_ID\"; ";
    s << "while :; do IFS= read -r m || exit 0; [ \"$m\" = go ] && break; done; ";
    s << "while IFS= read -r m; do case $m in \"$i \"*) printf '%s\\n' \"${m#* }\" ;; \"$i\") break ;; esac; done | "
      << "{ /bin/sh -c " << shell_quote(command) << "; echo \"clusterp_exit=$?\"; }";
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
