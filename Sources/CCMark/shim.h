#ifndef TRUSTFLOW_CCMARK_SHIM_H
#define TRUSTFLOW_CCMARK_SHIM_H
#include <cmark.h>
#endif
