/* target/, pure: includes core/ and target/.
 *
 * A <Target> block's label rules, what Prometheus users write as
 * metric_relabel_configs, applied in configuration order to the labels of
 * every scraped series (target labels included) before it is encoded:
 *
 *   LabelDrop "regex"            removes every label whose name matches;
 *   LabelKeep "regex"            removes every label whose name does not;
 *   DropSeries "label" "regex"   drops the series when the label's value
 *                                matches, an absent label reading as "";
 *                                "__name__" is the series name.
 *
 * A regex is a POSIX extended regular expression (regcomp(3), as collectd's
 * match_regex reads them), anchored at both ends as Prometheus anchors
 * its own. LabelDrop and LabelKeep never touch the series name, and a
 * rule that would remove job or instance is refused: every series of the
 * block needs them. A series' rules run once, when the series is new: the
 * series cache keeps the outcome. */
#ifndef OM_LABEL_RULES_H
#define OM_LABEL_RULES_H

#include "om_types.h"

#include <stdbool.h>
#include <stddef.h>

#define OM_LABEL_RULES_MAX 64

typedef enum {
  OM_RULE_LABEL_DROP,
  OM_RULE_LABEL_KEEP,
  OM_RULE_DROP_SERIES,
} om_label_rule_kind;

typedef struct om_label_rules om_label_rules;

/* No rules yet; NULL when out of memory. */
om_label_rules *om_label_rules_new(void);
void om_label_rules_free(om_label_rules *r);

/* Appends a rule: label is the label DropSeries reads (NULL for the
 * others). Returns 0, or -1 with a message naming what is wrong in err
 * (errlen bytes): a regex that does not compile, a label name that is not
 * one, a rule that would remove job or instance, one rule too many, or no
 * memory. */
int om_label_rules_add(om_label_rules *r, om_label_rule_kind kind,
                       const char *label, const char *regex, char *err,
                       size_t errlen);

/* Rules held. */
size_t om_label_rules_count(const om_label_rules *r);

/* Applies the rules in order to the series `name` with labels[0..*num):
 * removed labels leave the array (the others keep their order) and *num
 * shrinks. Returns false when a DropSeries rule drops the series. NULL
 * rules keep everything. */
bool om_label_rules_apply(const om_label_rules *r, om_slice name,
                          om_label *labels, size_t *num);

#endif
