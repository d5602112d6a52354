# scripts/lib/arch.sh: the GX architectures the release is built for and their GNU names. Source it.

# triplet_of ARCH: the GNU triplet of armhf or arm64; exits 2 on any other name.
triplet_of() {
  case "$1" in
    armhf) echo arm-linux-gnueabihf ;;
    arm64) echo aarch64-linux-gnu ;;
    *) echo "$(basename "$0"): unknown architecture '$1' (use armhf or arm64)" >&2; exit 2 ;;
  esac
}

# qemu_of ARCH: the qemu user-mode emulator that runs its programs.
qemu_of() {
  case "$1" in
    armhf) echo qemu-arm ;;
    arm64) echo qemu-aarch64 ;;
    *) echo "$(basename "$0"): unknown architecture '$1' (use armhf or arm64)" >&2; exit 2 ;;
  esac
}
