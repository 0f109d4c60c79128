// Catch2's main() for the unit and end-to-end test binaries.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
