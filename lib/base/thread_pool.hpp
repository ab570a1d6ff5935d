// Work spread over threads: the one pool every module uses (fan-out over
// hosts, parse over files, plot over categories) instead of its own threads.
#pragma once

#include <cstddef>
#include <functional>

namespace clusterp {

// How many threads keep this machine busy: its cores, at least 1.
int default_width();

// Calls body(i) for every i < COUNT on up to WIDTH threads (at least 1;
// never more than COUNT), the calling thread one of them.  Items are taken
// in index order, each by the first thread free, so item i starts no later
// than item i+1.  Returns when every body has returned.  An exception
// escaping a body stops the handing out of further items and is thrown
// again here once the running ones end; bodies that report per item catch
// their own.
void parallel_for(std::size_t count, int width, const std::function<void(std::size_t)>& body);

}  // namespace clusterp
