/* The path of a sample from collectd to Prometheus; see collectd_model.h. */
#include "collectd_model.h"
#include "om_shard.h"

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
  om_sample s = *sample;
  cm_escape_slashes(s.pack.plugin_instance);
  cm_escape_slashes(s.pack.type_instance);
  /* the plugin name of the sample's shard, as om_dispatch() chooses it;
   * write_prometheus names the family and the plugin_instance label
   * after it */
  unsigned count = s.generic ? om_shard_generic_count(shards) : shards;
  char plugin[128], name[300];
  om_shard_name("operator_metrics", om_shard_of(s.id, count), count, plugin,
                sizeof(plugin));
  snprintf(name, sizeof(name), "collectd_%s_%s%s", plugin, s.type_name,
           s.ds_type == OM_DS_DERIVE ? "_total" : "");
  rl_set(ls, "__name__", name);
  if (s.pack.plugin_instance[0] != '\0') {
    rl_set(ls, plugin, s.pack.plugin_instance);
    rl_set(ls, "type", s.pack.type_instance);
  } else {
    rl_set(ls, plugin, s.pack.type_instance);
  }
  /* honor_labels false: collectd's instance label became exported_ */
  rl_set(ls, "exported_instance", "collectd-host");
  rl_set(ls, "job", "collectd");
  rl_set(ls, "instance", "127.0.0.1:9103");
}
