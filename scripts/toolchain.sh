# shellcheck shell=bash
# The kernel rnet follows and the toolchain that builds it, in one place (sourced by the
# scripts). A version bump is: change these, run `make check`, fix what the new kernel broke.
RNET_KERNEL_SERIES=7.3
RNET_KERNEL_VERSION=7.3.4
# Linux 7.3 needs LLVM >= 17; bookworm ships 19. The build runs `clang-19`, `ld.lld-19`, ...
# (LLVM=-19) and bindgen must parse the headers with the same LLVM's libclang: with another
# libclang installed, clang-sys could pick it and reject flags this clang passes.
RNET_LLVM_VERSION=19
export LLVM=-$RNET_LLVM_VERSION
export LIBCLANG_PATH=/usr/lib/llvm-$RNET_LLVM_VERSION/lib
