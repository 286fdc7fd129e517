#ifndef TRUSTFLOW_FUZZ_DRIVER_H
#define TRUSTFLOW_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver, for a program with its own main (every Swift executable has one): linked from libFuzzer by
 * -sanitize=fuzzer. Runs `callback` on every input, with libFuzzer's command line (-max_total_time=…, corpus folders). */
int LLVMFuzzerRunDriver(int *_Nonnull argc, char *_Nullable *_Nonnull *_Nonnull argv,
                        int (*_Nonnull callback)(const uint8_t *_Nullable data, size_t size));

/* What every target's main calls: libFuzzer's driver with the program's arguments, handing `target` each input
 * (an empty input as a valid pointer to no bytes, never NULL). */
int TrustflowFuzz(int argc, char *_Nullable *_Nonnull argv, int (*_Nonnull target)(const uint8_t *_Nonnull data, size_t size));

#endif
