/* The presets by name; see om_kube_presets.h. */
#include "om_kube_presets.h"
#include "om_kube_preset_datum.h"
#include "om_kube_preset_dbops.h"
#include "om_kube_preset_dynamo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const om_kube_preset *const PRESETS[] = {
    &om_kube_preset_dbops, &om_kube_preset_dynamo, &om_kube_preset_datum};
#define PRESETS_NUM (OM_LEN(PRESETS))

static om_kube_resource *resource_of(const om_kube_preset_resource *p,
                                     const char *const *families) {
  om_kube_resource *r = calloc(1, sizeof(*r));
  if (r == NULL)
    return NULL;
  r->group = strdup(p->group);
  r->version = strdup(p->version);
  r->plural = strdup(p->plural);
  r->kind = strdup(p->kind);
  r->cluster_scoped = p->cluster_scoped;
  r->info = true;
  r->mapper = p->mapper;
  r->families = families;
  if (r->group == NULL || r->version == NULL || r->plural == NULL ||
      r->kind == NULL || om_kube_resource_name(r) != 0) {
    om_kube_resource_free(r);
    return NULL;
  }
  return r;
}

static const om_kube_preset *preset_named(const char *name) {
  for (size_t i = 0; i < PRESETS_NUM; i++)
    if (strcasecmp(PRESETS[i]->name, name) == 0)
      return PRESETS[i];
  return NULL;
}

int om_kube_preset_add(const char *name, om_kube_resource ***list, size_t *num,
                       char *err, size_t errlen) {
  const om_kube_preset *p = preset_named(name);
  if (p == NULL) {
    snprintf(err, errlen, "\"%s\" is not one of dbops, dynamo, datum", name);
    return -1;
  }
  om_kube_resource **grown = realloc(*list, (*num + p->num) * sizeof(*grown));
  if (grown == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  *list = grown;
  for (size_t i = 0; i < p->num; i++) {
    om_kube_resource *r = resource_of(&p->resources[i], p->families);
    if (r == NULL) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
    (*list)[(*num)++] = r;
  }
  return 0;
}
