/* kubernetes/, pure: includes core/ and kubernetes/.
 *
 * The presets: for each operator, which custom resources it has and how
 * the operator itself derives its metrics' labels from them (one file per
 * preset: om_kube_preset_dbops, _dynamo, _datum). */
#ifndef OM_KUBE_PRESETS_H
#define OM_KUBE_PRESETS_H

#include "om_kube_map.h"

#include <stdbool.h>
#include <stddef.h>

/* One resource of a preset. */
typedef struct {
  const char *group, *version, *plural, *kind;
  bool cluster_scoped;
  om_kube_mapper mapper;
} om_kube_preset_resource;

typedef struct {
  const char *name; /* as the Preset option names it */
  const om_kube_preset_resource *resources;
  size_t num;
  const char *const *families; /* its mappers send, NULL-terminated */
} om_kube_preset;

/* Adds the resources of the preset of this name (case-insensitive;
 * allocated, info on) to *list. -1 for an unknown name (err says which
 * are known) or out of memory. */
int om_kube_preset_add(const char *preset, om_kube_resource ***list,
                       size_t *num, char *err, size_t errlen);

#endif
