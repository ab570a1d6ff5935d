#!/usr/bin/env python3
"""gen-sadf.py DIR HOST SAMPLES DISKS IFACES: writes DIR/<category>/HOST in
the exact `LC_ALL=C sadf -d -U run.sa -- OPTS` format of sysstat 12.6.1 that
clusterp-stop downloads (cpu -u, memory -r ALL, swap -S, disk -d -p,
network -n DEV), one sample a second, with plausible varying values."""
import os
import random
import sys

out, host = sys.argv[1], sys.argv[2]
samples, disks, ifaces = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rnd = random.Random(42)
t0 = 1795575935
total = 263921516

def f2(x):
    return "%.2f" % x

headers = {
    "cpu": "# hostname;interval;timestamp;CPU;%user;%nice;%system;%iowait;%steal;%idle",
    "memory": "# hostname;interval;timestamp;kbmemfree;kbavail;kbmemused;%memused;kbbuffers;kbcached;"
              "kbcommit;%commit;kbactive;kbinact;kbdirty;kbanonpg;kbslab;kbkstack;kbpgtbl;kbvmused",
    "swap": "# hostname;interval;timestamp;kbswpfree;kbswpused;%swpused;kbswpcad;%swpcad",
    "disk": "# hostname;interval;timestamp;DEV;tps;rkB/s;wkB/s;dkB/s;areq-sz;aqu-sz;await;%util",
    "network": "# hostname;interval;timestamp;IFACE;rxpck/s;txpck/s;rxkB/s;txkB/s;rxcmp/s;txcmp/s;rxmcst/s;%ifutil",
}
files = {}
for c in headers:
    os.makedirs(os.path.join(out, c), exist_ok=True)
    files[c] = open(os.path.join(out, c, host), "w")
    files[c].write(headers[c] + "\n")
devs = ["nvme%dn1" % i for i in range(disks)]
nics = ["lo"] + ["eth%d" % i for i in range(ifaces - 1)]
for s in range(samples):
    t = t0 + s
    p = "%s;1;%d;" % (host, t)
    u = rnd.uniform(0, 90); sy = rnd.uniform(0, 100 - u); io = rnd.uniform(0, 100 - u - sy)
    files["cpu"].write(p + "-1;%s;0.00;%s;%s;0.00;%s\n" % (f2(u), f2(sy), f2(io), f2(100 - u - sy - io)))
    free = rnd.randint(1000000, 200000000); slab = rnd.randint(500000, 900000)
    buf = rnd.randint(1000, 90000); cache = rnd.randint(100000, 30000000)
    used = total - free - buf - cache - slab
    files["memory"].write(p + "%d;%d;%d;%s;%d;%d;%d;%s;%d;%d;%d;%d;%d;%d;%d;%d\n" % (
        free, free + cache, used, f2(100.0 * used / total), buf, cache, used // 2, f2(12.5),
        used // 3, cache // 2, rnd.randint(0, 5000), used // 4, slab, 16000, 9000, 80000))
    sw = rnd.randint(0, 8388604)
    files["swap"].write(p + "%d;%d;%s;%d;%s\n" % (8388604 - sw, sw, f2(100.0 * sw / 8388604), sw // 10, f2(10.0)))
    for d in devs:
        r = rnd.uniform(0, 300000); w = rnd.uniform(0, 300000)
        files["disk"].write(p + "%s;%s;%s;%s;0.00;%s;%s;%s;%s\n" % (
            d, f2(rnd.uniform(0, 9000)), f2(r), f2(w), f2(rnd.uniform(4, 512)), f2(rnd.uniform(0, 9)),
            f2(rnd.uniform(0, 5)), f2(rnd.uniform(0, 100))))
    for n in nics:
        rx = rnd.uniform(0, 900000); tx = rnd.uniform(0, 900000)
        files["network"].write(p + "%s;%s;%s;%s;%s;0.00;0.00;0.00;%s\n" % (
            n, f2(rx / 1.4), f2(tx / 1.4), f2(rx), f2(tx), f2(rnd.uniform(0, 100))))
for f in files.values():
    f.close()
