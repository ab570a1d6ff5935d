# CPU utilization: 2 series.  Written by clusterp-plot.
# x: elapsed, y: util_pct (columns by number, data rows after the header)
set datafile separator comma
set datafile missing NaN
set title 'CPU utilization'
set ylabel 'CPU utilization (%)'
set yrange [-3:105<*] noextend
set xlabel 'Elapsed time (s)'
set xrange [0:*]
set autoscale xfixmax
set grid
set key outside right top vertical Left reverse samplen 3 spacing 1
set linetype 1 lc rgb '#1f77b4' lw 1.5 dt 1
set linetype 2 lc rgb '#ff7f0e' lw 1.5 dt 1
set terminal svg noenhanced size 1000,600 font 'sans,10' background rgb 'white'
set output 'cpu.svg'
plot \
     'parsed/cpu/n1' using 2:11 skip 1 with lines lt 1 title 'web_1', \
     'parsed/cpu/n2' using 2:11 skip 1 with lines lt 2 title 'db''s 2'
unset output
