// run-page DIR: rebuilds DIR/plot/index.html from DIR's files
// (page/run_page), as the report does after writing its findings; exit 1
// when DIR holds no plot to show.
#include <iostream>

#include "base/diag.hpp"
#include "page/run_page.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: run-page DIR\n";
        return 64;
    }
    try {
        return clusterp::write_run_page(argv[1]) ? 0 : 1;
    } catch (const clusterp::Error& e) {
        std::cerr << "run-page: " << e.what() << "\n";
        return e.code();
    }
}
