/* kubernetes/: includes core/, io/, collectd/ and kubernetes/.
 *
 * The <Kubernetes> collector: custom resources listed from the Kubernetes
 * API server, as inventory families (kube_customresource_info, the
 * presets' dbops_*, dynamo_operator_resources_total, datum conditions) and
 * the <Resource> blocks' own families. */
#ifndef OM_KUBE_H
#define OM_KUBE_H

#include "om_catalog.h"
#include "om_emitter.h"

/* The collector of a configuration (an om_kube_config, which it takes
 * over, and frees when it fails); NULL when out of memory. */
void *om_kube_new(void *config, const om_catalog *catalog);
/* One listing of every resource; always 0 (a resource that cannot be
 * listed is reported in operator_metrics_kubernetes_resource_state). */
int om_kube_read(void *kube);
/* Frees the collector and its configuration; NULL-tolerant. */
void om_kube_free(void *kube);

/* The collector's emitter (om_block_kind.emitter). */
om_emitter *om_kube_emitter(void *collector);

#endif
