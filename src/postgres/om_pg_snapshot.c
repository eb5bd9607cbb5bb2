/* Validating query results into an om_pg_snapshot; see om_pg_snapshot.h. */
#include "om_pg_snapshot.h"
#include "om_number.h"
#include "om_types.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void om_pg_snapshot_free(om_pg_snapshot *s) {
  for (size_t i = 0; i < s->dbs_num; i++)
    free(s->dbs[i].name);
  for (size_t i = 0; i < s->roles_num; i++)
    free(s->roles[i].name);
  for (size_t i = 0; i < s->grants_num; i++) {
    free(s->grants[i].grantee);
    free(s->grants[i].database);
    free(s->grants[i].privileges);
  }
  free(s->dbs);
  free(s->roles);
  free(s->grants);
  memset(s, 0, sizeof(*s));
}

static const char *cell(const om_pg_table *t, size_t row, size_t col) {
  return t->cells[row * t->cols + col];
}

static int check_shape(const om_pg_table *t, size_t cols, const char *what,
                       char *err, size_t errlen) {
  if (t->cols == cols)
    return 0;
  snprintf(err, errlen, "%s: expected %zu columns, the server returned %zu",
           what, cols, t->cols);
  return -1;
}

__attribute__((format(printf, 4, 5))) static void
reject(om_pg_snapshot *s, const char *what, size_t row, const char *fmt, ...) {
  if (s->rows_rejected++ > 0)
    return;
  char why[96];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof(why), fmt, ap);
  va_end(ap);
  snprintf(s->first_rejection, sizeof(s->first_rejection), "%s, row %zu: %s",
           what, row + 1, why);
}

/* A value that may become a label: present, bounded, valid UTF-8. */
static const char *text(om_pg_snapshot *s, const om_pg_table *t, size_t row,
                        size_t col, const char *what) {
  const char *v = cell(t, row, col);
  if (v == NULL) {
    reject(s, what, row, "column %zu is NULL", col + 1);
    return NULL;
  }
  size_t len = strnlen(v, OM_PG_MAX_VALUE_BYTES + 1);
  if (len == 0 || len > OM_PG_MAX_VALUE_BYTES) {
    reject(s, what, row, "column %zu is empty or longer than %d bytes", col + 1,
           OM_PG_MAX_VALUE_BYTES);
    return NULL;
  }
  if (!om_utf8_valid(v, len)) {
    reject(s, what, row, "column %zu is not valid UTF-8", col + 1);
    return NULL;
  }
  return v;
}

/* libpq's text form of a boolean: "t" or "f". */
static int boolean(om_pg_snapshot *s, const om_pg_table *t, size_t row,
                   size_t col, const char *what, bool *out) {
  const char *v = cell(t, row, col);
  if (v != NULL && (strcmp(v, "t") == 0 || strcmp(v, "f") == 0)) {
    *out = v[0] == 't';
    return 0;
  }
  reject(s, what, row, "column %zu is not a boolean", col + 1);
  return -1;
}

/* A finite, non-negative number. */
static int number(om_pg_snapshot *s, const om_pg_table *t, size_t row,
                  size_t col, const char *what, double *out) {
  const char *v = cell(t, row, col);
  double d;
  if (v != NULL && om_parse_double(v, strnlen(v, 64), &d) && isfinite(d) &&
      d >= 0) {
    *out = d;
    return 0;
  }
  reject(s, what, row, "column %zu is not a non-negative number", col + 1);
  return -1;
}

static void *grow(void *array, size_t num, size_t size) {
  return realloc(array, (num + 1) * size);
}

static int out_of_memory(char *err, size_t errlen) {
  snprintf(err, errlen, "out of memory");
  return -1;
}

int om_pg_parse_databases(om_pg_snapshot *s, const om_pg_table *t,
                          om_pg_db_filter keep, const void *ctx, char *err,
                          size_t errlen) {
  const char *what = "databases";
  if (check_shape(t, 2, what, err, errlen) != 0)
    return -1;
  for (size_t r = 0; r < t->rows; r++) {
    bool is_template;
    const char *name = text(s, t, r, 0, what);
    if (name == NULL || boolean(s, t, r, 1, what, &is_template) != 0 ||
        !keep(ctx, name, is_template))
      continue;
    om_pg_database *dbs = grow(s->dbs, s->dbs_num, sizeof(*dbs));
    if (dbs == NULL)
      return out_of_memory(err, errlen);
    s->dbs = dbs;
    om_pg_database *d = &dbs[s->dbs_num];
    *d = (om_pg_database){.name = strdup(name), .is_template = is_template};
    if (d->name == NULL)
      return out_of_memory(err, errlen);
    s->dbs_num++;
  }
  return 0;
}

static om_pg_database *find_database(om_pg_snapshot *s, const char *name) {
  for (size_t i = 0; i < s->dbs_num; i++)
    if (strcmp(s->dbs[i].name, name) == 0)
      return &s->dbs[i];
  return NULL;
}

int om_pg_parse_sizes(om_pg_snapshot *s, const om_pg_table *t, char *err,
                      size_t errlen) {
  const char *what = "database sizes";
  if (check_shape(t, 2, what, err, errlen) != 0)
    return -1;
  for (size_t r = 0; r < t->rows; r++) {
    double size;
    const char *name = text(s, t, r, 0, what);
    if (name == NULL || number(s, t, r, 1, what, &size) != 0)
      continue;
    om_pg_database *d = find_database(s, name);
    if (d == NULL) {
      reject(s, what, r, "a database that was not asked for");
      continue;
    }
    d->has_size = true;
    d->size_bytes = size;
  }
  return 0;
}

int om_pg_parse_roles(om_pg_snapshot *s, const om_pg_table *t, char *err,
                      size_t errlen) {
  const char *what = "roles";
  if (check_shape(t, 3, what, err, errlen) != 0)
    return -1;
  for (size_t r = 0; r < t->rows; r++) {
    bool login, expired;
    const char *name = text(s, t, r, 0, what);
    if (name == NULL || boolean(s, t, r, 1, what, &login) != 0 ||
        boolean(s, t, r, 2, what, &expired) != 0)
      continue;
    om_pg_role *roles = grow(s->roles, s->roles_num, sizeof(*roles));
    if (roles == NULL)
      return out_of_memory(err, errlen);
    s->roles = roles;
    om_pg_role *role = &roles[s->roles_num];
    *role = (om_pg_role){strdup(name), login, expired};
    if (role->name == NULL)
      return out_of_memory(err, errlen);
    s->roles_num++;
  }
  return 0;
}

static int add_grant(om_pg_snapshot *s, const char *grantee,
                     const char *database, const char *privileges, char *err,
                     size_t errlen) {
  om_pg_grant *grants = grow(s->grants, s->grants_num, sizeof(*grants));
  if (grants == NULL)
    return out_of_memory(err, errlen);
  s->grants = grants;
  om_pg_grant *g = &grants[s->grants_num++];
  *g = (om_pg_grant){strdup(grantee), database ? strdup(database) : NULL,
                     strdup(privileges)};
  if (g->grantee == NULL || g->privileges == NULL ||
      (database != NULL && g->database == NULL))
    return out_of_memory(err, errlen);
  return 0;
}

int om_pg_parse_database_grants(om_pg_snapshot *s, const om_pg_table *t,
                                char *err, size_t errlen) {
  const char *what = "database grants";
  if (check_shape(t, 3, what, err, errlen) != 0)
    return -1;
  for (size_t r = 0; r < t->rows; r++) {
    const char *db = text(s, t, r, 0, what);
    const char *grantee = db ? text(s, t, r, 1, what) : NULL;
    const char *privileges = grantee ? text(s, t, r, 2, what) : NULL;
    if (privileges == NULL)
      continue;
    if (find_database(s, db) == NULL) {
      reject(s, what, r, "a database that was not asked for");
      continue;
    }
    if (add_grant(s, grantee, db, privileges, err, errlen) != 0)
      return -1;
  }
  return 0;
}

int om_pg_parse_memberships(om_pg_snapshot *s, const om_pg_table *t, char *err,
                            size_t errlen) {
  const char *what = "role memberships";
  if (check_shape(t, 2, what, err, errlen) != 0)
    return -1;
  for (size_t r = 0; r < t->rows; r++) {
    const char *member = text(s, t, r, 0, what);
    const char *roles = member ? text(s, t, r, 1, what) : NULL;
    if (roles != NULL && add_grant(s, member, NULL, roles, err, errlen) != 0)
      return -1;
  }
  return 0;
}

int om_pg_parse_archiver(om_pg_snapshot *s, const om_pg_table *t, char *err,
                         size_t errlen) {
  const char *what = "pg_stat_archiver";
  if (check_shape(t, 3, what, err, errlen) != 0)
    return -1;
  if (t->rows != 1) {
    snprintf(err, errlen, "%s: expected one row, the server returned %zu", what,
             t->rows);
    return -1;
  }
  if (number(s, t, 0, 0, what, &s->archived_count) != 0 ||
      number(s, t, 0, 1, what, &s->failed_count) != 0)
    return 0;
  s->has_archiver = true;
  /* NULL until the first segment is archived: no age is invented */
  s->has_last_archive_age = cell(t, 0, 2) != NULL &&
                            number(s, t, 0, 2, what, &s->last_archive_age) == 0;
  return 0;
}

/* Appends c to the array literal, quoted as array_in() reads it. */
static size_t quote_into(char *out, const char *name) {
  size_t n = 0;
  out[n++] = '"';
  for (const char *p = name; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      out[n++] = '\\';
    out[n++] = *p;
  }
  out[n++] = '"';
  return n;
}

char *om_pg_database_array(const om_pg_snapshot *s) {
  size_t cap = 3;
  for (size_t i = 0; i < s->dbs_num; i++)
    cap += 2 * strlen(s->dbs[i].name) + 3;
  char *out = malloc(cap);
  if (out == NULL)
    return NULL;
  size_t n = 0;
  out[n++] = '{';
  for (size_t i = 0; i < s->dbs_num; i++) {
    if (i > 0)
      out[n++] = ',';
    n += quote_into(out + n, s->dbs[i].name);
  }
  out[n++] = '}';
  out[n] = '\0';
  return out;
}
