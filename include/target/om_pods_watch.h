/* target/: includes core/, io/, collectd/ and target/.
 *
 * The pods a <Target>'s <Pods> block scrapes: listed through the API
 * server (om_kube_list.h) at most every RefreshInterval, with the
 * labelSelector and, with Scope "node", fieldSelector spec.nodeName of
 * this collectd's node, so that each pod is scraped by the collectd of
 * the node it runs on. A listing that fails leaves the pods of the last
 * complete one, and says why in the block's state. */
#ifndef OM_PODS_WATCH_H
#define OM_PODS_WATCH_H

#include "om_emitter.h"
#include "om_pods.h"
#include "om_pods_config.h"

typedef struct om_pods_watch om_pods_watch;

/* A watch of the pods cfg selects (cfg stays the caller's) for the block
 * with this id and name; NULL when out of memory. */
om_pods_watch *om_pods_watch_new(om_pods_config *cfg, const char *block_id,
                                 const char *block_name);

/* Lists the pods again when the last listing is RefreshInterval old, or
 * none completed yet, within deadline (monotonic seconds). Returns true
 * when a complete listing replaced the endpoints. */
bool om_pods_watch_refresh(om_pods_watch *w, double deadline);

/* The endpoints of the last complete listing (none before the first). */
const om_pod_endpoints *om_pods_watch_endpoints(const om_pods_watch *w);

/* The listing's self-metrics (om_kube_list_dispatch), resource "pods" or
 * "endpoints". */
void om_pods_watch_dispatch(const om_pods_watch *w, om_emitter *e);

void om_pods_watch_free(om_pods_watch *w);

#endif
