#!/usr/bin/env python3
"""gen-sadf.py DIR HOST SAMPLES DISKS IFACES CORES: writes DIR/<category>/HOST
in the exact `LC_ALL=C sadf -d -U run.sa -- OPTS` format of sysstat 12.6.1
(the headers and field layouts of tests/fixtures/sysstat/12.6.1) as
clusterp-stop downloads it: each joined activity rendered by its own sadf
call and written first (load: -q PSI then -q; memory: -B then -r ALL; swap:
-W then -S; network: -n EDEV then -n DEV), cpu as -u ALL -P ALL (the
all-CPU row, then one per core), disk as -d -p; one sample a second, with
plausible varying values."""
import os
import random
import sys

out, host = sys.argv[1], sys.argv[2]
samples, disks, ifaces, cores = (int(a) for a in sys.argv[3:7])
rnd = random.Random(42)
t0 = 1795575935
total = 263921516


def f2(x):
    return "%.2f" % x


# Per category, its blocks in file order: header, then a function of the
# sample's time prefix that returns its rows.
def cpu_rows(p):
    rows = []
    for c in [-1] + list(range(cores)):
        u = rnd.uniform(0, 80); sy = rnd.uniform(0, 90 - u); io = rnd.uniform(0, 95 - u - sy)
        irq = rnd.uniform(0, 2); soft = rnd.uniform(0, 3); g = rnd.uniform(0, 0.5)
        rows.append(p + "%d;%s;0.00;%s;%s;0.00;%s;%s;%s;0.00;%s" % (
            c, f2(u), f2(sy), f2(io), f2(irq), f2(soft), f2(g), f2(max(0.0, 100 - u - sy - io - irq - soft - g))))
    return rows


def psi(n):  # N groups of 10 s, 60 s and 300 s averages and the interval's share, in %
    return lambda p: [p + ";".join(f2(rnd.uniform(0, 40)) for _ in range(4 * n))]


def queue_rows(p):
    return [p + "%d;%d;%s;%s;%s;%d" % (rnd.randint(0, 40), rnd.randint(300, 3000), f2(rnd.uniform(0, 60)),
                                       f2(rnd.uniform(0, 60)), f2(rnd.uniform(0, 60)), rnd.randint(0, 9))]


def paging_rows(p):
    scank = rnd.uniform(0, 9000); scand = rnd.uniform(0, 900)
    return [p + "%s;%s;%s;%s;%s;%s;%s;%s;%s" % (
        f2(rnd.uniform(0, 150000)), f2(rnd.uniform(0, 150000)), f2(rnd.uniform(0, 9000)), f2(rnd.uniform(0, 30)),
        f2(rnd.uniform(0, 90000)), f2(scank), f2(scand), f2(scank * 0.8), f2(rnd.uniform(0, 100)))]


def memory_rows(p):
    free = rnd.randint(1000000, 200000000); slab = rnd.randint(500000, 900000)
    buf = rnd.randint(1000, 90000); cache = rnd.randint(100000, 30000000)
    used = total - free - buf - cache - slab
    return [p + "%d;%d;%d;%s;%d;%d;%d;%s;%d;%d;%d;%d;%d;%d;%d;%d" % (
        free, free + cache, used, f2(100.0 * used / total), buf, cache, used // 2, f2(12.5),
        used // 3, cache // 2, rnd.randint(0, 5000), used // 4, slab, 16000, 9000, 80000)]


def swapping_rows(p):
    return [p + "%s;%s" % (f2(rnd.uniform(0, 500)), f2(rnd.uniform(0, 500)))]


def swap_rows(p):
    sw = rnd.randint(0, 8388604)
    return [p + "%d;%d;%s;%d;%s" % (8388604 - sw, sw, f2(100.0 * sw / 8388604), sw // 10, f2(10.0))]


devs = ["nvme%dn1" % i for i in range(disks)]
nics = ["lo"] + ["eth%d" % i for i in range(ifaces - 1)]


def disk_rows(p):
    rows = []
    for d in devs:
        r = rnd.uniform(0, 300000); w = rnd.uniform(0, 300000)
        rows.append(p + "%s;%s;%s;%s;0.00;%s;%s;%s;%s" % (
            d, f2(rnd.uniform(0, 9000)), f2(r), f2(w), f2(rnd.uniform(4, 512)), f2(rnd.uniform(0, 9)),
            f2(rnd.uniform(0, 5)), f2(rnd.uniform(0, 100))))
    return rows


def edev_rows(p):
    return [p + "%s;%s;%s;0.00;%s;%s;0.00;0.00;0.00;0.00" % (
        n, f2(rnd.uniform(0, 3)), f2(rnd.uniform(0, 1)), f2(rnd.uniform(0, 50)), f2(rnd.uniform(0, 5))) for n in nics]


def dev_rows(p):
    rows = []
    for n in nics:
        rx = rnd.uniform(0, 900000); tx = rnd.uniform(0, 900000)
        rows.append(p + "%s;%s;%s;%s;%s;0.00;0.00;0.00;%s" % (
            n, f2(rx / 1.4), f2(tx / 1.4), f2(rx), f2(tx), f2(rnd.uniform(0, 100))))
    return rows


H = "# hostname;interval;timestamp;"
blocks = {
    "cpu": [(H + "CPU;%usr;%nice;%sys;%iowait;%steal;%irq;%soft;%guest;%gnice;%idle", cpu_rows)],
    "load": [(H + "%scpu-10;%scpu-60;%scpu-300;%scpu", psi(1)),
             (H + "%sio-10;%sio-60;%sio-300;%sio;%fio-10;%fio-60;%fio-300;%fio", psi(2)),
             (H + "%smem-10;%smem-60;%smem-300;%smem;%fmem-10;%fmem-60;%fmem-300;%fmem", psi(2)),
             (H + "runq-sz;plist-sz;ldavg-1;ldavg-5;ldavg-15;blocked", queue_rows)],
    "memory": [(H + "pgpgin/s;pgpgout/s;fault/s;majflt/s;pgfree/s;pgscank/s;pgscand/s;pgsteal/s;%vmeff", paging_rows),
               (H + "kbmemfree;kbavail;kbmemused;%memused;kbbuffers;kbcached;kbcommit;%commit;kbactive;kbinact;"
                "kbdirty;kbanonpg;kbslab;kbkstack;kbpgtbl;kbvmused", memory_rows)],
    "swap": [(H + "pswpin/s;pswpout/s", swapping_rows),
             (H + "kbswpfree;kbswpused;%swpused;kbswpcad;%swpcad", swap_rows)],
    "disk": [(H + "DEV;tps;rkB/s;wkB/s;dkB/s;areq-sz;aqu-sz;await;%util", disk_rows)],
    "network": [(H + "IFACE;rxerr/s;txerr/s;coll/s;rxdrop/s;txdrop/s;txcarr/s;rxfram/s;rxfifo/s;txfifo/s", edev_rows),
                (H + "IFACE;rxpck/s;txpck/s;rxkB/s;txkB/s;rxcmp/s;txcmp/s;rxmcst/s;%ifutil", dev_rows)],
}
for category, parts in blocks.items():
    os.makedirs(os.path.join(out, category), exist_ok=True)
    with open(os.path.join(out, category, host), "w") as f:
        for header, rows in parts:
            f.write(header + "\n")
            for s in range(samples):
                f.write("\n".join(rows("%s;1;%d;" % (host, t0 + s))) + "\n")
