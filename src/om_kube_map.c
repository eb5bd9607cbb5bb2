/* Mapping listed custom resources to rows: kube_customresource_info, the
 * <Resource> block's own labels, counts and gauges, then the preset's. */
#include "om_kube_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L om_label_cstr

static void fields_free(om_kube_field *f, size_t n) {
  for (size_t i = 0; i < n; i++) {
    om_jpath_free(f[i].path);
    free(f[i].name);
  }
  free(f);
}

void om_kube_resource_free(om_kube_resource *r) {
  if (r == NULL)
    return;
  free(r->group);
  free(r->version);
  free(r->plural);
  free(r->kind);
  free(r->id);
  free(r->count_family);
  fields_free(r->labels, r->labels_num);
  fields_free(r->counts, r->counts_num);
  fields_free(r->values, r->values_num);
  free(r);
}

int om_kube_resource_name(om_kube_resource *r) {
  size_t n = strlen(r->plural) + strlen(r->group) + strlen(r->version) + 3;
  free(r->id);
  if ((r->id = malloc(n)) == NULL)
    return -1;
  snprintf(r->id, n, "%s.%s/%s", r->plural, r->group, r->version);
  return 0;
}

/* The identity labels every per-object family of the generic mapping has:
 * customresource_group, _version, _kind, namespace, name. */
static size_t identity_labels(const om_kube_resource *r, const cJSON *obj,
                              om_label *l) {
  const char *kind = r->kind ? r->kind : om_json_str(obj, "kind", "");
  l[0] = L("customresource_group", r->group);
  l[1] = L("customresource_version", r->version);
  l[2] = L("customresource_kind", kind);
  l[3] = L("namespace", om_json_str(obj, "metadata.namespace", ""));
  l[4] = L("name", om_json_str(obj, "metadata.name", ""));
  return 5;
}

static void map_info(const om_kube_resource *r, const cJSON *obj,
                     om_kube_snapshot *snap) {
  om_label l[OM_KUBE_MAX_LABELS];
  char text[OM_KUBE_MAX_LABELS][OM_KUBE_MAX_TEXT];
  size_t n = identity_labels(r, obj, l);
  for (size_t i = 0; i < r->labels_num && n < OM_KUBE_MAX_LABELS; i++) {
    om_json_text(om_jpath_get(r->labels[i].path, obj), text[i],
                 sizeof(text[i]));
    l[n++] = L(r->labels[i].name, text[i]);
  }
  om_kube_rows_set(&snap->values, "kube_customresource_info", l, n, 1);
}

/* CountBy: one count per combination of the values at the paths. */
static void map_counts(const om_kube_resource *r, const cJSON *obj,
                       om_kube_snapshot *snap) {
  om_label l[OM_KUBE_MAX_LABELS];
  char text[OM_KUBE_MAX_LABELS][OM_KUBE_MAX_TEXT];
  size_t n = identity_labels(r, obj, l) - 1; /* without name */
  for (size_t i = 0; i < r->counts_num && n < OM_KUBE_MAX_LABELS; i++) {
    om_json_text(om_jpath_get(r->counts[i].path, obj), text[i],
                 sizeof(text[i]));
    l[n++] = L(r->counts[i].name, text[i]);
  }
  om_kube_rows_count(&snap->totals, r->count_family, l, n);
}

static void map_values(const om_kube_resource *r, const cJSON *obj,
                       om_kube_snapshot *snap) {
  om_label l[OM_KUBE_MAX_LABELS];
  size_t n = identity_labels(r, obj, l);
  for (size_t i = 0; i < r->values_num; i++) {
    double v;
    if (om_json_value(om_jpath_get(r->values[i].path, obj), &v))
      om_kube_rows_set(&snap->values, r->values[i].name, l, n, v);
  }
}

void om_kube_map_object(const om_kube_resource *r, const cJSON *obj,
                        om_kube_snapshot *snap) {
  if (r->info)
    map_info(r, obj, snap);
  if (r->counts_num > 0)
    map_counts(r, obj, snap);
  if (r->values_num > 0)
    map_values(r, obj, snap);
  if (r->mapper != NULL)
    r->mapper(r, obj, snap);
}
