/* Data sets and dispatch through collectd's plugin API; see om_dispatch.h. */
#include "om_dispatch.h"
#include "om_log.h"
#include "om_shard.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(OM_PLUGIN_NAME) + OM_SHARD_SUFFIX_MAX <=
                   DATA_MAX_NAME_LEN,
               "every shard's plugin name fits collectd's plugin field");
_Static_assert(OM_PACK_FIELD_SIZE == DATA_MAX_NAME_LEN,
               "the label pack fills collectd identifier fields exactly");
_Static_assert(sizeof(((value_list_t *)0)->host) == OM_PACK_FIELD_SIZE,
               "collectd's host field holds a pack field");
_Static_assert(OM_TYPE_NAME_SIZE == DATA_MAX_NAME_LEN,
               "catalog type names fit collectd's type field");

static int register_one(const char *type_name, om_ds_type ds_type) {
  if (plugin_get_ds(type_name) != NULL) {
    om_log(OM_LOG_ERR, NULL,
           "collectd already has a data set named \"%s\" (a TypesDB entry "
           "or another plugin); refusing to overwrite it",
           type_name);
    return -1;
  }
  data_source_t dsrc = {
      .type = ds_type == OM_DS_DERIVE ? DS_TYPE_DERIVE : DS_TYPE_GAUGE,
      .min = ds_type == OM_DS_DERIVE ? 0.0 : NAN,
      .max = NAN,
  };
  snprintf(dsrc.name, sizeof(dsrc.name), "value");
  data_set_t ds = {.ds_num = 1, .ds = &dsrc};
  snprintf(ds.type, sizeof(ds.type), "%s", type_name);
  return plugin_register_data_set(&ds);
}

/* The shards of the catalog series types and of the generic type, set
 * once by om_register_data_sets() before any read runs. */
static unsigned shards = 1, generic_shards = OM_GENERIC_SHARDS_MIN;

int om_register_data_sets(const om_catalog *catalog, unsigned shard_count) {
  size_t num = 0;
  const om_series_type *st = om_catalog_series_types(catalog, &num);
  shards = shard_count < 1 ? 1 : shard_count;
  generic_shards = om_shard_generic_count(shards);
  for (size_t i = 0; i < num; i++)
    if (register_one(st[i].type_name, st[i].ds_type) != 0)
      return -1;
  return register_one(OM_GENERIC_BASE, OM_DS_GAUGE);
}

int om_dispatch(const om_series_ref *s, double gauge, int64_t derive,
                cdtime_t t) {
  value_t value;
  if (s->ds_type == OM_DS_DERIVE)
    value.derive = (derive_t)derive;
  else
    value.gauge = (gauge_t)gauge;
  value_list_t vl = VALUE_LIST_INIT;
  vl.values = &value;
  vl.values_len = 1;
  vl.time = t;
  unsigned count = s->generic ? generic_shards : shards;
  if (om_shard_name(OM_PLUGIN_NAME, om_shard_of(s->id, count), count, vl.plugin,
                    sizeof(vl.plugin)) == 0)
    return -1; /* OM_SHARD_MAX leaves room in the plugin field */
  size_t type_len = strnlen(s->type_name, sizeof(vl.type) - 1);
  memcpy(vl.type, s->type_name, type_len);
  vl.type[type_len] = '\0';
  /* The pack fits by construction (om_encode.h). */
  char *const fields[OM_PACK_FIELDS] = {vl.host, vl.plugin_instance,
                                        vl.type_instance};
  if (!om_pack_fill(s->pack, s->pack_len, fields))
    return -1;
  return plugin_dispatch_values(&vl);
}
