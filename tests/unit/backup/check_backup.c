/* Backups apart from I/O: time zones, cron expressions, pgBackRest's info
 * JSON, the tracker of new backups and schedule slots, and the mapping to
 * dbops_* samples. Expected instants were computed independently with
 * Python's zoneinfo and are written here as numbers. */
#include "check_main.h"
#include "om_backup_map.h"
#include "om_time.h"
#include "om_tz.h"
#include "sample_recorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double BUCKETS[] = {1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};
#define BUCKETS_NUM (sizeof(BUCKETS) / sizeof(BUCKETS[0]))

static om_tz *zone(const char *name) {
  char path[256], err[256];
  snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "%s missing (package tzdata)", path);
  static unsigned char buf[OM_TZ_MAX_FILE_BYTES];
  size_t n = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  om_tz *tz = om_tz_parse(buf, n, err, sizeof(err));
  ck_assert_msg(tz != NULL, "%s: %s", name, err);
  return tz;
}

/* --- time zones ---------------------------------------------------------- */

START_TEST(test_tz_transitions_and_footer) {
  om_tz *berlin = zone("Europe/Berlin");
  ck_assert_int_eq(om_tz_offset(berlin, 1774746000 - 1), 3600);
  ck_assert_int_eq(om_tz_offset(berlin, 1774746000), 7200);
  /* 2040: after the file's transitions, from its footer rule */
  ck_assert_int_eq(om_tz_offset(berlin, 2216249940), 3600);
  ck_assert_int_eq(om_tz_offset(berlin, 2216250000), 7200);
  ck_assert_int_eq(om_tz_offset(berlin, 2234998740), 7200);
  ck_assert_int_eq(om_tz_offset(berlin, 2234998800), 3600);
  om_tz_free(berlin);
  om_tz *sydney = zone("Australia/Sydney"); /* summer time across new year */
  ck_assert_int_eq(om_tz_offset(sydney, 2368051200), 39600);
  ck_assert_int_eq(om_tz_offset(sydney, 2381097600), 36000);
  om_tz_free(sydney);
  om_tz *kolkata = zone("Asia/Kolkata");
  ck_assert_int_eq(om_tz_offset(kolkata, 1795168800), 19800);
  om_tz_free(kolkata);
  ck_assert_int_eq(om_tz_offset(NULL, 1795168800), 0);
}
END_TEST

START_TEST(test_tz_rules_alone) {
  char err[128];
  om_tz *tz = om_tz_parse_rule("<+0530>-5:30", err, sizeof(err));
  ck_assert_ptr_nonnull(tz);
  ck_assert_int_eq(om_tz_offset(tz, 0), 19800);
  om_tz_free(tz);
  tz = om_tz_parse_rule("CET-1CEST,M3.5.0,M10.5.0/3", err, sizeof(err));
  ck_assert_ptr_nonnull(tz);
  ck_assert_int_eq(om_tz_offset(tz, 1774746000 - 1), 3600);
  ck_assert_int_eq(om_tz_offset(tz, 1774746000), 7200);
  om_tz_free(tz);
  const char *bad[] = {"",
                       "C-1",
                       "CET",
                       "CET-1CEST",
                       "CET-1CEST,M13.1.0,M1.1.0",
                       "CET-1CEST,M3.5.0",
                       "CET-1 extra"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    tz = om_tz_parse_rule(bad[i], err, sizeof(err));
    ck_assert_msg(tz == NULL, "accepted \"%s\"", bad[i]);
  }
}
END_TEST

/* The Jn and n date forms (POSIX; tzdata writes only Mm.w.d). Expected
 * instants from Python's calendar.timegm. */
START_TEST(test_tz_julian_and_zero_based_days) {
  char err[128];
  /* Jn: day n of 365, February 29 never counted, so J60 is March 1 in
   * every year; 02:00 local, EST (UTC-5) in, EDT (UTC-4) out */
  om_tz *tz = om_tz_parse_rule("EST5EDT,J60/2,J300/2", err, sizeof(err));
  ck_assert_msg(tz != NULL, "%s", err);
  ck_assert_int_eq(om_tz_offset(tz, 1803884400 - 1), -18000); /* 2027-03-01 */
  ck_assert_int_eq(om_tz_offset(tz, 1803884400), -14400);
  ck_assert_int_eq(om_tz_offset(tz, 1824616800 - 1), -14400); /* 10-27 */
  ck_assert_int_eq(om_tz_offset(tz, 1824616800), -18000);
  ck_assert_int_eq(om_tz_offset(tz, 1835506800 - 1), -18000); /* 2028-03-01 */
  ck_assert_int_eq(om_tz_offset(tz, 1835506800), -14400);
  om_tz_free(tz);
  /* n: day n counted from 0, February 29 included: day 59 is March 1 in
   * 2027 and February 29 in 2028 */
  tz = om_tz_parse_rule("EST5EDT,59/2,299/2", err, sizeof(err));
  ck_assert_msg(tz != NULL, "%s", err);
  ck_assert_int_eq(om_tz_offset(tz, 1803884400 - 1), -18000); /* 2027-03-01 */
  ck_assert_int_eq(om_tz_offset(tz, 1803884400), -14400);
  ck_assert_int_eq(om_tz_offset(tz, 1835420400 - 1), -18000); /* 2028-02-29 */
  ck_assert_int_eq(om_tz_offset(tz, 1835420400), -14400);
  om_tz_free(tz);
  const char *bad[] = {"EST5EDT,J0/2,J300/2", "EST5EDT,J366,J300",
                       "EST5EDT,366,299", "EST5EDT,J60,"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    ck_assert_msg(om_tz_parse_rule(bad[i], err, sizeof(err)) == NULL,
                  "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_tz_bad_files) {
  char err[128];
  const unsigned char junk[] = "TZif2 but nothing else";
  ck_assert_ptr_null(om_tz_parse(junk, sizeof(junk), err, sizeof(err)));
  ck_assert_ptr_null(
      om_tz_parse((const unsigned char *)"#!/bin/sh\n", 10, err, sizeof(err)));
  ck_assert_str_eq(err, "not a TZif file");
  /* every truncation of a real file is refused, none is read past */
  FILE *f = fopen("/usr/share/zoneinfo/Europe/Berlin", "rb");
  ck_assert_ptr_nonnull(f);
  static unsigned char buf[8192];
  size_t n = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  for (size_t len = 0; len + 1 < n; len += 7) {
    unsigned char *copy = (unsigned char *)om_test_exact_copy((char *)buf, len);
    om_tz *tz = om_tz_parse(copy, len, err, sizeof(err));
    ck_assert_msg(tz == NULL, "accepted %zu of %zu bytes", len, n);
    free(copy);
  }
  ck_assert(om_tz_name_valid("Europe/Berlin"));
  ck_assert(om_tz_name_valid("Etc/GMT+5"));
  ck_assert(!om_tz_name_valid("../etc/passwd"));
  ck_assert(!om_tz_name_valid("/etc/localtime"));
  ck_assert(!om_tz_name_valid("Europe/./Berlin"));
  ck_assert(!om_tz_name_valid(""));
}
END_TEST

/* A rule that ends right after "Mnn" (no ".w.d") once moved the cursor past
 * the terminator: the rule alone on the heap, and as a TZif footer of 127
 * bytes (the longest there is) on the stack, are refused without reading
 * past either (ASan and valgrind watch). */
START_TEST(test_tz_rule_cut_after_month) {
  char err[128];
  const char *rules[] = {"GEP-0CEQT,M33",       "GEP-0CEQT,M3",
                         "GEP-0CEQT,M3.",       "GEP-0CEQT,M3.5",
                         "GEP-0CEQT,M3.5.0,M1", "GEP-0CEQT,J",
                         "GEP-0CEQT,M3.5.0/"};
  for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
    char *rule = strdup(rules[i]);
    ck_assert_msg(om_tz_parse_rule(rule, err, sizeof(err)) == NULL,
                  "accepted \"%s\"", rules[i]);
    free(rule);
  }
  FILE *f = fopen("/usr/share/zoneinfo/UTC", "rb");
  ck_assert_ptr_nonnull(f);
  static unsigned char buf[4096];
  size_t n = fread(buf, 1, sizeof(buf) - 200, f);
  fclose(f);
  /* the footer is "\nUTC0\n": replace it with a 127-byte rule */
  ck_assert(n > 6 && memcmp(buf + n - 6, "\nUTC0\n", 6) == 0);
  size_t at = n - 5;
  buf[at++] = '<';
  memset(buf + at, 'A', 115);
  at += 115;
  memcpy(buf + at, ">-0CEQT,M33\n", 12);
  at += 12;
  unsigned char *copy = (unsigned char *)om_test_exact_copy((char *)buf, at);
  ck_assert_ptr_null(om_tz_parse(copy, at, err, sizeof(err)));
  ck_assert_str_eq(err, "the footer's TZ rule is not understood");
  free(copy);
}
END_TEST

/* --- cron ----------------------------------------------------------------- */

static om_cron cron(const char *expr) {
  om_cron c;
  char err[256];
  ck_assert_msg(om_cron_parse(expr, &c, err, sizeof(err)) == 0, "%s: %s", expr,
                err);
  return c;
}

START_TEST(test_cron_fields) {
  om_cron c = cron("*/15 0,12 1-7 jan-mar,DEC mon-fri");
  ck_assert_uint_eq(c.minutes,
                    1ULL << 0 | 1ULL << 15 | 1ULL << 30 | 1ULL << 45);
  ck_assert_uint_eq(c.hours, 1u << 0 | 1u << 12);
  ck_assert_uint_eq(c.days, 0xfeu);
  ck_assert_uint_eq(c.months, 1u << 1 | 1u << 2 | 1u << 3 | 1u << 12);
  ck_assert_uint_eq(c.weekdays, 0x3eu);
  ck_assert(!c.days_any && !c.weekdays_any);
  c = cron("5/20 * * * 7");
  ck_assert_uint_eq(c.minutes, 1ULL << 5 | 1ULL << 25 | 1ULL << 45);
  ck_assert_uint_eq(c.weekdays, 1u); /* 7 is Sunday */
  ck_assert(c.days_any);
  om_cron daily = cron("@daily");
  om_cron spelled = cron("0 0 * * *");
  ck_assert(daily.minutes == spelled.minutes && daily.hours == spelled.hours &&
            daily.days == spelled.days && daily.months == spelled.months &&
            daily.weekdays == spelled.weekdays &&
            daily.days_any == spelled.days_any &&
            daily.weekdays_any == spelled.weekdays_any);
}
END_TEST

START_TEST(test_cron_refused) {
  const char *bad[] = {"",
                       "* * * *",
                       "* * * * * *",
                       "60 * * * *",
                       "* 24 * * *",
                       "* * 0 * *",
                       "* * * 13 *",
                       "* * * * 8",
                       "5-1 * * * *",
                       "*/0 * * * *",
                       "1,,2 * * * *",
                       "1, * * * *",
                       "a * * * *",
                       "@reboot",
                       "*/61 * * * *",
                       "* * * foo *",
                       "1-2-3 * * * *"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    om_cron c;
    char err[256] = "";
    ck_assert_msg(om_cron_parse(bad[i], &c, err, sizeof(err)) != 0,
                  "accepted \"%s\"", bad[i]);
    ck_assert_msg(err[0] != '\0', "no reason for \"%s\"", bad[i]);
  }
  om_cron c;
  char err[256];
  om_cron_parse("* 24 * * *", &c, err, sizeof(err));
  ck_assert_msg(strstr(err, "hour field \"24\"") != NULL, "%s", err);
}
END_TEST

START_TEST(test_cron_next) {
  om_tz *berlin = zone("Europe/Berlin");
  om_tz *kolkata = zone("Asia/Kolkata");
  om_cron c = cron("30 2 * * *");
  /* 02:30 does not exist on 2026-03-29 in Berlin: the next is the 30th */
  ck_assert_int_eq(om_cron_next(&c, berlin, 1774699200), 1774830600);
  /* ... and happens twice on 2026-10-25 */
  ck_assert_int_eq(om_cron_next(&c, berlin, 1792843200), 1792888200);
  ck_assert_int_eq(om_cron_next(&c, berlin, 1792888200), 1792891800);
  c = cron("0 9 * * 1-5");
  ck_assert_int_eq(om_cron_next(&c, kolkata, 1795168800), 1795404600);
  c = cron("0 0 29 2 *");
  ck_assert_int_eq(om_cron_next(&c, NULL, 1767225600), 1835395200);
  c = cron("0 0 13 * 5"); /* Vixie: the 13th or a Friday */
  ck_assert_int_eq(om_cron_next(&c, NULL, 1793491200), 1793923200);
  c = cron("* * * * *"); /* strictly after, on the minute */
  ck_assert_int_eq(om_cron_next(&c, NULL, 1793491200), 1793491260);
  ck_assert_int_eq(om_cron_next(&c, NULL, 1793491201), 1793491260);
  c = cron("0 0 30 2 *");
  ck_assert_int_eq(om_cron_next(&c, NULL, 1793491200), -1);
  om_tz_free(berlin);
  om_tz_free(kolkata);
}
END_TEST

/* --- pgBackRest's info JSON ---------------------------------------------- */

/* as pgBackRest 2.45 printed it (archive and db sections shortened) */
static const char INFO[] =
    "[{\"archive\":[{\"id\":\"15-1\",\"max\":\"000000010000000000000004\"}],"
    "\"backup\":[{\"archive\":{\"start\":\"000000010000000000000002\"},"
    "\"backrest\":{\"format\":5,\"version\":\"2.45\"},"
    "\"database\":{\"id\":1,\"repo-key\":1},\"error\":false,"
    "\"info\":{\"delta\":23213845,\"repository\":{\"delta\":3062600,"
    "\"size\":3062600},\"size\":23213845},\"label\":\"20261121-145013F\","
    "\"lsn\":{\"start\":\"0/2000028\",\"stop\":\"0/2000100\"},\"prior\":null,"
    "\"reference\":null,\"timestamp\":{\"start\":1795272613,\"stop\":"
    "1795272615},\"type\":\"full\"},"
    "{\"error\":true,\"info\":{\"delta\":8458,\"repository\":{\"delta\":431,"
    "\"size\":3062602},\"size\":23213845},"
    "\"label\":\"20261121-145013F_20261121-145015I\",\"prior\":"
    "\"20261121-145013F\",\"timestamp\":{\"start\":1795272615,\"stop\":"
    "1795272617},\"type\":\"incr\"}],"
    "\"cipher\":\"none\",\"db\":[{\"id\":1,\"system-id\":7710637152066634249,"
    "\"version\":\"15\"}],\"name\":\"demo\",\"repo\":[{\"cipher\":\"none\","
    "\"key\":1,\"status\":{\"code\":0,\"message\":\"ok\"}}],"
    "\"status\":{\"code\":0,\"lock\":{\"backup\":{\"held\":false}},"
    "\"message\":\"ok\"}},"
    "{\"name\":\"empty\",\"status\":{\"code\":2,\"message\":\"no valid "
    "backups\"},\"backup\":[]}]\n";

START_TEST(test_pgbackrest_info) {
  om_backup_listing l;
  char err[256];
  char *copy = om_test_exact_copy(INFO, strlen(INFO));
  ck_assert_msg(om_pgbackrest_parse(copy, strlen(INFO), &l, err, sizeof(err)) ==
                    0,
                "%s", err);
  free(copy);
  ck_assert_uint_eq(l.sets_num, 2);
  const om_backup_set *s = &l.sets[0];
  ck_assert_str_eq(s->name, "demo");
  ck_assert_int_eq(s->status_code, 0);
  ck_assert_str_eq(s->status_text, "ok");
  ck_assert_uint_eq(s->items_num, 2);
  /* newest first */
  ck_assert_str_eq(s->items[0].id, "20261121-145013F_20261121-145015I");
  ck_assert(s->items[0].failed);
  ck_assert(s->items[0].size == 431);
  ck_assert_str_eq(s->items[1].id, "20261121-145013F");
  ck_assert_int_eq(s->items[1].start, 1795272613);
  ck_assert_int_eq(s->items[1].stop, 1795272615);
  ck_assert(s->items[1].size == 3062600);
  ck_assert(!s->items[1].failed);
  ck_assert_str_eq(l.sets[1].name, "empty");
  ck_assert_int_eq(l.sets[1].status_code, 2);
  ck_assert_str_eq(l.sets[1].status_text, "no valid backups");
  ck_assert_uint_eq(l.sets[1].items_num, 0);
  om_backup_listing_free(&l);
}
END_TEST

static void assert_refused(const char *json, const char *want) {
  om_backup_listing l;
  char err[256] = "";
  size_t len = strlen(json);
  char *copy = om_test_exact_copy(json, len);
  int rc = om_pgbackrest_parse(copy, len, &l, err, sizeof(err));
  free(copy);
  ck_assert_msg(rc != 0, "accepted %s", json);
  ck_assert_msg(strstr(err, want) != NULL, "want \"%s\" in \"%s\"", want, err);
  ck_assert_ptr_null(l.sets);
}

#define STANZA(backup)                                                         \
  "[{\"name\":\"s\",\"status\":{\"code\":0,\"message\":\"ok\"},"               \
  "\"backup\":[" backup "]}]"
#define BACKUP(ts, delta)                                                      \
  "{\"label\":\"L\",\"timestamp\":" ts ",\"info\":{\"repository\":"            \
  "{\"delta\":" delta "}}}"

START_TEST(test_pgbackrest_refused) {
  assert_refused("", "not valid JSON");
  assert_refused("<html>502 Bad Gateway</html>", "not valid JSON (at byte 0");
  assert_refused("[{\"name\":", "not valid JSON");
  assert_refused("{}", "the document: expected an array of stanzas");
  assert_refused("[] trailing", "unexpected bytes after the JSON value");
  assert_refused("[1]", "[0]: expected an object");
  assert_refused("[{\"status\":{}}]", "[0].name: expected a string");
  assert_refused("[{\"name\":\"\",\"status\":{}}]", "[0].name: expected 1 to");
  assert_refused("[{\"name\":\"s\"}]", "[0].status: expected an object");
  assert_refused("[{\"name\":\"s\",\"status\":{\"code\":-1}}]",
                 "[0].status.code: expected a whole number from 0 to 255");
  assert_refused("[{\"name\":\"s\",\"status\":{\"code\":0}}]",
                 "[0].status.message: expected a string");
  assert_refused("[{\"name\":\"s\",\"status\":{\"code\":0,\"message\":\"ok\"},"
                 "\"backup\":{}}]",
                 "[0].backup: expected an array");
  assert_refused(STANZA("1"), "[0].backup[0]: expected an object");
  assert_refused(STANZA(BACKUP("{\"start\":1}", "1")),
                 "[0].backup[0].timestamp.stop: expected a whole number");
  assert_refused(STANZA(BACKUP("{\"start\":1,\"stop\":1.5}", "1")),
                 "[0].backup[0].timestamp.stop: expected a whole number");
  assert_refused(STANZA(BACKUP("{\"start\":5,\"stop\":1}", "1")),
                 "[0].backup[0].timestamp: stop is before start");
  assert_refused(STANZA(BACKUP("{\"start\":1,\"stop\":2}", "\"big\"")),
                 "[0].backup[0].info.repository.delta: expected a whole");
  assert_refused(STANZA(BACKUP("{\"start\":1,\"stop\":2}", "1") "," BACKUP(
                     "{\"start\":1,\"stop\":2}", "1e300")),
                 "[0].backup[1].info.repository.delta");
  assert_refused("[{\"name\":\"\xff\xfe\",\"status\":{}}]",
                 "[0].name: expected 1 to 256 bytes of UTF-8");
}
END_TEST

/* every prefix of a valid document is refused without reading past it */
START_TEST(test_pgbackrest_truncated) {
  size_t n = strlen(INFO) - 1; /* all but the newline */
  for (size_t len = 0; len < n; len++) {
    om_backup_listing l;
    char err[256];
    char *copy = om_test_exact_copy(INFO, len);
    ck_assert_msg(om_pgbackrest_parse(copy, len, &l, err, sizeof(err)) != 0,
                  "accepted %zu bytes", len);
    free(copy);
  }
}
END_TEST

/* --- tracking ------------------------------------------------------------ */

static void add_item(om_backup_set *s, const char *id, int64_t start,
                     int64_t stop, double size, bool failed) {
  om_backup_item it = {(char *)id, start, stop, size, failed};
  ck_assert_int_eq(om_backup_set_add(s, &it), 0);
  om_backup_set_sort(s);
}

START_TEST(test_tracker_counts_new_backups_once) {
  om_backup_listing l = {0};
  om_backup_set *s = om_backup_listing_add(&l, "db", 0, "ok");
  add_item(s, "F1", 100, 130, 1000, false);
  om_backup_tracker *t = om_backup_tracker_new("db", BUCKETS, BUCKETS_NUM);
  ck_assert_int_eq(om_backup_tracker_update(t, s), 0); /* baseline */
  ck_assert_uint_eq(t->successes + t->failures, 0);
  ck_assert(t->have_last && t->last_stop == 130 && t->last_size == 1000);
  add_item(s, "I1", 200, 207, 10, false);
  ck_assert_int_eq(om_backup_tracker_update(t, s), 0);
  ck_assert_int_eq(om_backup_tracker_update(t, s), 0); /* seen already */
  ck_assert_uint_eq(t->successes, 1);
  ck_assert_uint_eq(t->duration.count, 1);
  ck_assert(t->duration.sum == 7);
  ck_assert_uint_eq(t->duration.cumulative[0], 0); /* le=1 */
  ck_assert_uint_eq(t->duration.cumulative[2], 1); /* le=10 */
  ck_assert(t->last_stop == 207 && t->last_size == 10);
  add_item(s, "I2", 300, 400, 0, true); /* a failure is not the last success */
  ck_assert_int_eq(om_backup_tracker_update(t, s), 0);
  ck_assert_uint_eq(t->failures, 1);
  ck_assert_uint_eq(t->duration.count, 1);
  ck_assert(t->last_stop == 207);
  om_backup_listing_free(&l);
  /* expired backups do not take the last success or the counts back */
  s = om_backup_listing_add(&l, "db", 2, "no valid backups");
  ck_assert_int_eq(om_backup_tracker_update(t, s), 0);
  ck_assert(t->have_last && t->last_stop == 207);
  ck_assert_uint_eq(t->successes, 1);
  ck_assert_uint_eq(t->failures, 1);
  /* a dump written again under the same name is a new backup */
  add_item(s, "dump.sql", OM_BACKUP_UNKNOWN_TIME, 500, 50, false);
  ck_assert_int_eq(om_backup_tracker_update(t, s), 0);
  s->items[0].stop = 600;
  ck_assert_int_eq(om_backup_tracker_update(t, s), 0);
  ck_assert_uint_eq(t->successes, 3);
  ck_assert_uint_eq(t->duration.count, 1); /* dumps have no start */
  ck_assert(t->last_stop == 600 && t->last_start == OM_BACKUP_UNKNOWN_TIME);
  om_backup_tracker_free(t);
  om_backup_listing_free(&l);
}
END_TEST

START_TEST(test_schedule_slots) {
  /* every hour on the hour, a slot met by a backup started within 600 s */
  om_backup_schedule sched = {.cron = cron("0 * * * *"), .window_s = 600};
  om_backup_listing l = {0};
  om_backup_set *s = om_backup_listing_add(&l, "db", 0, "ok");
  om_backup_tracker *t = om_backup_tracker_new("db", BUCKETS, BUCKETS_NUM);
  int64_t h = 1795269600; /* 2026-11-21 10:00 UTC */
  om_backup_tracker_schedule(t, &sched, s, h + 1800, 100);
  ck_assert_int_eq(t->pending_slot, h + 3600); /* earlier slots do not count */
  ck_assert_int_eq(t->next_slot, h + 3600);
  /* the slot is open until +600 s */
  om_backup_tracker_schedule(t, &sched, s, h + 3600 + 599, 100);
  ck_assert_uint_eq(t->slots_met + t->slots_missed, 0);
  ck_assert_int_eq(t->next_slot, h + 7200);
  om_backup_tracker_schedule(t, &sched, s, h + 3600 + 600, 100);
  ck_assert_uint_eq(t->slots_missed, 1);
  /* met at once when the backup shows, even before the window closes */
  add_item(s, "B", h + 7200 + 5, h + 7200 + 60, 1, false);
  om_backup_tracker_schedule(t, &sched, s, h + 7200 + 61, 100);
  ck_assert_uint_eq(t->slots_met, 1);
  ck_assert_int_eq(t->pending_slot, h + 3 * 3600);
  /* an unreadable source settles nothing */
  om_backup_tracker_schedule(t, &sched, NULL, h + 10 * 3600, 100);
  ck_assert_uint_eq(t->slots_missed, 1);
  ck_assert_int_eq(t->next_slot, h + 11 * 3600);
  /* then the slots in between are settled, at most max_slots per call */
  om_backup_tracker_schedule(t, &sched, s, h + 10 * 3600, 3);
  ck_assert_uint_eq(t->slots_missed, 4);
  om_backup_tracker_schedule(t, &sched, s, h + 10 * 3600, 100);
  ck_assert_uint_eq(t->slots_missed, 8); /* 3:00 to 10:00, 10:00 still open */
  ck_assert_uint_eq(t->slots_met, 1);
  /* a failed backup does not meet a slot; paused counts nothing */
  add_item(s, "C", h + 10 * 3600 + 1, h + 10 * 3600 + 2, 0, true);
  om_backup_tracker_schedule(t, &sched, s, h + 11 * 3600, 100);
  ck_assert_uint_eq(t->slots_missed, 9);
  sched.paused = true;
  om_backup_tracker_schedule(t, &sched, s, h + 20 * 3600, 100);
  ck_assert_uint_eq(t->slots_missed, 9);
  ck_assert_int_eq(t->next_slot, 0);
  om_backup_tracker_free(t);
  om_backup_listing_free(&l);
}
END_TEST

START_TEST(test_schedule_without_window) {
  om_backup_schedule sched = {.cron = cron("*/10 * * * *")};
  om_backup_listing l = {0};
  om_backup_set *s = om_backup_listing_add(&l, "db", 0, "ok");
  om_backup_tracker *t = om_backup_tracker_new("db", BUCKETS, BUCKETS_NUM);
  int64_t h = 1795269600;
  om_backup_tracker_schedule(t, &sched, s, h + 1, 100);
  om_backup_tracker_schedule(t, &sched, s, h + 1199, 100); /* open to +1200 */
  ck_assert_uint_eq(t->slots_missed, 0);
  om_backup_tracker_schedule(t, &sched, s, h + 1200, 100);
  ck_assert_uint_eq(t->slots_missed, 1);
  om_backup_tracker_free(t);
  om_backup_listing_free(&l);
}
END_TEST

/* --- mapping -------------------------------------------------------------- */

START_TEST(test_map) {
  om_backup_listing l = {0};
  om_backup_set *s = om_backup_listing_add(&l, "db", 0, "ok");
  add_item(s, "F1", 100, 130, 1000, false);
  add_item(s, "F2", 200, 230, 0, true);
  add_item(s, "F0", 10, 20, 5, false);
  om_backup_tracker *t = om_backup_tracker_new("db", BUCKETS, BUCKETS_NUM);
  om_backup_tracker_update(t, s);
  t->successes = 4;
  t->next_slot = 1795273200;
  om_backup_identity id = {.namespace_ = "ns",
                           .engine = "postgres",
                           .storage_type = "s3",
                           .schedule_name = "nightly",
                           .cron = "0 3 * * *",
                           .max_backups = 2};
  recorder r;
  om_sink sink = recorder_sink(&r, true);
  om_backup_map(&id, t, s, &sink);
  const char *want[] = {
      "dbops_backup_size_bytes{database=db,engine=postgres,namespace=ns} 1000",
      "dbops_backup_last_success_timestamp_seconds{database=db,engine=postgres,"
      "namespace=ns} 130",
      "dbops_backup_operations_total{status=success,namespace=ns,database=db,"
      "engine=postgres} 4",
      "dbops_backup_operations_total{status=failure,namespace=ns,database=db,"
      "engine=postgres} 0",
      "dbops_backup_info{backup=F2,namespace=ns,database_ref=db,storage_type="
      "s3,phase=Failed} 1",
      "dbops_backup_info{backup=F1,namespace=ns,database_ref=db,storage_type="
      "s3,phase=Completed} 1",
      "dbops_schedule_info{schedule=nightly,namespace=ns,database_ref=db,cron="
      "0 3 * * *,paused=false} 1",
      "dbops_scheduled_backups_total{status=success,namespace=ns,database=db} "
      "0",
      "dbops_scheduled_backups_total{status=failure,namespace=ns,database=db} "
      "0",
      "dbops_schedule_next_backup_timestamp_seconds{database=db,namespace=ns} "
      "1795273200",
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    ck_assert_msg(recorded(&r, want[i]), "missing %s", want[i]);
  ck_assert_uint_eq(r.n, sizeof(want) / sizeof(want[0])); /* F0: MaxBackups */
  ck_assert_uint_eq(r.histograms, 1);
  ck_assert_str_eq(r.last_histogram_family, "dbops_backup_duration_seconds");
  ck_assert_uint_eq(r.last_histogram->bounds_num, BUCKETS_NUM);
  /* no schedule, nothing of it; paused: no next time */
  recorder r2;
  sink = recorder_sink(&r2, true);
  id.cron = NULL;
  om_backup_map(&id, t, s, &sink);
  ck_assert_uint_eq(r2.n, 6);
  om_backup_tracker_free(t);
  om_backup_listing_free(&l);
}
END_TEST

static Suite *backup_suite(void) {
  Suite *s = suite_create("backup");
  TCase *tz = tcase_create("tz");
  tcase_add_test(tz, test_tz_transitions_and_footer);
  tcase_add_test(tz, test_tz_rules_alone);
  tcase_add_test(tz, test_tz_julian_and_zero_based_days);
  tcase_add_test(tz, test_tz_bad_files);
  tcase_add_test(tz, test_tz_rule_cut_after_month);
  suite_add_tcase(s, tz);
  TCase *c = tcase_create("cron");
  tcase_add_test(c, test_cron_fields);
  tcase_add_test(c, test_cron_refused);
  tcase_add_test(c, test_cron_next);
  suite_add_tcase(s, c);
  TCase *p = tcase_create("pgbackrest");
  tcase_add_test(p, test_pgbackrest_info);
  tcase_add_test(p, test_pgbackrest_refused);
  tcase_add_test(p, test_pgbackrest_truncated);
  suite_add_tcase(s, p);
  TCase *t = tcase_create("tracking");
  tcase_add_test(t, test_tracker_counts_new_backups_once);
  tcase_add_test(t, test_schedule_slots);
  tcase_add_test(t, test_schedule_without_window);
  tcase_add_test(t, test_map);
  suite_add_tcase(s, t);
  return s;
}

OM_CHECK_MAIN(backup_suite)
