/* The one main loop of every fuzz target (FuzzDriver.h). */
#include "FuzzDriver.h"

static int (*fuzzTarget)(const uint8_t *_Nonnull data, size_t size);

static int runTarget(const uint8_t *data, size_t size) {
    static const uint8_t none[1] = {0};
    return fuzzTarget(data ? data : none, size);
}

int TrustflowFuzz(int argc, char *_Nullable *_Nonnull argv, int (*_Nonnull target)(const uint8_t *_Nonnull data, size_t size)) {
    fuzzTarget = target;
    return LLVMFuzzerRunDriver(&argc, &argv, runTarget);
}
