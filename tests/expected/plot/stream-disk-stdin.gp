# Disk write: 2 series.  Written by clusterp-plot.
$stdin << EOD
time,elapsed,host,alias,device,device_alias,tps,read_mibps,write_mibps,util_pct,await_ms
2026-11-25T02:41:00Z,0,n2,"db's 2",loop0,loop0,0.00,0.00,0.00,0.00,1.50
2026-11-25T02:41:00Z,0,n2,"db's 2",sda,sda,0.00,0.00,0.00,0.00,1.50
2026-11-25T02:41:00Z,0,n2,"db's 2",sdb,sdb,0.00,0.00,0.00,0.00,0.00
2026-11-25T02:41:00Z,0,n2,"db's 2",nvme0n1,nvme0n1,0.00,0.00,0.00,0.00,3.00
2026-11-25T02:41:10Z,10,n2,"db's 2",loop0,loop0,3.00,0.50,1.25,20.00,1.50
2026-11-25T02:41:10Z,10,n2,"db's 2",sda,sda,3.00,0.50,1.25,20.00,1.50
2026-11-25T02:41:10Z,10,n2,"db's 2",sdb,sdb,0.00,0.00,0.00,0.00,0.00
2026-11-25T02:41:10Z,10,n2,"db's 2",nvme0n1,nvme0n1,6.00,1.00,2.50,40.00,3.00
2026-11-25T02:41:20Z,20,n2,"db's 2",loop0,loop0,6.00,1.00,2.50,40.00,1.50
2026-11-25T02:41:20Z,20,n2,"db's 2",sda,sda,6.00,1.00,2.50,40.00,1.50
2026-11-25T02:41:20Z,20,n2,"db's 2",sdb,sdb,0.00,0.00,0.00,0.00,0.00
2026-11-25T02:41:20Z,20,n2,"db's 2",nvme0n1,nvme0n1,12.00,2.00,5.00,80.00,3.00
2026-11-25T02:41:30Z,30,n2,"db's 2",loop0,loop0,9.00,1.50,3.75,60.00,1.50
2026-11-25T02:41:30Z,30,n2,"db's 2",sda,sda,9.00,1.50,3.75,60.00,1.50
2026-11-25T02:41:30Z,30,n2,"db's 2",sdb,sdb,0.00,0.00,0.00,0.00,0.00
2026-11-25T02:41:30Z,30,n2,"db's 2",nvme0n1,nvme0n1,18.00,3.00,7.50,100.00,3.00
2026-11-25T02:41:40Z,40,n2,"db's 2",loop0,loop0,12.00,2.00,5.00,80.00,1.50
2026-11-25T02:41:40Z,40,n2,"db's 2",sda,sda,12.00,2.00,5.00,80.00,1.50
2026-11-25T02:41:40Z,40,n2,"db's 2",sdb,sdb,0.00,0.00,0.00,0.00,0.00
2026-11-25T02:41:40Z,40,n2,"db's 2",nvme0n1,nvme0n1,24.00,4.00,10.00,100.00,3.00
EOD
# x: elapsed, y: write_mibps (columns by number, data rows after the header)
set datafile separator comma
set datafile missing NaN
set title 'Disk write'
set ylabel 'Write (MiB/s)'
set yrange [0:*]
set xlabel 'Elapsed time (s)'
set xrange [0:*]
set autoscale xfixmax
set grid
set key outside right top vertical Left reverse samplen 3 spacing 1
set linetype 1 lc rgb '#1f77b4' lw 1.5 dt 1
set linetype 2 lc rgb '#ff7f0e' lw 1.5 dt 1
set terminal postscript eps color solid noenhanced size 10in,6in font 'Helvetica,12'
plot \
     $stdin using 2:9 skip 1 every 4::1 with lines lt 1 title 'db''s 2 sda', \
     $stdin using 2:9 skip 1 every 4::3 with lines lt 2 title 'db''s 2 nvme0n1'
unset output
