/* The path of a sample from collectd to Prometheus; see collectd_model.h. */
#include "collectd_model.h"
#include "om_shard.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

void cm_escape_slashes(char *field) {
  size_t n = strlen(field);
  if (n == 1 && field[0] == '/') {
    strcpy(field, "root");
    return;
  }
  if (n > 1 && field[0] == '/')
    memmove(field, field + 1, n--);
  for (size_t i = 0; i < n; i++)
    if (field[i] == '/')
      field[i] = '_';
}

void cm_as_scraped(const om_sample *sample, unsigned shards, rl_labelset *ls) {
  const om_sample *s = sample;
  /* the fields om_dispatch() fills, and collectd's escape_slashes() */
  char field[OM_PACK_FIELDS][OM_PACK_FIELD_SIZE];
  char *const fields[OM_PACK_FIELDS] = {field[0], field[1], field[2]};
  if (!om_pack_fill(s->pack.text, s->pack.len, fields))
    abort(); /* a pack the encoder accepted always fits */
  for (int k = 0; k < OM_PACK_FIELDS; k++)
    cm_escape_slashes(field[k]);
  /* the plugin name of the sample's shard, as om_dispatch() chooses it;
   * write_prometheus names the family and the plugin_instance label
   * after it */
  unsigned count = s->generic ? om_shard_generic_count(shards) : shards;
  char plugin[128], name[300];
  om_shard_name("operator_metrics", om_shard_of(s->id, count), count, plugin,
                sizeof(plugin));
  snprintf(name, sizeof(name), "collectd_%s_%s%s", plugin, s->type_name,
           s->ds_type == OM_DS_DERIVE ? "_total" : "");
  rl_set(ls, "__name__", name);
  /* write_prometheus 5.12: host as instance, which honor_labels false
   * makes exported_instance; plugin_instance under the plugin's name,
   * type_instance as type (under the plugin's name when there is no
   * plugin_instance) */
  rl_set(ls, "exported_instance", field[0]);
  if (field[1][0] != '\0') {
    rl_set(ls, plugin, field[1]);
    if (field[2][0] != '\0')
      rl_set(ls, "type", field[2]);
  } else if (field[2][0] != '\0') {
    rl_set(ls, plugin, field[2]);
  }
  rl_set(ls, "job", "collectd");
  rl_set(ls, "instance", "127.0.0.1:9103");
}
