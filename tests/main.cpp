// The Catch2 entry point for the whole suite (one binary; CTest lists each test case).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
