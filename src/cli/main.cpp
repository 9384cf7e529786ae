// The leasesim executable: everything lives in the core library; this only hands over argv.
#include "leasesim/cli/app.hpp"

int main(int argc, char** argv) { return leasesim::cli::run(argc, argv); }
