/* Nothing to compile: the module is FuzzDriver.h, the declaration of libFuzzer's driver. */
#include "FuzzDriver.h"
