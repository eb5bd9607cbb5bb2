/* The text-format parser: table-driven, every row a named reason; each
 * input is also fed at every truncation point and byte by byte. */
#include "check_main.h"
#include "om_parse.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *why;
  const char *line;
  om_line_kind want;
  const char *name;   /* sample/HELP/TYPE: the metric name */
  const char *labels; /* sample: name="raw",... as parsed */
  double value;
  bool has_ts;
  long long ts;
} line_case;

#define SAMPLE(why, line, name, labels, value)                                 \
  { why, line, OM_LINE_SAMPLE, name, labels, value, false, 0 }
#define BAD(why, line, kind)                                                   \
  { why, line, kind, NULL, NULL, 0, false, 0 }

static const line_case cases[] = {
    SAMPLE("plain sample", "go_goroutines 187", "go_goroutines", "", 187),
    SAMPLE("labels",
           "workqueue_depth{controller=\"x\",name=\"x\",priority=\"\"} 3",
           "workqueue_depth", "controller=\"x\",name=\"x\",priority=\"\"", 3),
    SAMPLE("colon in name", "job:rate:5m 1", "job:rate:5m", "", 1),
    SAMPLE("empty braces", "up{} 1", "up", "", 1),
    SAMPLE("trailing comma", "a{b=\"c\",} 1", "a", "b=\"c\"", 1),
    SAMPLE("blanks around tokens", "a { b = \"c\" , d=\"e\" } 2", "a",
           "b=\"c\",d=\"e\"", 2),
    SAMPLE("blank before brace", "a {b=\"c\"} 1", "a", "b=\"c\"", 1),
    SAMPLE("no blank after brace", "a{b=\"c\"}2", "a", "b=\"c\"", 2),
    SAMPLE("tab separator", "a\t1", "a", "", 1),
    SAMPLE("leading blanks", "   a 1", "a", "", 1),
    SAMPLE("trailing blanks", "a 1   ", "a", "", 1),
    SAMPLE("escaped quote", "a{b=\"say \\\"hi\\\"\"} 1", "a",
           "b=\"say \\\"hi\\\"\"", 1),
    SAMPLE("escaped backslash", "a{b=\"C:\\\\x\"} 1", "a", "b=\"C:\\\\x\"", 1),
    SAMPLE("escaped newline", "a{b=\"x\\ny\"} 1", "a", "b=\"x\\ny\"", 1),
    SAMPLE("braces and commas in value", "a{b=\"{x,y}=z\"} 1", "a",
           "b=\"{x,y}=z\"", 1),
    SAMPLE("utf-8 value", "a{b=\"Grüße 東京\"} 1", "a", "b=\"Grüße 東京\"", 1),
    SAMPLE("le last", "h_bucket{controller=\"c\",le=\"+Inf\"} 20", "h_bucket",
           "controller=\"c\",le=\"+Inf\"", 20),
    SAMPLE("exponent value", "a 5.6075904e+07", "a", "", 5.6075904e+07),
    SAMPLE("+Inf value", "a +Inf", "a", "", INFINITY),
    SAMPLE("-Inf value", "a -Inf", "a", "", -INFINITY),
    {"timestamp", "a 1 1395066363000", OM_LINE_SAMPLE, "a", "", 1, true,
     1395066363000LL},
    {"negative timestamp", "a{b=\"c\"} 2 -5", OM_LINE_SAMPLE, "a", "b=\"c\"", 2,
     true, -5},
    {"help", "# HELP go_goroutines Number of goroutines.", OM_LINE_HELP,
     "go_goroutines", NULL, 0, false, 0},
    {"help without text", "# HELP a", OM_LINE_HELP, "a", NULL, 0, false, 0},
    {"type counter", "# TYPE a_total counter", OM_LINE_TYPE, "a_total", NULL, 0,
     false, 0},
    {"type histogram", "# TYPE h histogram", OM_LINE_TYPE, "h", NULL, 0, false,
     0},
    {"type with trailing blank", "# TYPE s summary ", OM_LINE_TYPE, "s", NULL,
     0, false, 0},
    {"comment", "# just a comment", OM_LINE_COMMENT, NULL, NULL, 0, false, 0},
    {"bare hash", "#", OM_LINE_COMMENT, NULL, NULL, 0, false, 0},
    {"blank", "", OM_LINE_BLANK, NULL, NULL, 0, false, 0},
    {"only blanks", " \t ", OM_LINE_BLANK, NULL, NULL, 0, false, 0},

    BAD("NUL byte", "a\0 1", OM_LINE_ERR_NUL),
    BAD("digit starts name", "1abc 1", OM_LINE_ERR_METRIC_NAME),
    BAD("dash in name", "a-b 1", OM_LINE_ERR_METRIC_NAME),
    BAD("quote starts line", "\"a\" 1", OM_LINE_ERR_METRIC_NAME),
    BAD("label name starts with digit", "a{1b=\"c\"} 1",
        OM_LINE_ERR_LABEL_NAME),
    BAD("colon in label name", "a{b:c=\"d\"} 1", OM_LINE_ERR_LABEL_EQUALS),
    BAD("missing equals", "a{b \"c\"} 1", OM_LINE_ERR_LABEL_EQUALS),
    BAD("unquoted value", "a{b=c} 1", OM_LINE_ERR_LABEL_QUOTE),
    BAD("single quotes", "a{b='c'} 1", OM_LINE_ERR_LABEL_QUOTE),
    BAD("unterminated value", "a{b=\"c} 1", OM_LINE_ERR_LABEL_UNTERMINATED),
    BAD("backslash at end", "a{b=\"c\\", OM_LINE_ERR_LABEL_UNTERMINATED),
    BAD("tab escape", "a{b=\"c\\t\"} 1", OM_LINE_ERR_LABEL_ESCAPE),
    BAD("unicode escape", "a{b=\"\\u00e9\"} 1", OM_LINE_ERR_LABEL_ESCAPE),
    BAD("missing comma", "a{b=\"c\" d=\"e\"} 1", OM_LINE_ERR_LABEL_SEPARATOR),
    BAD("unclosed braces", "a{b=\"c\"", OM_LINE_ERR_LABEL_SEPARATOR),
    BAD("double comma", "a{b=\"c\",,d=\"e\"} 1", OM_LINE_ERR_LABEL_NAME),
    BAD("duplicate label", "a{b=\"c\",b=\"d\"} 1", OM_LINE_ERR_LABEL_DUPLICATE),
    BAD("too many labels",
        "a{l00=\"x\",l01=\"x\",l02=\"x\",l03=\"x\",l04=\"x\",l05=\"x\","
        "l06=\"x\",l07=\"x\",l08=\"x\",l09=\"x\",l10=\"x\",l11=\"x\","
        "l12=\"x\",l13=\"x\",l14=\"x\",l15=\"x\",l16=\"x\",l17=\"x\","
        "l18=\"x\",l19=\"x\",l20=\"x\",l21=\"x\",l22=\"x\",l23=\"x\","
        "l24=\"x\",l25=\"x\",l26=\"x\",l27=\"x\",l28=\"x\",l29=\"x\","
        "l30=\"x\",l31=\"x\",l32=\"x\"} 1",
        OM_LINE_ERR_LABEL_TOO_MANY),
    BAD("no value", "a", OM_LINE_ERR_VALUE_MISSING),
    BAD("no value after labels", "a{b=\"c\"}", OM_LINE_ERR_VALUE_MISSING),
    BAD("no value, blanks", "a   ", OM_LINE_ERR_VALUE_MISSING),
    BAD("two dots", "a 1.2.3", OM_LINE_ERR_VALUE_INVALID),
    BAD("word value", "a abc", OM_LINE_ERR_VALUE_INVALID),
    BAD("decimal comma", "a 0,5", OM_LINE_ERR_VALUE_INVALID),
    BAD("fractional timestamp", "a 1 2.5", OM_LINE_ERR_TIMESTAMP_INVALID),
    BAD("timestamp overflow", "a 1 99999999999999999999",
        OM_LINE_ERR_TIMESTAMP_INVALID),
    BAD("text after timestamp", "a 1 2 3", OM_LINE_ERR_TRAILING),
    BAD("help without name", "# HELP", OM_LINE_ERR_META_NAME),
    BAD("type without name", "# TYPE ", OM_LINE_ERR_META_NAME),
    BAD("type with bad name", "# TYPE 9x counter", OM_LINE_ERR_META_NAME),
    BAD("unknown type", "# TYPE a countr", OM_LINE_ERR_TYPE_UNKNOWN),
    BAD("type missing", "# TYPE a", OM_LINE_ERR_TYPE_UNKNOWN),
    BAD("type with extra word", "# TYPE a counter extra",
        OM_LINE_ERR_TYPE_UNKNOWN),
    BAD("type upper case", "# TYPE a COUNTER", OM_LINE_ERR_TYPE_UNKNOWN),
};

#define CASES_NUM (sizeof(cases) / sizeof(cases[0]))

static size_t case_len(const line_case *c) {
  /* "NUL byte" has an embedded NUL: its length is fixed. */
  return strcmp(c->why, "NUL byte") == 0 ? 4 : strlen(c->line);
}

static void format_labels(const om_parsed_line *p, char *buf, size_t cap) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < p->labels_num; i++)
    used += (size_t)snprintf(buf + used, cap - used, "%s%.*s=\"%.*s\"",
                             i ? "," : "", (int)p->labels[i].name.len,
                             p->labels[i].name.ptr, (int)p->labels[i].value.len,
                             p->labels[i].value.ptr);
}

START_TEST(test_line) {
  const line_case *c = &cases[_i];
  size_t len = case_len(c);
  char *in = om_test_exact_copy(c->line, len);
  om_parsed_line p;
  om_line_kind k = om_parse_line(in, len, &p);
  ck_assert_msg(k == c->want, "%s: kind %d (%s), want %d (%s)", c->why, k,
                om_line_error_str(k), c->want, om_line_error_str(c->want));
  if (c->name != NULL) {
    ck_assert_msg(p.name.len == strlen(c->name) &&
                      memcmp(p.name.ptr, c->name, p.name.len) == 0,
                  "%s: name \"%.*s\"", c->why, (int)p.name.len, p.name.ptr);
  }
  if (k == OM_LINE_SAMPLE) {
    char labels[2048];
    format_labels(&p, labels, sizeof(labels));
    ck_assert_msg(strcmp(labels, c->labels) == 0, "%s: labels %s, want %s",
                  c->why, labels, c->labels);
    ck_assert_msg(p.value == c->value, "%s: value %g", c->why, p.value);
    ck_assert_msg(p.has_timestamp == c->has_ts, "%s: timestamp flag", c->why);
    if (c->has_ts)
      ck_assert_msg(p.timestamp_ms == c->ts, "%s: timestamp %lld", c->why,
                    (long long)p.timestamp_ms);
  }
  if (om_line_kind_is_error(k))
    ck_assert_msg(p.error_offset <= len, "%s: error offset past the line",
                  c->why);
  free(in);
}
END_TEST

/* Every prefix of every input: a valid kind, slices inside the prefix. */
START_TEST(test_every_truncation) {
  const line_case *c = &cases[_i];
  size_t len = case_len(c);
  for (size_t cut = 0; cut <= len; cut++) {
    char *in = om_test_exact_copy(c->line, cut);
    om_parsed_line p;
    om_line_kind k = om_parse_line(in, cut, &p);
    ck_assert_msg(k < OM_LINE_KIND_NUM, "%s cut at %zu: kind %d", c->why, cut,
                  k);
    if (k == OM_LINE_SAMPLE) {
      ck_assert(p.name.ptr >= in && p.name.ptr + p.name.len <= in + cut);
      for (size_t i = 0; i < p.labels_num; i++)
        ck_assert(p.labels[i].value.ptr >= in &&
                  p.labels[i].value.ptr + p.labels[i].value.len <= in + cut);
    }
    if (om_line_kind_is_error(k))
      ck_assert(p.error_offset <= cut);
    free(in);
  }
}
END_TEST

START_TEST(test_unescape) {
  const char *raw = "a\\\\b\\\"c\\nd";
  char out[32];
  size_t n = om_unescape_label_value(raw, strlen(raw), out);
  ck_assert_uint_eq(n, 7);
  ck_assert(memcmp(out, "a\\b\"c\nd", 7) == 0);
}
END_TEST

typedef struct {
  size_t samples, malformed, help, type, comments;
  size_t first_bad_line;
} body_counts;

/* Pulls every line of a body and counts the kinds. */
static void count_lines(const char *in, size_t len, body_counts *b) {
  om_line_reader r;
  om_parsed_line line;
  om_line_kind kind;
  om_line_reader_init(&r, in, len);
  while ((kind = om_line_next(&r, &line)) != OM_LINE_END) {
    if (om_line_kind_is_error(kind)) {
      if (b->malformed++ == 0)
        b->first_bad_line = r.line_no;
    } else if (kind == OM_LINE_SAMPLE) {
      b->samples++;
    } else if (kind == OM_LINE_HELP) {
      b->help++;
    } else if (kind == OM_LINE_TYPE) {
      b->type++;
    } else {
      b->comments++;
    }
  }
}

static const char body[] =
    "# HELP controller_runtime_reconcile_total Total number of "
    "reconciliations per controller\n"
    "# TYPE controller_runtime_reconcile_total counter\n"
    "controller_runtime_reconcile_total{controller=\"a\",result=\"error\"} 0\n"
    "controller_runtime_reconcile_total{controller=\"a\",result=\"success\"} "
    "12\r\n"
    "\n"
    "# a comment\n"
    "bad line here\n"
    "# TYPE go_gc_duration_seconds summary\n"
    "go_gc_duration_seconds{quantile=\"0.5\"} 4.2e-05\n"
    "go_gc_duration_seconds_sum 0.0123\n"
    "go_gc_duration_seconds_count 300"; /* no final newline */

START_TEST(test_body) {
  body_counts b = {0};
  size_t len = sizeof(body) - 1;
  char *in = om_test_exact_copy(body, len);
  count_lines(in, len, &b);
  free(in);
  ck_assert_uint_eq(b.samples, 5);
  ck_assert_uint_eq(b.malformed, 1);
  ck_assert_uint_eq(b.first_bad_line, 7);
  ck_assert_uint_eq(b.help, 1);
  ck_assert_uint_eq(b.type, 2);
  ck_assert_uint_eq(b.comments, 1);
}
END_TEST

/* The body cut at every byte: never more samples than the whole has, never
 * a read outside the prefix (ASan/valgrind watch the exact-size copy). */
START_TEST(test_body_every_truncation) {
  size_t len = sizeof(body) - 1;
  for (size_t cut = 0; cut <= len; cut++) {
    body_counts b = {0};
    char *in = om_test_exact_copy(body, cut);
    count_lines(in, cut, &b);
    free(in);
    ck_assert_uint_le(b.samples, 5);
  }
}
END_TEST

/* The caller keeps control: after one line, the rest waits unread. */
START_TEST(test_body_reader_stops_where_the_caller_stops) {
  om_line_reader r;
  om_parsed_line line;
  om_line_reader_init(&r, body, sizeof(body) - 1);
  ck_assert_int_eq(om_line_next(&r, &line), OM_LINE_HELP);
  ck_assert_uint_eq(r.line_no, 1);
  ck_assert_ptr_eq(body + r.pos, strchr(body, '\n') + 1);
  ck_assert_int_eq(om_line_next(&r, &line), OM_LINE_TYPE);
  ck_assert_uint_eq(r.line_no, 2);
}
END_TEST

/* Metric and label names of every length up to 40, with every byte
 * value at every position: the parser (sixteen bytes at a time where it
 * can) ends each name exactly where a byte-by-byte reading of the syntax
 * does. */
START_TEST(test_names_every_byte_everywhere) {
  char line[64];
  for (size_t len = 1; len <= 40; len++)
    for (size_t at = 1; at < len; at++)
      for (int b = 1; b < 256; b += (b < 128 ? 1 : 7)) {
        memset(line, 'a', len);
        line[at] = (char)b;
        size_t n = len;
        n += (size_t)snprintf(line + n, sizeof(line) - n, " 1");
        char *in = om_test_exact_copy(line, n);
        om_parsed_line p;
        om_line_kind k = om_parse_line(in, n, &p);
        bool name_char = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                         (b >= '0' && b <= '9') || b == '_' || b == ':';
        if (name_char) {
          ck_assert_int_eq(k, OM_LINE_SAMPLE);
          ck_assert_uint_eq(p.name.len, len);
        } else if (b == ' ' || b == '\t') {
          /* "aa aa 1": a name, then a value that is none; "aaa  1" is
           * fine */
          ck_assert_int_eq(k, at + 1 == len ? OM_LINE_SAMPLE
                                            : OM_LINE_ERR_VALUE_INVALID);
          ck_assert_uint_eq(p.name.len, at);
        } else if (b == '{') {
          ck_assert(om_line_kind_is_error(k));
        } else {
          ck_assert_msg(k == OM_LINE_ERR_METRIC_NAME,
                        "byte 0x%02x at %zu of %zu: kind %d", b, at, len, k);
          ck_assert_uint_eq(p.error_offset, at);
        }
        free(in);
      }
}
END_TEST

/* The same for label names, where ':' is no name character. */
START_TEST(test_label_names_every_byte_everywhere) {
  char line[80];
  for (size_t len = 1; len <= 40; len++)
    for (size_t at = 1; at < len; at++)
      for (int b = 1; b < 256; b += (b < 128 ? 1 : 7)) {
        char name[48];
        memset(name, 'l', len);
        name[at] = (char)b;
        int n = snprintf(line, sizeof(line), "m{%.*s=\"v\"} 1", (int)len, name);
        char *in = om_test_exact_copy(line, (size_t)n);
        om_parsed_line p;
        om_line_kind k = om_parse_line(in, (size_t)n, &p);
        bool name_char = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                         (b >= '0' && b <= '9') || b == '_';
        if (name_char) {
          ck_assert_int_eq(k, OM_LINE_SAMPLE);
          ck_assert_uint_eq(p.labels[0].name.len, len);
        } else if (b != ' ' && b != '\t' && b != '=') {
          ck_assert_msg(om_line_kind_is_error(k), "byte 0x%02x at %zu", b, at);
          ck_assert_uint_eq(p.error_offset, 2 + at);
        }
        free(in);
      }
}
END_TEST

static Suite *parse_suite(void) {
  Suite *s = suite_create("parse");
  TCase *lines = tcase_create("lines");
  tcase_add_loop_test(lines, test_line, 0, CASES_NUM);
  tcase_add_loop_test(lines, test_every_truncation, 0, CASES_NUM);
  tcase_add_test(lines, test_unescape);
  tcase_add_test(lines, test_names_every_byte_everywhere);
  tcase_add_test(lines, test_label_names_every_byte_everywhere);
  suite_add_tcase(s, lines);
  TCase *bodies = tcase_create("bodies");
  tcase_add_test(bodies, test_body);
  tcase_add_test(bodies, test_body_every_truncation);
  tcase_add_test(bodies, test_body_reader_stops_where_the_caller_stops);
  suite_add_tcase(s, bodies);
  return s;
}

OM_CHECK_MAIN(parse_suite)
