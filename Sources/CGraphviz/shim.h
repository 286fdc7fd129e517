#ifndef TRUSTFLOW_CGRAPHVIZ_SHIM_H
#define TRUSTFLOW_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

/* Swift 6 rejects reading mutable C globals such as Agdirected: hand them out by value. */
static inline Agdesc_t tf_agdirected(void) { return Agdirected; }
#endif
