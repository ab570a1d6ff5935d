// hostlist-expand LIST...: prints the hosts each LIST names, one per line;
// a bad list prints `error: ...` and exits 1.  Drives tests/hostlist.bats.
#include <iostream>

#include "model/hostlist.hpp"

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        try {
            for (const auto& host : clusterp::expand_hostlist(argv[i])) std::cout << host << "\n";
        } catch (const clusterp::HostlistError& e) {
            std::cout << "error: " << e.what() << "\n";
            return 1;
        }
    }
    return 0;
}
