/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * What every configuration block shares: its name and id, its Interval,
 * the skeleton that reads it (om_block_parse) and the one rule for the
 * time a read may take (om_block_timeouts).
 *
 * The rule: a read ends before the next one is due, with a tenth of the
 * interval to spare. The time limits a read can use up, one after the
 * other (Timeout; ConnectTimeout and StatementTimeout for <Postgres>),
 * add up to at most OM_BLOCK_READ_SHARE of the block's interval. Each
 * limit not set gets its collector's default, a share of the interval
 * with a cap, and the defaults always fit. */
#ifndef OM_BLOCK_H
#define OM_BLOCK_H

#include "liboconfig/oconfig.h"
#include "om_conf.h"
#include "om_election.h"
#include "om_types.h"

#include <stddef.h>

/* of the interval, the most a read may take */
#define OM_BLOCK_READ_SHARE 0.9

typedef struct om_block_syntax om_block_syntax;

/* The start of every block's configuration structure. */
typedef struct {
  char *name;        /* the block's name */
  char *id;          /* "<kind>/<name>", which log lines name */
  double interval_s; /* its Interval option; 0: collectd's interval */
  /* Include/Exclude of a first-hand block (<Postgres>, <Backup>,
   * <Kubernetes>): the families it dispatches (om_emitter_select) */
  char **include;
  size_t include_num;
  char **exclude;
  size_t exclude_num;
  /* LeaderElection and its options, which every kind takes (the skeleton
   * reads them); NULL: none. om_module takes it over. */
  om_election_conf *election;
} om_block_conf;

/* The Include and Exclude options of a first-hand block, for its option
 * table (T: its configuration structure, which starts with `block`). */
#define OM_BLOCK_FAMILY_OPTIONS(T)                                             \
  OM_OPTION_LIST(T, "Include", block.include, block.include_num),              \
      OM_OPTION_LIST(T, "Exclude", block.exclude, block.exclude_num)

/* How one kind of block is read. Its configuration structure begins with
 * an om_block_conf. */
struct om_block_syntax {
  const char *key;  /* the block's key: "Target" */
  const char *kind; /* the id's first part: "target" */
  size_t size;      /* of the configuration structure */
  /* the defaults, before any option is read; NULL: all zero */
  void (*init)(void *cfg);
  /* the options read by type alone (Interval is the skeleton's own) */
  const om_option *options;
  size_t options_num;
  /* the options that may be given more than once, NULL-terminated */
  const char *const *repeatable;
  /* any other option: 0, or -1 after logging (om_conf_unknown for one
   * that is not an option of the block) */
  int (*option)(void *cfg, const oconfig_item_t *ci);
  /* defaults and checks across options, with the interval the block
   * runs at; 0 or -1 after logging */
  int (*finish)(void *cfg, double interval_s);
  /* frees everything, om_block_conf included; NULL-tolerant */
  void (*free)(void *cfg);
  /* the name of a block written without one (<Host>); NULL: a name is
   * required */
  const char *default_name;
};

/* Reads a <Key "name"> block: its name (one non-empty UTF-8 string, or
 * the kind's default_name when it has one and none is given), then
 * each option in order, then finish(). default_interval_s is collectd's
 * interval. Returns the new configuration, or NULL after an error was
 * logged naming the option and the block. */
void *om_block_parse(const oconfig_item_t *ci, const om_block_syntax *syntax,
                     double default_interval_s);

/* Frees what om_block_parse put into b (not b itself). */
void om_block_conf_free(om_block_conf *b);

/* Whether a series the block itself will dispatch (family, with labels
 * known at configuration time) fits collectd's two identifier fields in
 * the label pack (om_encode.h). -1 after logging that what (the options
 * the labels come from, as in "option \"Job\"") is too long, naming the
 * series and the limit: the block would lose the series at every read.
 * The skeleton checks the block's name this way itself (its drop
 * counts); a kind checks its own series. */
int om_block_check_fits(const om_block_conf *b, const char *what,
                        const char *family, om_label *labels, size_t n);

/* One time limit of a read. */
typedef struct {
  const char *option; /* its option: "Timeout" */
  double *value;      /* seconds; 0 before: not set, gets the default */
  double share;       /* its default: this share of the interval, */
  double cap_s;       /* but at most this */
} om_block_timeout;

/* Fills in the defaults of the n limits and checks the rule (above): -1
 * after logging, naming the options, when they take more than
 * OM_BLOCK_READ_SHARE of interval_s. */
int om_block_timeouts(const om_block_conf *b, om_block_timeout *limits,
                      size_t n, double interval_s);

#endif
