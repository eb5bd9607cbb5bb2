/* core/, pure: includes only core/.
 *
 * Small text jobs several rooms share: making outside text fit for one
 * log line, writing a double in its shortest form, matching a name
 * against a list of shell globs, and compiling a user's regular
 * expression. */
#ifndef OM_TEXT_H
#define OM_TEXT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

/* Copies len bytes of outside text (a server's message, a command's
 * standard error) into out (cap bytes, always NUL-terminated) as one log
 * line: every run of whitespace and control characters becomes one space,
 * bytes that are not valid UTF-8 become '?', leading and trailing spaces
 * go, and a cut never splits a character. Returns the length written. */
size_t om_text_one_line(const char *s, size_t len, char *out, size_t cap);

/* Writes v with the fewest significant digits that read back to the same
 * double, in exponent form ("1e-05", "1.5e+06") when the decimal exponent
 * is below -4 or at least exp_from, otherwise plainly ("0.25", "5432").
 * exp_from 6 is Go's strconv.FormatFloat(v, 'g', -1, 64); 21 is Go's
 * fmt %v. Infinities are "+Inf"/"-Inf", NaN "NaN", zero "0" or "-0". */
void om_format_double(double v, int exp_from, char *out, size_t cap);

/* Whether name matches one of the fnmatch(3) patterns (no flags). */
bool om_glob_any(const char *const *patterns, size_t num, const char *name);
/* Whether name is one of the NULL-terminated names. */
bool om_name_listed(const char *const *names, const char *name);
/* Whether Include and Exclude patterns let name through: with include
 * patterns only a name matching one of them, never one matching an
 * exclude pattern; with none, every name. */
bool om_glob_choose(const char *const *include, size_t include_num,
                    const char *const *exclude, size_t exclude_num,
                    const char *name);

/* Compiles pattern into *re as a POSIX extended regular expression
 * (REG_NOSUB): 0, or -1 with *re left unset and err (errlen bytes)
 * naming the pattern and what is wrong with it. The patterns users bring
 * are written for Go's RE2 (Prometheus, node_exporter), which mostly
 * reads the same; \d and \D, which glibc would take for the letters, are
 * refused with the class to write instead. */
int om_regex_compile(regex_t *re, const char *pattern, char *err,
                     size_t errlen);

#endif
