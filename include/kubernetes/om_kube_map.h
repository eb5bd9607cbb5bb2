/* kubernetes/, pure: includes core/ and kubernetes/.
 *
 * The resources a <Kubernetes> block lists (from a preset or a <Resource>
 * block) and the mapping of each listed object to rows: the generic
 * families (kube_customresource_info, a <Resource>'s counts and gauges),
 * then the preset's own. Nothing here talks HTTP or to collectd. */
#ifndef OM_KUBE_MAP_H
#define OM_KUBE_MAP_H

#include "om_json.h"
#include "om_kube_page.h"
#include "om_kube_rows.h"

#include <stdbool.h>
#include <stddef.h>

#define OM_KUBE_DEFAULT_PREFIX "kube_customresource"
#define OM_KUBE_MAX_NAME 253     /* bytes of an object's name */
#define OM_KUBE_MAX_NAMESPACE 63 /* bytes of a namespace */

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
  bool info;                   /* kube_customresource_info for every object */
  om_kube_mapper mapper;       /* a preset's mapping, or NULL */
  const char *const *families; /* a preset's: what it sends; NULL-ended */
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

/* The rows of one complete listing. */
struct om_kube_snapshot {
  om_kube_rows values; /* one row per object and family */
  om_kube_rows totals; /* counts and newest-of aggregates */
  size_t objects;      /* mapped */
  size_t skipped;      /* objects that could not be mapped */
  size_t pages;
  char first_skip[192]; /* where the first skipped one was, and why */
};

void om_kube_snapshot_free(om_kube_snapshot *s);

/* Maps every item of a page into the snapshot. An item is mapped when it
 * is an object whose metadata.name is a DNS subdomain and, unless the
 * resource is cluster-scoped, whose metadata.namespace is a DNS label, as
 * Kubernetes itself validates them; any other item is skipped and counted
 * (the first one noted in first_skip), and the rest go on. -1 with why
 * only when out of memory. */
int om_kube_map_page(const om_kube_resource *r, const om_kube_page *page,
                     om_kube_snapshot *snap, char *why, size_t whylen);

/* Maps one object (already checked). */
void om_kube_map_object(const om_kube_resource *r, const cJSON *obj,
                        om_kube_snapshot *snap);

/* What the presets read of every object. */
const char *om_kube_name_of(const cJSON *obj);      /* metadata.name */
const char *om_kube_namespace_of(const cJSON *obj); /* or "" */
/* The status of the object's first status.conditions entry of this type
 * (as Kubernetes' FindStatusCondition picks it), or missing. */
const char *om_kube_condition_status(const cJSON *obj, const char *type,
                                     const char *missing);

#endif
