// The Slurm transport (`launcher: slurm`): inside an allocation, every
// command runs on its node as a job step of its own, `srun --overlap -N1
// -n1 -w NODE /bin/sh -c COMMAND`, its streams srun's; no SSH.  The step
// takes nothing from the job (design.md, Launchers): --overlap shares the
// CPUs of the job's own steps, --mem=0 asks for no memory of its own
// (Slurm 22.05 shares CPUs only: a job step holding all the memory made a
// step without it fail), --gres=none no GPU (it would wait for those the
// job's step holds), -c1 whatever SLURM_CPUS_PER_TASK the job exports; -u
// so that the clock exchange's lines pass at once.
//
// Slurm ends what a step leaves running when the step ends (proctrack/
// cgroup), and ends a step whose srun has gone: so a start command keeps its
// collector as a child and is released (Exchange::release) with its srun,
// which runs on in a process group of its own after clusterp ends, until
// stop ends the collector and with it the step.
//
// A step that Slurm could not start (a node down, the job ended) is a
// HostError with srun's own words ("Unable to create step for job 42: ...").
#pragma once

#include <memory>

#include "collect/transport.hpp"

namespace clusterp {

// Throws Error 69 when srun is not in $PATH.
std::unique_ptr<Connector> make_slurm_connector();

}  // namespace clusterp
