/* Prometheus text format 0.0.4 line parser; see om_parse.h. */
#include "om_parse.h"
#include "om_number.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct {
  const char *s;
  size_t len;
  size_t pos;
  bool escapes; /* the body may hold a '\\': label values are walked */
} cursor;

static bool at_end(const cursor *c) { return c->pos >= c->len; }

static char peek(const cursor *c) { return at_end(c) ? '\0' : c->s[c->pos]; }

static bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }

static void skip_blanks(cursor *c) {
  while (!at_end(c) && is_blank(c->s[c->pos]))
    c->pos++;
}

#if defined(__SSE2__)
/* The bytes of the 16 at p that are name characters ([a-zA-Z0-9_], and
 * ':' with colon), as a bit mask. Bytes from 0x80 are negative as signed
 * chars and fall outside every range. */
static unsigned name_mask16(const unsigned char *p, bool colon) {
  __m128i v = _mm_loadu_si128((const __m128i *)p);
  __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
  __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
  __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  __m128i ok = _mm_or_si128(_mm_or_si128(alpha, digit),
                            _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
  if (colon)
    ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, _mm_set1_epi8(':')));
  return (unsigned)_mm_movemask_epi8(ok);
}
#endif

/* The end of the run of name characters from p: sixteen bytes at a time
 * where SSE2 is there and the line is long enough, one table lookup a
 * byte otherwise. */
static const unsigned char *
skip_name_chars(const unsigned char *p, const unsigned char *end, bool metric) {
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16) {
    unsigned bad = ~name_mask16(p, metric) & 0xffffu;
    if (bad != 0)
      return p + __builtin_ctz(bad);
  }
#endif
  unsigned rest = OM_CHAR_NAME | (metric ? OM_CHAR_COLON : 0);
  while (p < end && (om_char_class[*p] & rest))
    p++;
  return p;
}

/* Reads [a-zA-Z_:][a-zA-Z0-9_:]* (metric) or [a-zA-Z_][a-zA-Z0-9_]*
 * (label). */
static bool read_name(cursor *c, bool metric, om_slice *out) {
  const unsigned char *s = (const unsigned char *)c->s;
  unsigned first = OM_CHAR_NAME_START | (metric ? OM_CHAR_COLON : 0);
  const unsigned char *p = s + c->pos, *end = s + c->len;
  if (p >= end || !(om_char_class[*p] & first))
    return false;
  size_t at = (size_t)(skip_name_chars(p + 1, end, metric) - s);
  *out = (om_slice){c->s + c->pos, at - c->pos};
  c->pos = at;
  return true;
}

/* Reads up to the next blank or the end. */
static om_slice read_token(cursor *c) {
  size_t start = c->pos, i = start, n = c->len;
  while (i < n && c->s[i] != ' ' && c->s[i] != '\t')
    i++;
  c->pos = i;
  return (om_slice){c->s + start, i - start};
}

static om_line_kind fail(cursor *c, om_parsed_line *out, om_line_kind kind) {
  out->error_offset = c->pos;
  return kind;
}

/* "# HELP name doc" / "# TYPE name type" / any other comment. */
static om_line_kind parse_comment(cursor *c, om_parsed_line *out) {
  c->pos++; /* '#' */
  skip_blanks(c);
  om_slice word = read_token(c);
  bool help = om_slice_eq_cstr(word, "HELP");
  bool type = om_slice_eq_cstr(word, "TYPE");
  if (!help && !type)
    return OM_LINE_COMMENT;
  if (!is_blank(peek(c)))
    return fail(c, out, OM_LINE_ERR_META_NAME);
  skip_blanks(c);
  if (!read_name(c, true, &out->name))
    return fail(c, out, OM_LINE_ERR_META_NAME);
  if (!at_end(c) && !is_blank(peek(c)))
    return fail(c, out, OM_LINE_ERR_META_NAME);
  skip_blanks(c);
  if (help) {
    out->help = (om_slice){c->s + c->pos, c->len - c->pos};
    return OM_LINE_HELP;
  }
  size_t type_pos = c->pos;
  om_slice t = read_token(c);
  skip_blanks(c);
  static const struct {
    const char *word;
    om_metric_type type;
  } types[] = {{"counter", OM_TYPE_COUNTER},
               {"gauge", OM_TYPE_GAUGE},
               {"histogram", OM_TYPE_HISTOGRAM},
               {"summary", OM_TYPE_SUMMARY},
               {"untyped", OM_TYPE_UNTYPED}};
  for (size_t i = 0; i < OM_LEN(types); i++) {
    if (om_slice_eq_cstr(t, types[i].word) && at_end(c)) {
      out->type = types[i].type;
      return OM_LINE_TYPE;
    }
  }
  c->pos = type_pos;
  return fail(c, out, OM_LINE_ERR_TYPE_UNKNOWN);
}

/* The quoted value after '='; the cursor is on the opening quote. A body
 * without a backslash has no escapes: the value ends at the next quote. */
static om_line_kind read_label_value(cursor *c, om_parsed_line *out,
                                     om_raw_label *label) {
  if (peek(c) != '"')
    return fail(c, out, OM_LINE_ERR_LABEL_QUOTE);
  c->pos++;
  size_t start = c->pos;
  label->has_escape = false;
  if (!c->escapes) {
    const char *q = memchr(c->s + start, '"', c->len - start);
    if (q == NULL) {
      c->pos = c->len;
      return fail(c, out, OM_LINE_ERR_LABEL_UNTERMINATED);
    }
    c->pos = (size_t)(q - c->s);
  }
  for (;;) {
    if (at_end(c))
      return fail(c, out, OM_LINE_ERR_LABEL_UNTERMINATED);
    char ch = c->s[c->pos];
    if (ch == '"')
      break;
    if (ch == '\\') {
      if (c->pos + 1 >= c->len)
        return fail(c, out, OM_LINE_ERR_LABEL_UNTERMINATED);
      char next = c->s[c->pos + 1];
      if (next != '\\' && next != '"' && next != 'n')
        return fail(c, out, OM_LINE_ERR_LABEL_ESCAPE);
      label->has_escape = true;
      c->pos += 2;
      continue;
    }
    c->pos++;
  }
  label->value = (om_slice){c->s + start, c->pos - start};
  c->pos++; /* closing quote */
  return OM_LINE_SAMPLE;
}

static bool label_name_taken(const om_parsed_line *out, om_slice name) {
  for (size_t i = 0; i < out->labels_num; i++)
    if (out->labels[i].name.len == name.len &&
        memcmp(out->labels[i].name.ptr, name.ptr, name.len) == 0)
      return true;
  return false;
}

/* '{' name="value" (, name="value")* [,] '}' with optional blanks. */
static om_line_kind parse_labels(cursor *c, om_parsed_line *out) {
  c->pos++; /* '{' */
  skip_blanks(c);
  while (peek(c) != '}') {
    /* filled in place (the spare slot past the last takes one too many):
     * a label assembled on the stack and copied costs a store-forwarding
     * stall */
    om_raw_label *label = &out->labels[out->labels_num];
    if (!read_name(c, false, &label->name))
      return fail(c, out, OM_LINE_ERR_LABEL_NAME);
    if (label_name_taken(out, label->name)) {
      c->pos -= label->name.len;
      return fail(c, out, OM_LINE_ERR_LABEL_DUPLICATE);
    }
    if (out->labels_num == OM_PARSE_MAX_LABELS) {
      c->pos -= label->name.len;
      return fail(c, out, OM_LINE_ERR_LABEL_TOO_MANY);
    }
    skip_blanks(c);
    if (peek(c) != '=')
      return fail(c, out, OM_LINE_ERR_LABEL_EQUALS);
    c->pos++;
    skip_blanks(c);
    om_line_kind k = read_label_value(c, out, label);
    if (k != OM_LINE_SAMPLE)
      return k;
    out->labels_num++;
    skip_blanks(c);
    if (peek(c) == ',') {
      c->pos++;
      skip_blanks(c);
    } else if (peek(c) != '}') {
      return fail(c, out, OM_LINE_ERR_LABEL_SEPARATOR);
    }
  }
  c->pos++; /* '}' */
  return OM_LINE_SAMPLE;
}

static om_line_kind parse_value_tail(cursor *c, om_parsed_line *out);

static om_line_kind parse_sample(cursor *c, om_parsed_line *out) {
  if (!read_name(c, true, &out->name))
    return fail(c, out, OM_LINE_ERR_METRIC_NAME);
  if (!at_end(c) && !is_blank(peek(c)) && peek(c) != '{')
    return fail(c, out, OM_LINE_ERR_METRIC_NAME);
  skip_blanks(c);
  if (peek(c) == '{') {
    om_line_kind k = parse_labels(c, out);
    if (k != OM_LINE_SAMPLE)
      return k;
    skip_blanks(c);
  }
  return parse_value_tail(c, out);
}

/* After the series: the value, an optional timestamp, nothing more. */
static om_line_kind parse_value_tail(cursor *c, om_parsed_line *out) {
  if (at_end(c))
    return fail(c, out, OM_LINE_ERR_VALUE_MISSING);
  size_t value_pos = c->pos;
  om_slice v = read_token(c);
  out->value_text = v;
  if (!om_parse_double(v.ptr, v.len, &out->value)) {
    c->pos = value_pos;
    return fail(c, out, OM_LINE_ERR_VALUE_INVALID);
  }
  skip_blanks(c);
  if (at_end(c))
    return OM_LINE_SAMPLE;
  size_t ts_pos = c->pos;
  om_slice ts = read_token(c);
  if (!om_parse_int64(ts.ptr, ts.len, &out->timestamp_ms)) {
    c->pos = ts_pos;
    return fail(c, out, OM_LINE_ERR_TIMESTAMP_INVALID);
  }
  out->has_timestamp = true;
  skip_blanks(c);
  if (!at_end(c))
    return fail(c, out, OM_LINE_ERR_TRAILING);
  return OM_LINE_SAMPLE;
}

/* One line; check_nul: the body may hold a NUL byte, escapes: a
 * backslash. */
static om_line_kind parse_line(const char *line, size_t len,
                               om_parsed_line *out, bool check_nul,
                               bool escapes) {
  cursor c = {line, len, 0, escapes};
  out->name = (om_slice){NULL, 0};
  out->labels_num = 0;
  out->value = 0;
  out->value_text = (om_slice){NULL, 0};
  out->has_timestamp = false;
  out->timestamp_ms = 0;
  out->type = OM_TYPE_UNTYPED;
  out->help = (om_slice){NULL, 0};
  out->error_offset = 0;

  const char *nul = check_nul ? memchr(line, '\0', len) : NULL;
  if (nul != NULL) {
    c.pos = (size_t)(nul - line);
    return fail(&c, out, OM_LINE_ERR_NUL);
  }
  skip_blanks(&c);
  if (at_end(&c))
    return OM_LINE_BLANK;
  if (peek(&c) == '#')
    return parse_comment(&c, out);
  return parse_sample(&c, out);
}

om_line_kind om_parse_line(const char *line, size_t len, om_parsed_line *out) {
  return parse_line(line, len, out, true, true);
}

const char *om_line_error_str(om_line_kind k) {
  switch (k) {
  case OM_LINE_ERR_NUL:
    return "NUL byte in line";
  case OM_LINE_ERR_METRIC_NAME:
    return "invalid metric name";
  case OM_LINE_ERR_LABEL_NAME:
    return "invalid label name";
  case OM_LINE_ERR_LABEL_EQUALS:
    return "expected '=' after label name";
  case OM_LINE_ERR_LABEL_QUOTE:
    return "expected '\"' to open label value";
  case OM_LINE_ERR_LABEL_UNTERMINATED:
    return "unterminated label value";
  case OM_LINE_ERR_LABEL_ESCAPE:
    return "invalid escape sequence in label value";
  case OM_LINE_ERR_LABEL_SEPARATOR:
    return "expected ',' or '}' after label value";
  case OM_LINE_ERR_LABEL_DUPLICATE:
    return "duplicate label name";
  case OM_LINE_ERR_LABEL_TOO_MANY:
    return "too many labels";
  case OM_LINE_ERR_VALUE_MISSING:
    return "missing sample value";
  case OM_LINE_ERR_VALUE_INVALID:
    return "invalid sample value";
  case OM_LINE_ERR_TIMESTAMP_INVALID:
    return "invalid timestamp";
  case OM_LINE_ERR_TRAILING:
    return "unexpected text after timestamp";
  case OM_LINE_ERR_META_NAME:
    return "HELP or TYPE line without a valid metric name";
  case OM_LINE_ERR_TYPE_UNKNOWN:
    return "unknown metric type in TYPE line";
  default:
    return "not an error";
  }
}

size_t om_unescape_label_value(const char *src, size_t len, char *dst) {
  size_t out = 0;
  for (size_t i = 0; i < len; i++) {
    if (src[i] == '\\' && i + 1 < len) {
      char next = src[++i];
      dst[out++] = (next == 'n') ? '\n' : next;
    } else {
      dst[out++] = src[i];
    }
  }
  return out;
}

void om_line_reader_init(om_line_reader *r, const char *buf, size_t len) {
  *r = (om_line_reader){.buf = buf,
                        .len = len,
                        .has_nul = memchr(buf, '\0', len) != NULL,
                        .has_backslash = memchr(buf, '\\', len) != NULL};
}

bool om_line_raw(om_line_reader *r, om_slice *line) {
  if (r->pos >= r->len)
    return false;
  const char *start = r->buf + r->pos;
  const char *nl = memchr(start, '\n', r->len - r->pos);
  size_t line_len = nl ? (size_t)(nl - start) : r->len - r->pos;
  r->pos += line_len + 1;
  r->line_no++;
  if (line_len > 0 && start[line_len - 1] == '\r')
    line_len--;
  *line = (om_slice){start, line_len};
  return true;
}

om_line_kind om_line_parse(const om_line_reader *r, om_slice line,
                           om_parsed_line *out) {
  return parse_line(line.ptr, line.len, out, r->has_nul, r->has_backslash);
}

om_line_kind om_line_next(om_line_reader *r, om_parsed_line *out) {
  om_slice line;
  while (om_line_raw(r, &line)) {
    om_line_kind kind = om_line_parse(r, line, out);
    if (kind != OM_LINE_BLANK)
      return kind;
  }
  return OM_LINE_END;
}

size_t om_line_series_key(om_slice line) {
  cursor c = {line.ptr, line.len, 0, false};
  om_slice name;
  if (!read_name(&c, true, &name))
    return 0;
  if (!at_end(&c) && peek(&c) != '{' && !is_blank(peek(&c)))
    return 0;      /* "name+1" is no sample line */
  skip_blanks(&c); /* "name {...}" has labels too */
  if (peek(&c) != '{')
    return name.len;
  /* neither the value nor the timestamp can hold a '}' */
  for (size_t i = line.len; i > c.pos; i--)
    if (line.ptr[i - 1] == '}')
      return i;
  return 0;
}

om_line_kind om_parse_sample_tail(om_slice tail, om_parsed_line *out) {
  cursor c = {tail.ptr, tail.len, 0, false};
  out->has_timestamp = false;
  out->timestamp_ms = 0;
  skip_blanks(&c);
  return parse_value_tail(&c, out);
}
