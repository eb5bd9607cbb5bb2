/* kubernetes/, pure: includes core/ and kubernetes/.
 *
 * The dynamo preset's resources and how each of its objects is mapped. */
#ifndef OM_KUBE_PRESET_DYNAMO_H
#define OM_KUBE_PRESET_DYNAMO_H

#include "om_kube_presets.h"

extern const om_kube_preset om_kube_preset_dynamo;

#endif
