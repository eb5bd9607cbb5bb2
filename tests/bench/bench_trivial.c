/* bench_trivial: the baseline of tests/bench/bench_collectd.py, a collectd
 * plugin that does nothing but dispatch a fixed list of values at every
 * read, with the identifiers, data sets and timestamps operator_metrics
 * gives them. collectd's CPU per value with it is what collectd itself
 * costs; the benchmark compares operator_metrics with it, side by side.
 *
 *   LoadPlugin bench_trivial
 *   <Plugin bench_trivial>
 *     File "/path/ids.tsv"
 *   </Plugin>
 *
 * Each line of the file: host, plugin name (operator_metrics or a shard's
 * operator_metrics_<shard>), type, "gauge" or "derive", plugin_instance and
 * type_instance, separated by tabs (operator_metrics' label pack fills
 * host, plugin_instance and type_instance). The plugin registers one data set
 * per type (one data source "value", as operator_metrics does) in init, and
 * every read dispatches every line, all with one timestamp and values that
 * grow from read to read. Not part of the
 * product: built on demand (make tests/bench/bench_trivial.la). */
#include "collectd.h"
#include "plugin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 2000000

typedef struct {
  char host[DATA_MAX_NAME_LEN];
  char plugin[DATA_MAX_NAME_LEN];
  char type[DATA_MAX_NAME_LEN];
  char plugin_instance[DATA_MAX_NAME_LEN];
  char type_instance[DATA_MAX_NAME_LEN];
  int ds_type;
} id_line;

static char *file_path;
static id_line *lines;
static size_t lines_num;
static uint64_t reads;

static int trivial_config(const char *key, const char *value) {
  if (strcasecmp(key, "File") != 0)
    return -1;
  free(file_path);
  file_path = strdup(value);
  return file_path ? 0 : -1;
}

/* Copies the next tab-separated field of *p into out (size bytes);
 * false when the field is too long. */
static bool next_field(char **p, char *out, size_t size) {
  char *end = strchr(*p, '\t');
  size_t n = end ? (size_t)(end - *p) : strcspn(*p, "\n");
  if (n >= size)
    return false;
  memcpy(out, *p, n);
  out[n] = '\0';
  *p += n + (end != NULL);
  return true;
}

static int parse_line(char *buf, id_line *l) {
  char kind[16];
  char *p = buf;
  if (!next_field(&p, l->host, sizeof(l->host)) ||
      !next_field(&p, l->plugin, sizeof(l->plugin)) ||
      !next_field(&p, l->type, sizeof(l->type)) ||
      !next_field(&p, kind, sizeof(kind)) ||
      !next_field(&p, l->plugin_instance, sizeof(l->plugin_instance)) ||
      !next_field(&p, l->type_instance, sizeof(l->type_instance)) ||
      l->plugin[0] == '\0' || l->type[0] == '\0')
    return -1;
  l->ds_type = strcmp(kind, "derive") == 0 ? DS_TYPE_DERIVE : DS_TYPE_GAUGE;
  return 0;
}

static int register_type(const id_line *l) {
  if (plugin_get_ds(l->type) != NULL)
    return 0;
  data_source_t dsrc = {.type = l->ds_type,
                        .min = l->ds_type == DS_TYPE_DERIVE ? 0.0 : NAN,
                        .max = NAN};
  snprintf(dsrc.name, sizeof(dsrc.name), "value");
  data_set_t ds = {.ds_num = 1, .ds = &dsrc};
  snprintf(ds.type, sizeof(ds.type), "%s", l->type);
  return plugin_register_data_set(&ds);
}

static int trivial_init(void) {
  FILE *f = file_path ? fopen(file_path, "r") : NULL;
  if (f == NULL) {
    ERROR("bench_trivial: cannot open File \"%s\"",
          file_path ? file_path : "(none)");
    return -1;
  }
  char buf[4 * DATA_MAX_NAME_LEN];
  size_t cap = 0;
  while (fgets(buf, sizeof(buf), f) != NULL && lines_num < MAX_LINES) {
    if (lines_num == cap) {
      cap = cap ? 2 * cap : 1024;
      id_line *grown = realloc(lines, cap * sizeof(*lines));
      if (grown == NULL)
        break;
      lines = grown;
    }
    if (parse_line(buf, &lines[lines_num]) == 0 &&
        register_type(&lines[lines_num]) == 0)
      lines_num++;
  }
  fclose(f);
  INFO("bench_trivial: %zu values to dispatch at every read", lines_num);
  return 0;
}

static int trivial_read(void) {
  cdtime_t now = cdtime();
  reads++;
  for (size_t i = 0; i < lines_num; i++) {
    const id_line *l = &lines[i];
    value_t value;
    if (l->ds_type == DS_TYPE_DERIVE)
      value.derive = (derive_t)(reads * 3 + i);
    else
      value.gauge = (gauge_t)(reads + i);
    value_list_t vl = VALUE_LIST_INIT;
    vl.values = &value;
    vl.values_len = 1;
    vl.time = now;
    memcpy(vl.host, l->host, sizeof(vl.host));
    memcpy(vl.plugin, l->plugin, sizeof(vl.plugin));
    memcpy(vl.type, l->type, sizeof(vl.type));
    memcpy(vl.plugin_instance, l->plugin_instance, sizeof(vl.plugin_instance));
    memcpy(vl.type_instance, l->type_instance, sizeof(vl.type_instance));
    plugin_dispatch_values(&vl);
  }
  return 0;
}

static int trivial_shutdown(void) {
  free(lines);
  free(file_path);
  lines = NULL;
  file_path = NULL;
  lines_num = 0;
  return 0;
}

void module_register(void);
void module_register(void) {
  static const char *keys[] = {"File"};
  plugin_register_config("bench_trivial", trivial_config, keys, 1);
  plugin_register_init("bench_trivial", trivial_init);
  plugin_register_read("bench_trivial", trivial_read);
  plugin_register_shutdown("bench_trivial", trivial_shutdown);
}
