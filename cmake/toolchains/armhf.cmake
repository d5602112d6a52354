# Toolchains: 32-bit ARMv7 hard-float (Debian armhf) for Cerbo GX, Venus GX, CCGX and
# Raspberry Pi 2/3, with Debian 12's arm-linux-gnueabihf cross compiler.
set(CMAKE_SYSTEM_PROCESSOR arm)
set(EE_CROSS_TRIPLET arm-linux-gnueabihf)
set(EE_CROSS_QEMU qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
