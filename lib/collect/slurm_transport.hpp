// The Slurm transport (`launcher: slurm`): inside an allocation, no SSH.
// The step that runs a command takes nothing from the job (design.md,
// Launchers): --overlap shares the CPUs and GPUs of the job's own steps,
// --mem=0 asks for no memory of its own (on 22.05 a job step holding all
// the memory made a step without it fail), -c1 whatever
// SLURM_CPUS_PER_TASK the job exports; -u so that the clock exchange's
// lines pass at once.  The collectors' step asks for the job's GPUs (a
// step gets all of the job's GRES unless it asks otherwise), so that where
// cgroup.conf has ConstrainDevices=yes nvidia-smi may open them: tried on
// 22.05 with task/cgroup, GRES files standing for GPUs: a --gres=none step
// could not open them (EPERM), this one could, also while a step of the
// job held every GPU, and a later step asking for every GPU started at
// once beside it (--overlap shares GRES).  Stop's steps need none
// (--gres=none).
//
// Per-host commands (stop's) run as a step of their own each, `srun
// --overlap -N1 -n1 -w NODE /bin/sh -c COMMAND`, their streams srun's.
//
// Start's commands (start_holding) run in ONE step for all the hosts,
// `srun --overlap --no-kill -N<n> --ntasks-per-node=1 -w LIST -l ...`,
// whose tasks hold the collectors in the foreground (Slurm ends what a
// step leaves running when the step ends, proctrack/cgroup) for the whole
// run: Slurm launches it through slurmd's tree (TreeWidth), and the
// controller keeps one srun, not one per node (bench/13: its memory).
// Each host still has its own exchange, so start's lifecycle, errors and
// clock offsets stay per host: srun labels every line with its task (-l),
// each task first names its node (slurm_task_command), and a line written
// for one host goes to every task addressed to that host's task, which
// alone reads it (srun broadcasts stdin; a shell loop on the node filters).
// Why not one task's state in a file read by per-node steps: those steps
// would cost a second srun per node at start, and the clock exchange would
// no longer run over the stdin and stdout of the shell that started sadc.
// --no-kill: a node that fails during the run ends its task only, not the
// step and every other node's collectors; --kill-on-bad-exit=0 likewise
// for a task that ends badly (a node without sysstat).  A failed task is
// that host's failure with srun's words; a step that Slurm could not start
// at all (a node down, not in the job any more) is tried again as one step
// per host, so that each host is named with its own cause.  Once start is
// done (the connector destroyed), the step's stdin ends, so that a task
// whose host was not acknowledged rolls back, and its srun runs on,
// unwaited, in a process group of its own, until stop has ended every
// collector (and with them the tasks and the step).  srun outlives its
// stdout and stderr going unread (tried on 22.05).
//
// A step that Slurm could not start (a node down, the job ended) is a
// HostError with srun's own words ("Unable to create step for job 42: ...").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "collect/transport.hpp"

namespace clusterp {

// HOSTS: every host start may hold (config order), for the one step.
// Throws Error 69 when srun is not in $PATH.
std::unique_ptr<Connector> make_slurm_connector(const std::vector<std::string>& hosts);

}  // namespace clusterp
