/* Benchmark of the <Kubernetes> collector's own work per listed object:
 * reading a list page (JSON parse and checks) and mapping its objects
 * through the dbops preset (info row, count, kube_customresource_info),
 * and the memory the kept rows take per object. Reports numbers; it
 * asserts no timing, only that every object came through.
 *
 *   bench_kube [objects] [repetitions]
 *
 * The page holds `objects` DatabaseGrant objects (default 5000) shaped as
 * the API server returns them, about 900 bytes each. */
#include "om_kube_presets.h"
#include "om_time.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *make_page(int objects, size_t *len) {
  size_t cap = (size_t)objects * 1024 + 256, used = 0;
  char *buf = malloc(cap);
  used += (size_t)snprintf(buf, cap,
                           "{\"apiVersion\":\"dbops.dbprovision.io/v1alpha1\","
                           "\"kind\":\"DatabaseGrantList\",\"metadata\":{"
                           "\"resourceVersion\":\"81723\"},\"items\":[");
  for (int i = 0; i < objects; i++)
    used += (size_t)snprintf(
        buf + used, cap - used,
        "%s{\"apiVersion\":\"dbops.dbprovision.io/v1alpha1\",\"kind\":"
        "\"DatabaseGrant\",\"metadata\":{\"name\":\"grant-%05d\",\"namespace\":"
        "\"team-%02d\",\"uid\":\"6f1c2b4e-0d1f-4a5e-9c3b-%012d\","
        "\"resourceVersion\":\"%d\",\"generation\":2,\"creationTimestamp\":"
        "\"2026-03-19T06:29:17Z\",\"labels\":{\"app\":\"shop\"}},\"spec\":{"
        "\"userRef\":{\"name\":\"user-%05d\"},\"databaseRef\":{\"name\":"
        "\"db-%03d\"},\"postgres\":{\"roles\":[\"readers\"],\"grants\":[{"
        "\"database\":\"db\",\"schema\":\"public\",\"tables\":[\"*\"],"
        "\"privileges\":[\"SELECT\",\"INSERT\",\"UPDATE\"]}]}},\"status\":{"
        "\"phase\":\"%s\",\"observedGeneration\":2,\"conditions\":[{\"type\":"
        "\"Ready\",\"status\":\"True\",\"reason\":\"Applied\",\"message\":"
        "\"grants applied\",\"lastTransitionTime\":\"2026-03-19T06:29:20Z\","
        "\"observedGeneration\":2}],\"appliedGrants\":{\"roles\":["
        "\"readers\"]}}}",
        i ? "," : "", i, i % 40, i, 1000 + i, i, i % 100,
        i % 7 ? "Ready" : "Pending");
  used += (size_t)snprintf(buf + used, cap - used, "]}");
  *len = used;
  return buf;
}

int main(int argc, char **argv) {
  int objects = argc > 1 ? atoi(argv[1]) : 5000;
  int reps = argc > 2 ? atoi(argv[2]) : 20;
  size_t len;
  char *page_text = make_page(objects, &len);
  om_kube_resource **all = NULL, *grants = NULL;
  size_t num = 0;
  char err[256], why[512];
  if (om_kube_preset_add("dbops", &all, &num, err, sizeof(err)) != 0)
    return 1;
  for (size_t i = 0; i < num; i++)
    if (strcmp(all[i]->plural, "databasegrants") == 0)
      grants = all[i];
  double best_read = 1e9, best_map = 1e9;
  size_t rows_bytes = 0, rows = 0;
  int status = 0;
  for (int r = 0; r < reps; r++) {
    om_kube_page page;
    double t0 = om_monotonic_s();
    om_kube_state st =
        om_kube_page_read(200, page_text, len, &page, why, sizeof(why));
    double t1 = om_monotonic_s();
    size_t before = mallinfo2().uordblks;
    om_kube_snapshot snap = {0};
    int mapped = st == OM_KUBE_OK
                     ? om_kube_map_page(grants, &page, &snap, why, sizeof(why))
                     : -1;
    double t2 = om_monotonic_s();
    rows_bytes = mallinfo2().uordblks - before;
    om_kube_page_free(&page);
    if (mapped != 0 || snap.objects != (size_t)objects) {
      fprintf(stderr, "bench_kube: %s\n", why);
      status = 1;
    }
    rows = snap.values.num + snap.totals.num;
    om_kube_snapshot_free(&snap);
    if (t1 - t0 < best_read)
      best_read = t1 - t0;
    if (t2 - t1 < best_map)
      best_map = t2 - t1;
  }
  printf("bench: kubernetes list page of %d objects (%zu bytes): read %.0f "
         "ns/object (%.0f MB/s), map %.0f ns/object; kept rows %zu, %.0f "
         "bytes/object\n",
         objects, len, best_read * 1e9 / objects, len / best_read / 1e6,
         best_map * 1e9 / objects, rows, (double)rows_bytes / objects);
  for (size_t i = 0; i < num; i++)
    om_kube_resource_free(all[i]);
  free(all);
  free(page_text);
  return status;
}
