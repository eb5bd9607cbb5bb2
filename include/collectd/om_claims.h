/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * One owner per series. Each block says at configuration time which
 * families it can send and what it fixes of their series: the namespace,
 * the database server (instance) and the database, each either one of
 * some values, any value (a <Kubernetes> block that reads every
 * namespace), or not known before a read (the stanzas a pgBackRest
 * command lists). Two blocks conflict on a family when their scopes
 * overlap:
 *   - blocks of different kinds conflict wherever their scopes can meet;
 *   - blocks of one kind conflict only where both fix every dimension to
 *     values that meet (what is not known is checked at run time), and
 *     never on a family whose sources add up (om_emitter_combine);
 *   - <Target> blocks do not conflict with each other (their job and
 *     instance labels keep them apart, as Prometheus keeps its targets).
 * The module refuses a configuration with conflicts, naming both blocks
 * and the family.
 *
 * At run time the claims of the first-hand blocks tell a <Target> which
 * families to leave to them, and blocks claim series they can only name
 * after a read (the same stanza reached by two commands): the first block
 * keeps it. */
#ifndef OM_CLAIMS_H
#define OM_CLAIMS_H

#include "om_block.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  OM_SCOPE_ANY = 0, /* every value: the block sends them all */
  OM_SCOPE_UNKNOWN, /* the source decides, at run time */
  OM_SCOPE_VALUES,  /* exactly these */
} om_scope_how;

typedef struct {
  om_scope_how how;
  const char *const *values; /* OM_SCOPE_VALUES; must outlive the claims */
  size_t values_num;
} om_scope_dim;

/* namespace, database server, database, custom resource
 * ("<plural>.<group>/<version>") */
enum {
  OM_DIM_NAMESPACE,
  OM_DIM_INSTANCE,
  OM_DIM_DATABASE,
  OM_DIM_RESOURCE,
  OM_DIMS
};

typedef struct {
  om_scope_dim dim[OM_DIMS];
} om_scope;

typedef struct {
  const char *block_id; /* "<kind>/<name>"; must outlive the claims */
  const char *kind;
  bool first_hand; /* the plugin measures it (not a <Target>) */
  const char *family;
  bool summed; /* blocks of this kind add up into it */
  /* its series carry job and instance, as a target's do (<Host>): a
   * <Target> may send the family for other instances, so it does not
   * leave the family to this block */
  bool labelled;
  om_scope scope;
} om_claim;

typedef struct {
  om_claim *items;
  size_t num, cap;
  bool failed; /* out of memory: the check cannot be trusted */
} om_claims;

/* A scope dimension of the one value *value (NULL or *value NULL: the
 * empty value, as the label would be). */
om_scope_dim om_scope_one(const char *const *value);

/* Adds a claim of block b (of kind, first-hand or not) to family. A
 * first-hand block's claim is added only when its Include/Exclude let the
 * family out; a <Target> applies its own Preset, Include and Exclude
 * before it calls this. */
void om_claims_add(om_claims *c, const om_block_conf *b, const char *kind,
                   bool first_hand, const char *family, bool summed,
                   const om_scope *scope);

/* The claims of a first-hand block to each of the NULL-terminated
 * families: those in summed (NULL-terminated; NULL: none, as with a
 * block that keeps its finer labels) in scope sums, the others in scope
 * each. */
void om_claims_add_families(om_claims *c, const om_block_conf *b,
                            const char *kind, const char *const *families,
                            const char *const *summed, const om_scope *each,
                            const om_scope *sums);

/* The claims of a first-hand block whose series carry job and instance
 * (om_claim.labelled) to each of the NULL-terminated families, in every
 * namespace, instance, database and resource: two such blocks of one
 * kind conflict on every family both send. */
void om_claims_add_labelled(om_claims *c, const om_block_conf *b,
                            const char *kind, const char *const *families);

/* Logs every conflict (at most a screenful, then their number), naming
 * both blocks, the family and the scope they share, and returns how many
 * there are (-1 when out of memory). */
long om_claims_check(om_claims *c);

/* Keeps the first-hand families of c for om_claims_first_hand (the module
 * calls this after the check) and frees c's list. */
void om_claims_settle(om_claims *c);

/* The first-hand block that sends family in this collectd (NULL: none).
 * Lock-free: the table is fixed between init and shutdown. */
const char *om_claims_first_hand(const char *family);

/* A series known only at run time (key: its identity, such as
 * "backup\0<namespace>\0<database>", key_len bytes) claimed by block_id:
 * NULL when the block holds it (now or before), else the block that
 * does. Thread-safe. */
const char *om_claims_take(const char *key, size_t key_len,
                           const char *block_id);

/* Frees what the claims keep (collectd's shutdown). */
void om_claims_shutdown(void);

#endif
