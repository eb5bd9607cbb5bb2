/* Custom resources as the <Kubernetes> collector sees them, apart from how
 * they are fetched: reading one response of a list request (a page, a
 * Status error or something else), the resources to list (presets and
 * <Resource> blocks) and the mapping of each listed object to rows
 * (family, labels, value). Nothing here talks HTTP or to collectd. */
#ifndef OM_KUBE_STATS_H
#define OM_KUBE_STATS_H

#include "om_json.h"
#include "om_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OM_KUBE_MAX_LABELS 12
#define OM_KUBE_MAX_TEXT 1024     /* bytes of one label value */
#define OM_KUBE_MAX_CONTINUE 8192 /* bytes of a continue token */
#define OM_KUBE_DEFAULT_PREFIX "kube_customresource"

/* --- rows ------------------------------------------------------------------
 * A row is one sample to dispatch: family, labels (copied) and value. */
typedef struct {
  const char *family;
  size_t n;
  const char *names[OM_KUBE_MAX_LABELS];
  const char *values[OM_KUBE_MAX_LABELS];
  double value;
  double when;  /* for om_kube_rows_newest: the order of candidates */
  bool counted; /* a count: kept at 0 once it empties */
  uint64_t key; /* hash of family and labels */
  char data[];  /* the strings */
} om_kube_row;

/* A set of rows with unique (family, labels). */
typedef struct {
  om_kube_row **rows;
  size_t num, cap;
  size_t *index; /* open addressing over rows, index_cap slots (0: empty) */
  size_t index_cap;
  bool out_of_memory;
} om_kube_rows;

void om_kube_rows_free(om_kube_rows *r);
/* Sets the row's value (added when new). */
void om_kube_rows_set(om_kube_rows *r, const char *family,
                      const om_label *labels, size_t n, double value);
/* Adds 1 to a count row (added at 1 when new). */
void om_kube_rows_count(om_kube_rows *r, const char *family,
                        const om_label *labels, size_t n);
/* Keeps, per (family, labels), the value whose `when` is the greatest. */
void om_kube_rows_newest(om_kube_rows *r, const char *family,
                         const om_label *labels, size_t n, double value,
                         double when);
/* The row with these family and labels, or NULL. */
const om_kube_row *om_kube_rows_find(const om_kube_rows *r, const char *family,
                                     const om_label *labels, size_t n);
/* Zero counts: every count row of seen that counts lacks is added to
 * counts at 0, and every count row of counts that seen lacks is added to
 * seen (while seen has fewer than max_seen rows). */
void om_kube_rows_settle_counts(om_kube_rows *counts, om_kube_rows *seen,
                                size_t max_seen);

/* --- resources -------------------------------------------------------------
 */
typedef struct om_kube_snapshot om_kube_snapshot;
typedef struct om_kube_resource om_kube_resource;

/* A preset's mapping of one object (a JSON object with metadata.name). */
typedef void (*om_kube_mapper)(const om_kube_resource *r, const cJSON *obj,
                               om_kube_snapshot *out);

typedef struct {
  om_jpath *path;
  char *name; /* label name (Label, CountBy) or family name (Value) */
} om_kube_field;

struct om_kube_resource {
  char *group, *version, *plural;
  char *kind; /* NULL: each object's own "kind" */
  char *id;   /* "<plural>.<group>/<version>", the resource label */
  bool cluster_scoped;
  bool info;             /* kube_customresource_info for every object */
  om_kube_mapper mapper; /* a preset's mapping, or NULL */
  /* a <Resource> block's own mapping */
  char *count_family;    /* CountBy's family (<prefix>_count) */
  om_kube_field *labels; /* extra labels of kube_customresource_info */
  size_t labels_num;
  om_kube_field *counts; /* the labels of the count family */
  size_t counts_num;
  om_kube_field *values; /* gauges */
  size_t values_num;
};

void om_kube_resource_free(om_kube_resource *r);
/* Sets id from group, version and plural; -1 when out of memory. */
int om_kube_resource_name(om_kube_resource *r);

/* The presets; each adds its resources (allocated, info on) to *list.
 * -1 for an unknown name (err says which are known) or out of memory. */
int om_kube_preset_add(const char *preset, om_kube_resource ***list,
                       size_t *num, char *err, size_t errlen);

/* --- listing ---------------------------------------------------------------
 */

/* What a listing of one resource came to; states of
 * operator_metrics_kubernetes_resource_state, in this order. */
typedef enum {
  OM_KUBE_OK = 0,
  OM_KUBE_UNAUTHORIZED,     /* 401 */
  OM_KUBE_FORBIDDEN,        /* 403 */
  OM_KUBE_NOT_INSTALLED,    /* 404: the CRD or version is not served */
  OM_KUBE_EXPIRED,          /* 410 even after restarting the listing */
  OM_KUBE_INVALID,          /* a body that is not a list as expected */
  OM_KUBE_TOO_LARGE,        /* a page over MaxResponseBytes */
  OM_KUBE_TOO_MANY_OBJECTS, /* more than MaxObjects */
  OM_KUBE_UNAVAILABLE,      /* no answer, 429, 5xx, deadline */
  OM_KUBE_ERROR,            /* anything else */
  OM_KUBE_STATES
} om_kube_state;

const char *om_kube_state_name(om_kube_state s);

/* One page of a list response. */
typedef struct {
  cJSON *root;
  const cJSON *items;   /* an array */
  char *continue_token; /* NULL on the last page */
  int64_t remaining;    /* remainingItemCount; -1 when absent */
} om_kube_page;

void om_kube_page_free(om_kube_page *p);

/* Reads the response to a list request: its HTTP status and body (len
 * bytes, need not be NUL-terminated). A 2xx list fills page and gives
 * OM_KUBE_OK; otherwise the state the response means, with why in words
 * (the Status object's message, cleaned and shortened). A 410 Status may
 * carry a new continue token: it is put in page->continue_token. */
om_kube_state om_kube_page_read(long http_status, const char *body, size_t len,
                                om_kube_page *page, char *why, size_t whylen);

/* The rows of one complete listing. */
struct om_kube_snapshot {
  om_kube_rows values; /* one row per object and family */
  om_kube_rows totals; /* counts and newest-of aggregates */
  size_t objects;
};

void om_kube_snapshot_free(om_kube_snapshot *s);

/* Maps every item of a page into the snapshot. Each item must be an object
 * with a non-empty metadata.name (and metadata.namespace unless the
 * resource is cluster-scoped); -1 with why naming the first that is not. */
int om_kube_map_page(const om_kube_resource *r, const om_kube_page *page,
                     om_kube_snapshot *snap, char *why, size_t whylen);

/* Maps one object (already checked). */
void om_kube_map_object(const om_kube_resource *r, const cJSON *obj,
                        om_kube_snapshot *snap);

/* Percent-encodes s for a URL query value into buf; -1 when it does not
 * fit. */
int om_kube_query_escape(const char *s, char *buf, size_t cap);

#endif
