/* libFuzzer target: arbitrary bodies as answers to list requests (a 200
 * and a 410), mapped through every preset and a <Resource>-style mapping
 * with selectors. Every row must have valid label names and at most
 * OM_KUBE_MAX_LABELS labels; nothing may crash or leak. */
#include "om_kube_presets.h"
#include "om_types.h"

#include <stdlib.h>
#include <string.h>

static om_kube_resource **resources;
static size_t resources_num;

static om_kube_field field(const char *path, const char *name) {
  char err[128];
  om_kube_field f = {om_jpath_compile(path, err, sizeof(err)), strdup(name)};
  if (f.path == NULL || f.name == NULL)
    abort();
  return f;
}

static void setup(void) {
  char err[128];
  if (om_kube_preset_add("dbops", &resources, &resources_num, err,
                         sizeof(err)) != 0 ||
      om_kube_preset_add("dynamo", &resources, &resources_num, err,
                         sizeof(err)) != 0 ||
      om_kube_preset_add("datum", &resources, &resources_num, err,
                         sizeof(err)) != 0)
    abort();
  om_kube_resource *r = calloc(1, sizeof(*r));
  resources = realloc(resources, (resources_num + 1) * sizeof(*resources));
  if (r == NULL || resources == NULL)
    abort();
  r->group = strdup("example.com");
  r->version = strdup("v1");
  r->plural = strdup("widgets");
  r->info = true;
  r->count_family = strdup("kube_customresource_count");
  r->labels = malloc(sizeof(om_kube_field));
  r->labels[0] = field("status.conditions[type=Ready].status", "ready");
  r->labels_num = 1;
  r->counts = malloc(sizeof(om_kube_field));
  r->counts[0] = field("status.phase", "phase");
  r->counts_num = 1;
  r->values = malloc(sizeof(om_kube_field));
  r->values[0] = field("status.items[1].size", "x_size");
  r->values_num = 1;
  if (om_kube_resource_name(r) != 0)
    abort();
  resources[resources_num++] = r;
}

static void check_rows(const om_kube_rows *rows) {
  for (size_t i = 0; i < rows->num; i++) {
    const om_kube_row *row = rows->rows[i];
    if (row->n > OM_KUBE_MAX_LABELS)
      abort();
    for (size_t j = 0; j < row->n; j++)
      if (!om_label_name_valid(row->names[j], strlen(row->names[j])))
        abort();
  }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  if (resources == NULL)
    setup();
  char why[512];
  om_kube_page page;
  om_kube_page_read(410, (const char *)data, size, &page, why, sizeof(why));
  om_kube_page_free(&page);
  if (om_kube_page_read(200, (const char *)data, size, &page, why,
                        sizeof(why)) != OM_KUBE_OK)
    return 0;
  om_kube_rows seen = {0};
  for (size_t i = 0; i < resources_num; i++) {
    om_kube_snapshot snap = {0};
    if (om_kube_map_page(resources[i], &page, &snap, why, sizeof(why)) == 0) {
      om_kube_rows_settle_counts(&snap.totals, &seen, 100);
      check_rows(&snap.values);
      check_rows(&snap.totals);
    }
    om_kube_snapshot_free(&snap);
  }
  om_kube_rows_free(&seen);
  om_kube_page_free(&page);
  return 0;
}
