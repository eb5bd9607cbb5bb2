/* Data sets and dispatch through collectd's plugin API; see om_dispatch.h. */
#include "om_dispatch.h"
#include "om_log.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

_Static_assert(OM_PACK_FIELD_SIZE == DATA_MAX_NAME_LEN,
               "the label pack fills collectd identifier fields exactly");
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

int om_register_data_sets(const om_catalog *catalog) {
  size_t num = 0;
  const om_series_type *st = om_catalog_series_types(catalog, &num);
  for (size_t i = 0; i < num; i++)
    if (register_one(st[i].type_name, st[i].ds_type) != 0)
      return -1;
  for (unsigned i = 0; i < OM_GENERIC_TYPES; i++)
    if (register_one(om_generic_type(i), OM_DS_GAUGE) != 0)
      return -1;
  return 0;
}

int om_dispatch(const om_sample *s, cdtime_t t) {
  value_t value;
  if (s->ds_type == OM_DS_DERIVE)
    value.derive = (derive_t)s->derive;
  else
    value.gauge = (gauge_t)s->value;
  value_list_t vl = VALUE_LIST_INIT;
  vl.values = &value;
  vl.values_len = 1;
  vl.time = t;
  snprintf(vl.plugin, sizeof(vl.plugin), "%s", OM_PLUGIN_NAME);
  snprintf(vl.type, sizeof(vl.type), "%s", s->type_name);
  /* The pack fits by construction (om_encode.h). */
  memcpy(vl.plugin_instance, s->pack.plugin_instance,
         sizeof(vl.plugin_instance));
  memcpy(vl.type_instance, s->pack.type_instance, sizeof(vl.type_instance));
  return plugin_dispatch_values(&vl);
}
