#ifndef TRUSTFLOW_CGRAPHVIZ_SHIM_H
#define TRUSTFLOW_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>

/* Swift 6 rejects reading mutable C globals such as Agdirected: hand them out by value. */
static inline Agdesc_t tf_agdirected(void) { return Agdirected; }

/*
 * Deterministic object ids for `tf_memread`.
 *
 * cgraph's default id discipline uses the address of a named object's interned name as its id, and a process-wide
 * counter for anonymous objects. Subgraphs and clusters are ordered by id, so in a long-running process the order
 * in which clusters are drawn (and with it the bytes of the SVG and PDF) depends on where malloc put the strings.
 * This discipline declines to map names (cgraph then keeps them in its internal map and asks for an anonymous id)
 * and numbers objects per graph in creation order: the same DOT text gives the same ids in every process and call.
 */
typedef struct { IDTYPE next; } tf_idstate;

static inline void *tf_idopen(Agraph_t *g, Agdisc_t *disc) {
    (void)g; (void)disc;
    tf_idstate *state = (tf_idstate *)malloc(sizeof(tf_idstate));
    if (state) state->next = 1;
    return state;
}

static inline long tf_idmap(void *state, int objtype, char *str, IDTYPE *id, int createflag) {
    (void)objtype; (void)createflag;
    if (str) return 0; /* names: cgraph's internal map, which asks again for an anonymous id */
    tf_idstate *s = (tf_idstate *)state;
    if (!s) return 0;
    *id = s->next;
    s->next += 2;
    return 1;
}

static inline long tf_idalloc(void *state, int objtype, IDTYPE request) { (void)state; (void)objtype; (void)request; return 0; }
static inline void tf_idfree(void *state, int objtype, IDTYPE id) { (void)state; (void)objtype; (void)id; }
static inline char *tf_idprint(void *state, int objtype, IDTYPE id) { (void)state; (void)objtype; (void)id; return NULL; }
static inline void tf_idclose(void *state) { free(state); }
static inline void tf_idregister(void *state, int objtype, void *obj) { (void)state; (void)objtype; (void)obj; }

static Agiddisc_t tf_iddisc = { tf_idopen, tf_idmap, tf_idalloc, tf_idfree, tf_idprint, tf_idclose, tf_idregister };

/* Reading DOT text from memory, a line at a time (what agmemread does, with the discipline above). */
typedef struct { const char *data; size_t length; size_t position; } tf_reader;

static inline int tf_afread(void *chan, char *buf, int bufsize) {
    tf_reader *r = (tf_reader *)chan;
    if (bufsize <= 0 || r->position >= r->length) return 0;
    int count = 0;
    char c;
    do {
        c = r->data[r->position++];
        buf[count++] = c;
    } while (c != '\n' && count < bufsize && r->position < r->length);
    return count;
}

static inline int tf_putstr(void *chan, const char *str) { (void)chan; (void)str; return 0; }
static inline int tf_flush(void *chan) { (void)chan; return 0; }

static Agiodisc_t tf_iodisc = { tf_afread, tf_putstr, tf_flush };

/* Exported by libcgraph but not declared in its headers: drops what the lexer buffered (after a syntax error it keeps
 * the rest of the failed text, which the next parse would read first). */
extern void aglexbad(void);

/* agmemread with deterministic ids, starting from a clean lexer. */
static inline Agraph_t *tf_memread(const char *text) {
    tf_reader reader = { text, strlen(text), 0 };
    aglexbad();
    agreadline(1); /* the lexer's line counter is global: restart it so messages name the right line */
    Agdisc_t disc = { &AgMemDisc, &tf_iddisc, &tf_iodisc };
    return agread(&reader, &disc);
}
/*
 * GLib's log handler, for what Pango and cairo report while Graphviz renders ("Pango-CRITICAL: ..."): without it
 * GLib prints those lines straight to the terminal. GLib is not a build dependency of Trustflow: it is found at run
 * time, as the library Graphviz's pango plugin loads anyway (the same soname gives the same copy), and when it is
 * not there, nothing is installed. The signature is GLib's GLogFunc; levels are GLogLevelFlags.
 */
typedef void (*tf_glog_func)(const char *domain, int level, const char *message, void *data);
typedef tf_glog_func (*tf_glog_set_default_handler)(tf_glog_func handler, void *data);

static inline tf_glog_set_default_handler tf_glib_setter(void) {
    void *glib = dlopen("libglib-2.0.so.0", RTLD_NOW | RTLD_GLOBAL);
    if (!glib) return NULL;
    return (tf_glog_set_default_handler)dlsym(glib, "g_log_set_default_handler");
}

/* Installs `handler` as GLib's default log handler; returns the previous one (NULL when GLib is absent). */
static inline tf_glog_func tf_glog_install(tf_glog_func handler) {
    tf_glog_set_default_handler set = tf_glib_setter();
    return set ? set(handler, NULL) : NULL;
}
#endif
