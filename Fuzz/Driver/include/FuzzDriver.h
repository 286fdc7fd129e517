#ifndef TRUSTFLOW_FUZZ_DRIVER_H
#define TRUSTFLOW_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver, for a program with its own main (every Swift executable has one): linked from libFuzzer by
 * -sanitize=fuzzer. Runs `callback` on every input, with libFuzzer's command line (-max_total_time=…, corpus folders). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
