/* target/, pure: includes core/ and target/.
 *
 * Prometheus text exposition format 0.0.4, as client_golang serves it.
 *
 * om_parse_line() classifies and parses one line (without its '\n') into
 * views of the input: it never allocates, never writes to the input and
 * never reads outside [line, line + len). Label values stay escaped; use
 * om_unescape_label_value() on those with has_escape set. A whole body is
 * read with an om_line_reader, one line per om_line_next() call, as
 * picohttpparser's callers pull requests: the caller keeps control. */
#ifndef OM_PARSE_H
#define OM_PARSE_H

#include "om_types.h"

#include <stdint.h>

/* Labels per sample line; more makes the line malformed. */
#define OM_PARSE_MAX_LABELS 32

typedef enum {
  /* lines that are fine */
  OM_LINE_SAMPLE = 0,
  OM_LINE_BLANK,
  OM_LINE_COMMENT,
  OM_LINE_HELP,
  OM_LINE_TYPE,
  OM_LINE_END, /* om_line_next: the body is done */
  /* malformed lines; om_line_error_str() names each */
  OM_LINE_ERR_FIRST,
  OM_LINE_ERR_NUL = OM_LINE_ERR_FIRST,
  OM_LINE_ERR_METRIC_NAME,
  OM_LINE_ERR_LABEL_NAME,
  OM_LINE_ERR_LABEL_EQUALS,
  OM_LINE_ERR_LABEL_QUOTE,
  OM_LINE_ERR_LABEL_UNTERMINATED,
  OM_LINE_ERR_LABEL_ESCAPE,
  OM_LINE_ERR_LABEL_SEPARATOR,
  OM_LINE_ERR_LABEL_DUPLICATE,
  OM_LINE_ERR_LABEL_TOO_MANY,
  OM_LINE_ERR_VALUE_MISSING,
  OM_LINE_ERR_VALUE_INVALID,
  OM_LINE_ERR_TIMESTAMP_INVALID,
  OM_LINE_ERR_TRAILING,
  OM_LINE_ERR_META_NAME,
  OM_LINE_ERR_TYPE_UNKNOWN,
  OM_LINE_KIND_NUM
} om_line_kind;

typedef struct {
  om_slice name;
  om_slice value; /* as written between the quotes */
  bool has_escape;
} om_raw_label;

typedef struct {
  /* OM_LINE_SAMPLE, OM_LINE_HELP, OM_LINE_TYPE: the metric name */
  om_slice name;
  /* OM_LINE_SAMPLE */
  om_raw_label labels[OM_PARSE_MAX_LABELS + 1]; /* one spare for the parser */
  size_t labels_num;
  double value;
  om_slice value_text; /* the value as written, for exact integers */
  bool has_timestamp;
  int64_t timestamp_ms;
  /* OM_LINE_TYPE */
  om_metric_type type;
  /* OM_LINE_HELP: the docstring, still escaped */
  om_slice help;
  /* malformed lines: byte offset in the line where the problem is */
  size_t error_offset;
} om_parsed_line;

om_line_kind om_parse_line(const char *line, size_t len, om_parsed_line *out);

static inline bool om_line_kind_is_error(om_line_kind k) {
  return k >= OM_LINE_ERR_FIRST;
}

/* A short English description of a malformed-line kind. */
const char *om_line_error_str(om_line_kind k);

/* Decodes \\, \" and \n of a label value parsed by om_parse_line() (which
 * rejects every other escape). dst needs len bytes; returns bytes written. */
size_t om_unescape_label_value(const char *src, size_t len, char *dst);

/* Reads a whole body (not NUL-terminated, never written) line by line.
 * Whether the body holds a NUL or a backslash anywhere is found once; a
 * body without either is parsed without looking for them in each line. */
typedef struct {
  const char *buf;
  size_t len;
  size_t pos;     /* where the next line starts */
  size_t line_no; /* of the line last returned, counting from 1 */
  /* checked once for the whole body, so that lines need not be */
  bool has_nul, has_backslash;
} om_line_reader;

void om_line_reader_init(om_line_reader *r, const char *buf, size_t len);

/* The next line into *line, blank ones too, without its '\n' and a '\r'
 * before it (r->line_no counts it); false when the body is done. */
bool om_line_raw(om_line_reader *r, om_slice *line);

/* Parses a line om_line_raw() returned, as om_line_next() would. */
om_line_kind om_line_parse(const om_line_reader *r, om_slice line,
                           om_parsed_line *out);

/* The length of a sample line's series as written, from the start of its
 * metric name: up to and including the line's last '}' (neither the value
 * nor the timestamp can hold one) when a '{' follows the name, blanks
 * between allowed, else the name alone. 0 when the line does not start
 * with a name followed by a blank, a '{' or its end, or its '{' is never
 * closed. The series' bytes decide
 * everything but the value, so equal keys parse to equal series; whether
 * the key is well-formed is for om_line_parse() to say. */
size_t om_line_series_key(om_slice line);

/* The rest of a sample line after its series key: blanks, the value and
 * an optional timestamp, exactly as om_line_parse() reads them (value,
 * value_text, has_timestamp, timestamp_ms of out). OM_LINE_SAMPLE, or
 * the kind of the problem; error_offset counts from the start of tail. */
om_line_kind om_parse_sample_tail(om_slice tail, om_parsed_line *out);

/* Parses the next line that is not blank into out and returns its kind,
 * malformed ones included (r->line_no tells which line it was), or
 * OM_LINE_END when the body is done. A final line without '\n' is parsed
 * too; a '\r' before '\n' is ignored. */
om_line_kind om_line_next(om_line_reader *r, om_parsed_line *out);

#endif
