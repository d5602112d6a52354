# Toolchains: the part shared by the Venus OS cross builds. Compiles with Debian 12's cross
# compiler for EE_CROSS_TRIPLET and takes the target's libraries and headers from
# EE_CROSS_ROOT, a folder holding the target architecture's Debian packages unpacked
# (scripts/install-cross-deps.sh makes it). The C library comes from the cross toolchain
# itself (/usr/<triplet>).
if(NOT EE_CROSS_ROOT)
  set(EE_CROSS_ROOT "$ENV{EE_CROSS_ROOT}")
endif()
if(NOT EE_CROSS_ROOT OR NOT IS_DIRECTORY "${EE_CROSS_ROOT}/usr/lib/${EE_CROSS_TRIPLET}")
  message(FATAL_ERROR "EE_CROSS_ROOT ('${EE_CROSS_ROOT}') is not an unpacked ${EE_CROSS_TRIPLET} root: "
                      "run scripts/install-cross-deps.sh and pass -DEE_CROSS_ROOT=<its folder>")
endif()
# try_compile projects read this file again: hand them the same root.
set(ENV{EE_CROSS_ROOT} "${EE_CROSS_ROOT}")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EE_CROSS_ROOT EE_CROSS_TRIPLET)

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${EE_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${EE_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${EE_CROSS_TRIPLET})

set(CMAKE_FIND_ROOT_PATH "${EE_CROSS_ROOT}" "/usr/${EE_CROSS_TRIPLET}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config answers for the target: its .pc files, paths prefixed with the root.
set(ENV{PKG_CONFIG_LIBDIR} "${EE_CROSS_ROOT}/usr/lib/${EE_CROSS_TRIPLET}/pkgconfig:${EE_CROSS_ROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${EE_CROSS_ROOT}")
set(ENV{PKG_CONFIG_PATH} "")

# Headers: the multiarch folder first (OpenSSL's configuration.h lives there), as a native
# Debian compiler does. Libraries: let the linker follow the shared libraries' own needs.
set(ee_cross_includes "-isystem ${EE_CROSS_ROOT}/usr/include/${EE_CROSS_TRIPLET} -isystem ${EE_CROSS_ROOT}/usr/include")
set(CMAKE_C_FLAGS_INIT "${ee_cross_includes}")
set(CMAKE_CXX_FLAGS_INIT "${ee_cross_includes}")
set(ee_cross_libdirs "${EE_CROSS_ROOT}/usr/lib/${EE_CROSS_TRIPLET}:${EE_CROSS_ROOT}/lib/${EE_CROSS_TRIPLET}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-L${EE_CROSS_ROOT}/usr/lib/${EE_CROSS_TRIPLET} -Wl,-rpath-link,${ee_cross_libdirs}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "${CMAKE_EXE_LINKER_FLAGS_INIT}")

# Programs built here run through qemu user mode (try_run, tests).
set(CMAKE_CROSSCOMPILING_EMULATOR ${EE_CROSS_QEMU} -L /usr/${EE_CROSS_TRIPLET})
