// The GPU rules (clusterp-report(1), FINDINGS): per host and GPU, from the
// gpu category (nvidia-smi).  utilization.gpu only says that a kernel was
// running during the sample: the words claim no more (how much of the GPU
// the kernel used is not measured).
#include <cmath>
#include <string>

#include "model/contract.hpp"
#include "report/rules_common.hpp"

namespace clusterp {

namespace {

using Values = std::optional<std::vector<double>>;

void add(std::vector<Condition>& out, Condition c) {
    for (signed char t : c.holds)
        if (t != k_unknown) {
            out.push_back(std::move(c));
            return;
        }
}

template <class F>
void each_gpu(const HostView& v, F&& f) {
    auto it = v.host.categories.find("gpu");
    if (it == v.host.categories.end()) return;
    for (const SeriesData& gpu : it->second) f(gpu);
}

Values own(const SeriesData& series, const char* column) { return HostView::aligned(series, &series, column); }

// A GPU the job never used: no kernel running in nearly every sample.
void gpu_idle(const HostView& v, std::vector<Condition>& out) {
    const double ceiling = v.s.gpu_idle_pct;
    each_gpu(v, [&](const SeriesData& gpu) {
        const Values util = own(gpu, "util_pct");
        if (!util) return;
        add(out, {FindingKind::gpu_idle, "gpu", &gpu,
                  each_sample(util->size(), [&](std::size_t i) { return judged((*util)[i], [&](double x) { return x <= ceiling; }); }),
                  *util, ceiling, {}, [ceiling](double u, double) {
                      return "a kernel running " + amount(u, "%") + " of the time (idle up to " +
                             number_text(ceiling, "%g") + " %)";
                  }});
    });
}

// Kernels running only a small share of the time (jobstats' red line, 15 %).
void gpu_underused(const HostView& v, std::vector<Condition>& out) {
    const double below = v.s.gpu_underused_pct, idle = v.s.gpu_idle_pct;
    each_gpu(v, [&](const SeriesData& gpu) {
        const Values util = own(gpu, "util_pct");
        if (!util) return;
        add(out, {FindingKind::gpu_underused, "gpu", &gpu, each_sample(util->size(), [&](std::size_t i) {
                      return judged((*util)[i], [&](double x) { return x > idle && x < below; });
                  }),
                  *util, below, {}, [below](double u, double) {
                      return "a kernel running " + amount(u, "%") + " of the time (below " + number_text(below, "%g") +
                             " %)";
                  }});
    });
}

// Device memory about full.
void gpu_memory_nearly_full(const HostView& v, std::vector<Condition>& out) {
    const double floor = v.s.gpu_memory_full_pct;
    each_gpu(v, [&](const SeriesData& gpu) {
        const Values used = own(gpu, "mem_used_pct");
        if (!used) return;
        add(out, {FindingKind::gpu_memory_nearly_full, "gpu", &gpu,
                  each_sample(used->size(), [&](std::size_t i) { return judged((*used)[i], [&](double x) { return x >= floor; }); }),
                  *used, floor, {}, [floor](double u, double) {
                      return amount(u, "%") + " of the GPU's memory used (at least " + number_text(floor, "%g") + " %)";
                  }});
    });
}

// The GPU waits while one core of its host is fully busy: a data loader
// or a single-threaded step feeds it too slowly (an idle GPU is gpu idle).
void input_bound(const HostView& v, std::vector<Condition>& out) {
    if (!v.cpu) return;
    const double below = v.s.input_bound_gpu_pct, core = v.s.single_core_pct, idle = v.s.gpu_idle_pct;
    each_gpu(v, [&](const SeriesData& gpu) {
        const Values util = own(gpu, "util_pct");
        const Values busiest = HostView::aligned(gpu, v.cpu, "busiest_core_pct");
        if (!util || !busiest) return;
        add(out, {FindingKind::input_bound, "gpu", &gpu, each_sample(util->size(), [&](std::size_t i) {
                      return both(judged((*util)[i], [&](double x) { return x > idle && x < below; }),
                                  judged((*busiest)[i], [&](double x) { return x >= core; }));
                  }),
                  *util, below, *busiest, [](double u, double c) {
                      return "a kernel running " + amount(u, "%") + " of the time while the busiest CPU core is " +
                             amount(c, "%") + " busy";
                  }});
    });
}

// "its power limit and heat": the clock-event reasons of THROTTLE's bits.
std::string reasons_text(double bits) {
    const int b = bits == bits ? int(bits) : 0;
    std::string text;
    auto add = [&](int bit, const char* words) {
        if (b & bit) text += (text.empty() ? "" : " and ") + std::string(words);
    };
    add(k_throttle_power, "its power limit");
    add(k_throttle_thermal, "heat");
    add(k_throttle_hw_slowdown, "a hardware slowdown");
    return text;
}

// The clock slowed while kernels run: for power or heat as nvidia-smi's
// clock-event reasons say (LLview's example: a GPU at 77 C slowed by
// SwThermSlDwn), or an SM clock far below its maximum whatever the reason.
// Only busy samples are judged: an idle GPU lowers its clock by design.
void gpu_throttled(const HostView& v, std::vector<Condition>& out) {
    const double busy = v.s.gpu_busy_pct, slow = v.s.gpu_clock_pct;
    each_gpu(v, [&](const SeriesData& gpu) {
        const Values util = own(gpu, "util_pct"), reasons = own(gpu, "throttle");
        const Values clock = own(gpu, "sm_clock_mhz"), max = own(gpu, "sm_clock_max_mhz");
        if (!util || (!reasons && !(clock && max))) return;
        const std::size_t n = util->size();
        std::vector<double> clock_pct(n, std::nan(""));
        if (clock && max)
            for (std::size_t i = 0; i < n; ++i)
                if ((*max)[i] > 0) clock_pct[i] = (*clock)[i] / (*max)[i] * 100;
        Condition c{FindingKind::gpu_throttled, "gpu", &gpu, each_sample(n, [&](std::size_t i) {
                        if (!((*util)[i] >= busy)) return k_unknown;
                        return either(reasons ? judged((*reasons)[i], [](double x) { return x > 0; }) : k_unknown,
                                      judged(clock_pct[i], [&](double x) { return x < slow; }));
                    }),
                    clock_pct, slow, reasons ? *reasons : std::vector<double>{}, [busy, slow](double pct, double bits) {
                        const std::string why = reasons_text(bits);
                        std::string text = pct == pct ? "its SM clock at " + amount(pct, "%") + " of its maximum" : "its clock";
                        text += !why.empty() ? ", slowed by " + why + " (nvidia-smi's clock-event reasons)"
                                             : " (slow below " + number_text(slow, "%g") + " %), no clock-event reason given";
                        return text + ", while busy (a kernel running at least " + number_text(busy, "%g") +
                               " % of the time)";
                    }};
        c.extra_is_code = true;
        c.samples = "busy samples";
        add(out, std::move(c));
    });
}

}  // namespace

const std::vector<HostRule>& gpu_rules() {
    static const std::vector<HostRule> rules = {gpu_idle, input_bound, gpu_throttled, gpu_underused, gpu_memory_nearly_full};
    return rules;
}

}  // namespace clusterp
