/* Mapping listed custom resources to rows: kube_customresource_info, the
 * <Resource> block's own labels, counts and gauges, then the preset's. */
#include "om_kube_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  l[0] = om_label_cstr("customresource_group", r->group);
  l[1] = om_label_cstr("customresource_version", r->version);
  l[2] = om_label_cstr("customresource_kind", kind);
  l[3] = om_label_cstr("namespace", om_kube_namespace_of(obj));
  l[4] = om_label_cstr("name", om_kube_name_of(obj));
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
    l[n++] = om_label_cstr(r->labels[i].name, text[i]);
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
    l[n++] = om_label_cstr(r->counts[i].name, text[i]);
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

void om_kube_snapshot_free(om_kube_snapshot *s) {
  om_kube_rows_free(&s->values);
  om_kube_rows_free(&s->totals);
  s->objects = 0;
  s->skipped = 0;
  s->pages = 0;
  s->first_skip[0] = '\0';
}

/* A DNS-1123 name as Kubernetes validates object names (a subdomain:
 * dot-separated labels) and namespaces (one label): lowercase letters,
 * digits, '-' inside a label, at most max bytes. */
static bool dns_name(const char *s, size_t max, bool dots) {
  size_t n = strlen(s);
  if (n == 0 || n > max)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    bool edge = i == 0 || i + 1 == n || s[i - 1] == '.' || s[i + 1] == '.';
    if (alnum || (c == '-' && !edge) || (c == '.' && dots && !edge))
      continue;
    return false;
  }
  return true;
}

/* Why an item cannot be mapped, or NULL. */
static const char *item_problem(const om_kube_resource *r, const cJSON *item) {
  if (!cJSON_IsObject(item))
    return "is not an object";
  const cJSON *name = om_json_at(item, "metadata.name");
  if (!cJSON_IsString(name) || name->valuestring[0] == '\0')
    return "has no metadata.name";
  if (!dns_name(name->valuestring, OM_KUBE_MAX_NAME, true))
    return "has a metadata.name that is not a DNS subdomain of at most 253 "
           "bytes";
  const cJSON *ns = om_json_at(item, "metadata.namespace");
  if (!r->cluster_scoped && (!cJSON_IsString(ns) || ns->valuestring[0] == '\0'))
    return "has no metadata.namespace, yet the resource is namespaced";
  if (ns != NULL && !cJSON_IsString(ns))
    return "has a metadata.namespace that is not a string";
  if (ns != NULL && ns->valuestring[0] != '\0' &&
      !dns_name(ns->valuestring, OM_KUBE_MAX_NAMESPACE, false))
    return "has a metadata.namespace that is not a DNS label of at most 63 "
           "bytes";
  return NULL;
}

/* Counts an object that cannot be mapped; the first of a listing is kept
 * for the log, with where it stood. */
static void skip(om_kube_snapshot *snap, int index, const char *problem) {
  if (snap->skipped++ == 0)
    snprintf(snap->first_skip, sizeof(snap->first_skip),
             "page %zu, items[%d] %s", snap->pages, index, problem);
}

int om_kube_map_page(const om_kube_resource *r, const om_kube_page *page,
                     om_kube_snapshot *snap, char *why, size_t whylen) {
  int i = 0;
  const cJSON *item;
  snap->pages++;
  cJSON_ArrayForEach(item, page->items) {
    const char *problem = item_problem(r, item);
    if (problem != NULL) {
      skip(snap, i, problem);
    } else {
      om_kube_map_object(r, item, snap);
      snap->objects++;
    }
    i++;
  }
  if (snap->values.out_of_memory || snap->totals.out_of_memory) {
    snprintf(why, whylen, "out of memory");
    return -1;
  }
  return 0;
}

const char *om_kube_name_of(const cJSON *obj) {
  return om_json_str(obj, "metadata.name", "");
}

const char *om_kube_namespace_of(const cJSON *obj) {
  return om_json_str(obj, "metadata.namespace", "");
}

const char *om_kube_condition_status(const cJSON *obj, const char *type,
                                     const char *missing) {
  const cJSON *c;
  cJSON_ArrayForEach(c, om_json_at(obj, "status.conditions")) {
    if (strcmp(om_json_str(c, "type", ""), type) == 0)
      return om_json_str(c, "status", missing);
  }
  return missing;
}
