// libFuzzer's driver entry point (compiler-rt's FuzzerInterface.h), for Swift to call.
// SwiftPM links executables with `main` aliased to the module's own entry point, so the fuzz
// binary has its own `main` and hands control to libFuzzer through this function.
#ifndef SHARE_CLIBFUZZER_H
#define SHARE_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
