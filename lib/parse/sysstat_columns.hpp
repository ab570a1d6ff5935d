// The column layer of the sysstat parser (parse/sysstat_parse.hpp): the
// input columns the contract is computed from, found by their header names,
// and how each category's row is made of them, joined across the activities
// sadf prints apart.  SysstatParser::start_block, fill_row, fill_memory and
// the joins live in sysstat_columns.cpp.
#pragma once

namespace clusterp {

// The input columns the contract is computed from.  Each belongs to one
// category; the header names them exactly as sysstat prints them (the same
// in sar text and sadf -d, and never translated).
enum Source : int {
    s_cpu, s_user, s_usr, s_nice, s_system, s_sys, s_irq, s_soft, s_iowait, s_steal, s_idle,
    s_guest, s_gnice,
    s_runq, s_plist, s_ldavg1, s_ldavg5, s_ldavg15, s_blocked,
    s_cpu_some, s_io_some, s_io_full, s_mem_some, s_mem_full,
    s_memfree, s_avail, s_memused, s_memused_pct, s_buffers, s_cached, s_commit_pct, s_slab,
    s_shmem, s_majflt, s_pgscank, s_pgscand, s_vmeff,
    s_swpfree, s_swpused, s_swpused_pct, s_pswpin, s_pswpout,
    s_dev, s_tps, s_rkb, s_wkb, s_rdsec, s_wrsec, s_util, s_await, s_aqu, s_avgqu, s_areq, s_avgrq,
    s_iface, s_rxpck, s_txpck, s_rxkb, s_txkb, s_ifutil, s_rxerr, s_txerr, s_rxdrop, s_txdrop,
    s_count
};

}  // namespace clusterp
