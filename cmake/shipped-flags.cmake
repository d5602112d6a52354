# Initial cache (cmake -C) with the compiler and linker flags of the binaries we ship: used by
# scripts/release.sh for the GX builds and by bench/run.sh, so the benchmark measures the code
# and the memory layout a device runs. -ffunction-sections/--gc-sections drop unused code;
# libstdc++ and libgcc are linked in (Venus OS images carry older ones than Debian 12's GCC
# needs) and only the parts the daemon uses are mapped. -Wno-restrict: GCC 12 reports false
# "accessing 2147483650 or more bytes" -Wrestrict errors inside std::string at -O2 on 32-bit
# targets (GCC bug 105329).
set(CMAKE_BUILD_TYPE Release CACHE STRING "")
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG -ffunction-sections -fdata-sections -Wno-restrict" CACHE STRING "")
set(CMAKE_EXE_LINKER_FLAGS_RELEASE "-static-libstdc++ -static-libgcc -Wl,--gc-sections -Wl,--as-needed" CACHE STRING "")
