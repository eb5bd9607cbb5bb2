/* target/, pure: includes core/ and target/.
 *
 * The presets of a <Target>: for an operator whose figures the plugin also
 * measures first-hand, the catalog families only the operator's own
 * /metrics has (its controllers, its Go runtime, the counters of what it
 * did), so that a <Target> with the preset never sends a family a
 * <Postgres>, <Backup> or <Kubernetes> block owns. */
#ifndef OM_TARGET_PRESET_H
#define OM_TARGET_PRESET_H

#include "om_catalog_data.h"

#include <stdbool.h>

typedef struct {
  const char *name;            /* as the Preset option names it */
  const char *const *sources;  /* catalog sources taken whole */
  const char *const *families; /* and these families */
  const char *const *except;   /* but not these */
} om_target_preset;

/* The preset of this name (case-insensitive), or NULL. */
const om_target_preset *om_target_preset_named(const char *name);

/* The names of every preset, for an error message: "a, b or c". */
const char *om_target_preset_names(void);

/* Whether the preset takes family f. */
bool om_target_preset_has(const om_target_preset *p, const om_family *f);

#endif
