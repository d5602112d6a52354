# Toolchains: 64-bit ARMv8 (Debian arm64) for Raspberry Pi 4/5 and Ekrano GX, with Debian 12's
# aarch64-linux-gnu cross compiler.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(EE_CROSS_TRIPLET aarch64-linux-gnu)
set(EE_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
