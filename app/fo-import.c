/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-import"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <csv.h>
#include <sqlite3.h>

#include "fo-import.h"

/*
 * Partner feeds arrive as CSV files with a header row. Each data row becomes one event of one
 * family, found through the member the row names. A file imports in one transaction, so that
 * a crash, a kill or a failure leaves the store as it was; rows that cannot be used are
 * listed by line and column and never silently dropped. Every row has an import key (the feed,
 * the member and the row's natural key), and the store ignores a key it already holds, so
 * importing the same file twice adds nothing.
 *
 * The file is read in blocks and fed to libcsv one physical line at a time, which is how the
 * importer knows the line each row starts on even when a quoted field spans lines. Checked rows
 * wait in a batch, which is written sorted by family: the store clusters events by family, and
 * a feed lists families in no useful order.
 */

const char *const fo_feed_names[] = {
  "attendance", "exclusions", "incidents", "da-notifications", "missing", "benefits",
  "employment", "star-readings", NULL
};

G_STATIC_ASSERT (G_N_ELEMENTS (fo_feed_names) == FO_N_FEEDS + 1);

G_DEFINE_QUARK (fo-import-error-quark, fo_import_error)

typedef enum
{
  COL_UPN,
  COL_PERSON_REF,
  COL_SURNAME,
  COL_DOB,
  COL_REFERENCE,
  COL_NOTE,
  COL_TERM,
  COL_START,
  COL_END,
  COL_POSSIBLE,
  COL_ATTENDED,
  COL_UNAUTHORISED,
  COL_DATE,
  COL_KIND,
  COL_TYPE,
  COL_DAYS,
  COL_HOURS,
  COL_HOURS_PER_WEEK,
  COL_END_REASON,
  COL_TAKEN_BY,
  COL_STAR,               /* the first of FO_STAR_AREAS columns, in fo_star_area_names[] order */
  N_COLUMNS = COL_STAR + FO_STAR_AREAS
} Column;

static const char *const column_names[COL_STAR] = {
  "upn", "person_ref", "surname", "dob", "reference", "note", "term", "start", "end",
  "possible", "attended", "unauthorised", "date", "kind", "type", "days", "hours",
  "hours_per_week", "end_reason", "taken_by",
};

#define BIT(c) (G_GUINT64_CONSTANT (1) << (c))
#define STAR_BITS (((G_GUINT64_CONSTANT (1) << FO_STAR_AREAS) - 1) << COL_STAR)
#define IDENTITY_BITS (BIT (COL_UPN) | BIT (COL_PERSON_REF) | BIT (COL_SURNAME) | BIT (COL_DOB))
#define COMMON_BITS (IDENTITY_BITS | BIT (COL_REFERENCE) | BIT (COL_NOTE))

G_STATIC_ASSERT (N_COLUMNS <= 64);

typedef struct
{
  guint64 required;
  guint64 optional;       /* beyond COMMON_BITS, which every feed accepts */
} FeedColumns;

static const FeedColumns feed_columns[FO_N_FEEDS] = {
  [FO_FEED_ATTENDANCE] = {
    BIT (COL_START) | BIT (COL_END) | BIT (COL_POSSIBLE) | BIT (COL_ATTENDED),
    BIT (COL_TERM) | BIT (COL_UNAUTHORISED) },
  [FO_FEED_EXCLUSIONS] = { BIT (COL_DATE) | BIT (COL_TYPE), BIT (COL_DAYS) },
  [FO_FEED_INCIDENTS] = { BIT (COL_DATE) | BIT (COL_KIND), BIT (COL_TYPE) },
  [FO_FEED_DA_NOTIFICATIONS] = { BIT (COL_DATE), BIT (COL_TYPE) },
  [FO_FEED_MISSING] = { BIT (COL_DATE), BIT (COL_HOURS) },
  [FO_FEED_BENEFITS] = { BIT (COL_TYPE) | BIT (COL_START), BIT (COL_END) | BIT (COL_END_REASON) },
  [FO_FEED_EMPLOYMENT] = {
    BIT (COL_START),
    BIT (COL_END) | BIT (COL_HOURS_PER_WEEK) | BIT (COL_TYPE) },
  [FO_FEED_STAR_READINGS] = { BIT (COL_DATE) | STAR_BITS, BIT (COL_TAKEN_BY) },
};

static const char *const exclusion_types[] = { "fixed", "permanent", NULL };
static const char *const incident_kinds[] = { "asb", "offence", "arrest", "named_suspect", NULL };
static const FoKind incident_event_kinds[] = {
  FO_KIND_ASB_INCIDENT, FO_KIND_OFFENCE, FO_KIND_ARREST, FO_KIND_NAMED_SUSPECT
};
/* The benefit types the plans' rules name. */
static const char *const benefit_types[] = {
  "JSA", "ESA", "IS", "IB", "UC_work_related", "UC_no_work_req", "UC_work_focused_interview",
  "UC_work_preparation", "UC_light_touch", "UC_working_enough", NULL
};
static const char *const benefit_end_reasons[] = {
  "closed", "into_work", "regime_change", "other", NULL
};
static const char *const taken_by_values[] = { "joint", "worker", NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (incident_kinds) == G_N_ELEMENTS (incident_event_kinds) + 1);

#define CHUNK_SIZE (256 * 1024)
/* The most bytes handed to libcsv at once: a field grows by at most this much between the
 * checks that cap it. */
#define PIECE_SIZE (64 * 1024)
/* More header fields than any feed has columns: the header is refused anyway. */
#define MAX_FIELDS 64
/* Rows are written in batches sorted by family, so that a batch visits each family's pages
 * once and in order, rather than at random for every row. */
#define BATCH_ROWS (256 * 1024)
#define BATCH_BYTES (32 * 1024 * 1024)
/* SQLite's page cache while importing, in KiB: room for the pages of a large store's events,
 * which a feed that names every family touches on every batch. */
#define IMPORT_CACHE_KIB (64 * 1024)
#define MAX_IDENTIFIER 64
#define MAX_LABEL 200
#define ECHO_CHARS 40

/* libcsv's state between rows; csv_init () sets it. */
#define CSV_ROW_NOT_BEGUN 0

/* What a member lookup found, kept for the rest of the file: a feed names the same people
 * over and over. */
typedef struct
{
  gint64               family_id;
  char                *member_id;  /* set only when exactly one member matched */
  guint                matches;
  FoImportFamilyCount *family;
} MemberHit;

/* The import keys met so far in this file, as 64-bit digests mixed with the family, mapped to
 * the line they were met on: an open-addressing table, so that a million rows cost two
 * arrays rather than a million allocations. */
typedef struct
{
  guint64 *keys;
  guint32 *lines;          /* 0: empty slot */
  gsize    size;
  gsize    used;
} KeySet;

typedef struct
{
  gsize    offset;
  gsize    len;
  gboolean too_long;
} FieldRef;

/* A checked row waiting for its batch to be written. */
typedef struct
{
  gint64     family_id;
  MemberHit *hit;
  guint64    digest;        /* the first 8 bytes of the import key's SHA-256 */
  gboolean   whole_family;
  FoKind     kind;
  FoDay      start;
  FoDay      end;
  double     amount;
  gint32     possible;
  gint32     attended;
  gint32     unauthorised;
  gint8      scores[FO_STAR_AREAS];
  guint32    type;
  guint32    end_reason;
  guint32    term;
  guint32    taken_by;
  guint32    note;
  guint32    key;
} PendingRow;

typedef struct
{
  FoStore           *store;
  FoFeed             feed;
  const char        *file;
  FoImportReport    *report;
  GError            *error;         /* a failure inside a libcsv callback */

  struct csv_parser  parser;
  guint64            line;          /* the physical line being fed */
  guint64            row_line;      /* the line the current row started on */
  gboolean           skip_lf;       /* the last block ended in \r: a \n next ends no line */
  gboolean           field_too_long;

  /* The header. */
  gboolean           have_header;
  guint              n_columns;
  Column             map[MAX_FIELDS];

  /* The current row: its fields' text, each followed by a NUL, in one buffer. */
  GString           *row;
  FieldRef           fields[MAX_FIELDS];
  guint              n_fields;
  const char        *value[N_COLUMNS]; /* NULL: no such column, or an empty field */
  gboolean           row_rejected;

  GString           *scratch;
  GString           *natural;
  GString           *key;
  GChecksum         *checksum;
  GHashTable        *members;       /* lookup key → MemberHit */
  GHashTable        *families;      /* gint64 * → FoImportFamilyCount */
  KeySet             seen;

  /* Rows ready to insert, and their text: offsets into arena, 0 for none. */
  GArray            *pending;       /* PendingRow */
  GString           *arena;
} Importer;

static const char *
column_name (Column column)
{
  return column >= COL_STAR ? fo_star_area_names[column - COL_STAR] : column_names[column];
}

static int
column_from_name (const char *name)
{
  for (int c = 0; c < N_COLUMNS; c++)
    if (g_ascii_strcasecmp (name, column_name (c)) == 0)
      return c;
  return -1;
}

/**
 * fo_feed_from_name:
 * @name: a feed's name, as in fo_feed_names[]
 *
 * Returns: the #FoFeed, or -1 if no feed has that name
 */
int
fo_feed_from_name (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (int i = 0; fo_feed_names[i] != NULL; i++)
    if (g_str_equal (fo_feed_names[i], name))
      return i;
  return -1;
}

/**
 * fo_feed_name:
 * @feed: a #FoFeed
 *
 * Returns: (transfer none): the feed's name, as the command line takes it
 */
const char *
fo_feed_name (FoFeed feed)
{
  g_return_val_if_fail (feed < FO_N_FEEDS, NULL);
  return fo_feed_names[feed];
}

static void
reject_free (gpointer data)
{
  FoImportReject *reject = data;

  g_free (reject->reason);
  g_free (reject);
}

static void
family_count_free (gpointer data)
{
  FoImportFamilyCount *count = data;

  g_free (count->reference);
  g_free (count);
}

static void
member_hit_free (gpointer data)
{
  MemberHit *hit = data;

  g_free (hit->member_id);
  g_free (hit);
}

/**
 * fo_import_report_free:
 * @report: (nullable) (transfer full): a report
 */
void
fo_import_report_free (FoImportReport *report)
{
  if (report == NULL)
    return;
  g_free (report->file);
  g_clear_pointer (&report->rejects, g_ptr_array_unref);
  g_clear_pointer (&report->families, g_ptr_array_unref);
  g_free (report);
}

/* Key sets */

static void
key_set_init (KeySet *set,
              guint64 expected)
{
  /* Room for the rows a file of this size holds, so that a large file is not rehashed over
   * and over; no more than 64 MiB up front. */
  set->size = 1024;
  while (set->size < G_GUINT64_CONSTANT (1) << 22 && set->size * 3 / 4 < expected)
    set->size *= 2;
  set->used = 0;
  set->keys = g_new (guint64, set->size);
  set->lines = g_new0 (guint32, set->size);
}

static void
key_set_clear (KeySet *set)
{
  g_clear_pointer (&set->keys, g_free);
  g_clear_pointer (&set->lines, g_free);
}

static void
key_set_put (KeySet  *set,
             guint64  key,
             guint32  line)
{
  gsize mask = set->size - 1;
  gsize i = key & mask;

  while (set->lines[i] != 0)
    i = (i + 1) & mask;
  set->keys[i] = key;
  set->lines[i] = line;
  set->used++;
}

/* Adds key, met on line. Returns the line it was first met on, or 0 if it is new. */
static guint32
key_set_add (KeySet  *set,
             guint64  key,
             guint32  line)
{
  gsize mask, i;

  g_assert (line != 0);

  if ((set->used + 1) * 4 > set->size * 3)
    {
      KeySet bigger = { NULL, NULL, set->size * 2, 0 };

      bigger.keys = g_new (guint64, bigger.size);
      bigger.lines = g_new0 (guint32, bigger.size);
      for (gsize j = 0; j < set->size; j++)
        if (set->lines[j] != 0)
          key_set_put (&bigger, set->keys[j], set->lines[j]);
      key_set_clear (set);
      *set = bigger;
    }
  mask = set->size - 1;
  for (i = key & mask; set->lines[i] != 0; i = (i + 1) & mask)
    if (set->keys[i] == key)
      return set->lines[i];
  set->keys[i] = key;
  set->lines[i] = line;
  set->used++;
  return 0;
}

/* Rejects */

static void reject (Importer   *self,
                    int         column,
                    const char *format,
                    ...) G_GNUC_PRINTF (3, 4);

/* Records one problem with the current row; column is -1 for the whole row. */
static void
reject (Importer   *self,
        int         column,
        const char *format,
        ...)
{
  FoImportReject *entry;
  va_list args;

  self->row_rejected = TRUE;
  if (self->report->rejects->len >= FO_IMPORT_MAX_LISTED_REJECTS)
    {
      self->report->unlisted_rejects++;
      return;
    }
  entry = g_new0 (FoImportReject, 1);
  entry->line = self->row_line;
  entry->field = column >= 0 ? column_name (column) : NULL;
  va_start (args, format);
  entry->reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (self->report->rejects, entry);
}

/* A value to quote back in a reject, cut short: a reject quotes codes, dates and numbers, never
 * a column that identifies a person. */
static char *
echo (const char *text)
{
  if (g_utf8_strlen (text, ECHO_CHARS + 1) <= ECHO_CHARS)
    return g_strdup (text);
  {
    g_autofree char *start = g_utf8_substring (text, 0, ECHO_CHARS);

    return g_strconcat (start, "…", NULL);
  }
}

/* Field readers: each leaves its output alone and returns FALSE when the field is empty or
 * wrong, and rejects the row when it is wrong. */

static gboolean
read_day (Importer *self,
          Column    column,
          FoDay    *out)
{
  const char *text = self->value[column];

  if (text == NULL)
    return FALSE;
  if (fo_day_parse (text, out))
    return TRUE;
  if (column == COL_DOB)
    reject (self, column, _("is not a valid date (expected YYYY-MM-DD)"));
  else
    {
      g_autofree char *shown = echo (text);

      reject (self, column, _("“%s” is not a valid date (expected YYYY-MM-DD)"), shown);
    }
  return FALSE;
}

/* Whole numbers: digits only, so no sign, spaces, decimals, exponents or trailing text. */
static gboolean
read_count (Importer *self,
            Column    column,
            gint64    min,
            gint64    max,
            gint64   *out)
{
  const char *text = self->value[column];
  gint64 value = 0;
  guint n = 0;

  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++, n++)
    {
      if (!g_ascii_isdigit (*p) || n == 9)
        goto bad;
      value = value * 10 + (*p - '0');
    }
  if (n == 0 || value < min || value > max)
    goto bad;
  *out = value;
  return TRUE;

bad:
  {
    g_autofree char *shown = echo (text);

    reject (self, column, _("“%s” is not a whole number from %d to %d"), shown, (int) min,
            (int) max);
  }
  return FALSE;
}

/* Decimal amounts: digits with an optional fraction; never a sign, an exponent, NaN or
 * infinity, which strtod alone would accept. */
static gboolean
read_amount (Importer *self,
             Column    column,
             int       max,
             double   *out)
{
  const char *text = self->value[column];
  const char *p = text;
  guint digits = 0;
  double value;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++, digits++;
  if (digits == 0 || digits > 9)
    goto bad;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        goto bad;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    goto bad;
  value = g_ascii_strtod (text, NULL);
  if (value > max)
    goto bad;
  *out = value;
  return TRUE;

bad:
  {
    g_autofree char *shown = echo (text);

    reject (self, column, _("“%s” is not a number from 0 to %d"), shown, max);
  }
  return FALSE;
}

/* A value from a fixed list; returns its index, or -1. */
static int
read_choice (Importer          *self,
             Column             column,
             const char *const *choices)
{
  const char *text = self->value[column];
  g_autofree char *list = NULL;
  g_autofree char *shown = NULL;

  if (text == NULL)
    return -1;
  for (int i = 0; choices[i] != NULL; i++)
    if (g_str_equal (text, choices[i]))
      return i;
  list = g_strjoinv (", ", (char **) choices);
  shown = echo (text);
  reject (self, column, _("“%s” is not one of: %s"), shown, list);
  return -1;
}

/* Free text with a length limit, in characters. */
static char *
read_text (Importer *self,
           Column    column,
           guint     max)
{
  const char *text = self->value[column];

  if (text == NULL)
    return NULL;
  if (g_utf8_strlen (text, max + 1) > max)
    {
      reject (self, column, _("is longer than %u characters"), max);
      return NULL;
    }
  return (char *) text;
}

static void
add_natural (Importer   *self,
             const char *text)
{
  g_string_append_c (self->natural, '|');
  if (text != NULL)
    g_string_append (self->natural, text);
}

/* The feeds. Each fills the event from the row and writes the row's natural key: the fields
 * that tell this record from another of the same member. */

static void
read_spell_end (Importer *self,
                FoEvent  *event)
{
  if (read_day (self, COL_END, &event->end) && event->start != 0 && event->end < event->start)
    reject (self, COL_END, _("is before the start (%s)"), self->value[COL_START]);
}

static void
read_attendance (Importer *self,
                 FoEvent  *event)
{
  gboolean have_possible, have_attended;

  event->kind = FO_KIND_ATTENDANCE;
  event->term = read_text (self, COL_TERM, MAX_IDENTIFIER);
  read_day (self, COL_START, &event->start);
  read_spell_end (self, event);
  have_possible = read_count (self, COL_POSSIBLE, 1, 10000, &event->possible);
  have_attended = read_count (self, COL_ATTENDED, 0, 10000, &event->attended);
  if (have_possible && have_attended && event->attended > event->possible)
    reject (self, COL_ATTENDED,
            _("more sessions attended (%lld) than possible (%lld)"),
            (long long) event->attended, (long long) event->possible);
  else if (read_count (self, COL_UNAUTHORISED, 0, 10000, &event->unauthorised) &&
           have_possible && have_attended &&
           event->unauthorised > event->possible - event->attended)
    reject (self, COL_UNAUTHORISED,
            _("more unauthorised absences (%lld) than absences in the term (%lld)"),
            (long long) event->unauthorised, (long long) (event->possible - event->attended));
  add_natural (self, self->value[COL_START]);
  add_natural (self, self->value[COL_END]);
}

static void
read_exclusion (Importer *self,
                FoEvent  *event)
{
  int type;

  event->kind = FO_KIND_EXCLUSION;
  read_day (self, COL_DATE, &event->start);
  type = read_choice (self, COL_TYPE, exclusion_types);
  if (type >= 0)
    event->type = (char *) exclusion_types[type];
  read_amount (self, COL_DAYS, 366, &event->days);
  add_natural (self, self->value[COL_DATE]);
  add_natural (self, self->value[COL_TYPE]);
}

static void
read_incident (Importer *self,
               FoEvent  *event)
{
  int kind;

  kind = read_choice (self, COL_KIND, incident_kinds);
  if (kind >= 0)
    event->kind = incident_event_kinds[kind];
  read_day (self, COL_DATE, &event->start);
  event->type = read_text (self, COL_TYPE, MAX_LABEL);
  add_natural (self, self->value[COL_KIND]);
  add_natural (self, self->value[COL_DATE]);
  add_natural (self, self->value[COL_REFERENCE]);
}

static void
read_da_notification (Importer *self,
                      FoEvent  *event)
{
  event->kind = FO_KIND_DA_NOTIFICATION;
  read_day (self, COL_DATE, &event->start);
  event->type = read_text (self, COL_TYPE, MAX_LABEL);
  add_natural (self, self->value[COL_DATE]);
  add_natural (self, self->value[COL_REFERENCE]);
}

static void
read_missing (Importer *self,
              FoEvent  *event)
{
  event->kind = FO_KIND_MISSING_EPISODE;
  read_day (self, COL_DATE, &event->start);
  /* An episode can last a long time, but not more than a year. */
  read_amount (self, COL_HOURS, 24 * 366, &event->hours);
  add_natural (self, self->value[COL_DATE]);
  add_natural (self, self->value[COL_REFERENCE]);
}

static void
read_benefit (Importer *self,
              FoEvent  *event)
{
  int type, reason;

  event->kind = FO_KIND_BENEFIT;
  type = read_choice (self, COL_TYPE, benefit_types);
  if (type >= 0)
    event->type = (char *) benefit_types[type];
  read_day (self, COL_START, &event->start);
  read_spell_end (self, event);
  reason = read_choice (self, COL_END_REASON, benefit_end_reasons);
  if (reason >= 0)
    event->end_reason = (char *) benefit_end_reasons[reason];
  add_natural (self, self->value[COL_TYPE]);
  add_natural (self, self->value[COL_START]);
}

static void
read_employment (Importer *self,
                 FoEvent  *event)
{
  event->kind = FO_KIND_EMPLOYMENT;
  read_day (self, COL_START, &event->start);
  read_spell_end (self, event);
  read_amount (self, COL_HOURS_PER_WEEK, 168, &event->hours_per_week);
  event->type = read_text (self, COL_TYPE, MAX_LABEL);
  add_natural (self, self->value[COL_START]);
}

static void
read_star_reading (Importer *self,
                   FoEvent  *event)
{
  int taken_by;

  event->kind = FO_KIND_STAR_READING;
  read_day (self, COL_DATE, &event->start);
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    {
      gint64 score = 0;

      if (read_count (self, COL_STAR + area, 1, 10, &score))
        event->scores[area] = (gint8) score;
    }
  taken_by = read_choice (self, COL_TAKEN_BY, taken_by_values);
  if (taken_by >= 0)
    event->taken_by = (char *) taken_by_values[taken_by];
  add_natural (self, self->value[COL_DATE]);
}

/* Members */

static FoImportFamilyCount *
family_count (Importer *self,
              gint64    family_id)
{
  FoImportFamilyCount *count = g_hash_table_lookup (self->families, &family_id);

  if (count == NULL)
    {
      count = g_new0 (FoImportFamilyCount, 1);
      count->family_id = family_id;
      g_ptr_array_add (self->report->families, count);
      g_hash_table_insert (self->families, &count->family_id, count);
    }
  return count;
}

/* One lookup by one identifier (tag 'u', 'p') or by surname and date of birth (tag 's'). */
static MemberHit *
lookup (Importer   *self,
        char        tag,
        const char *text,
        FoDay       dob)
{
  MemberHit *hit;
  g_autofree char *surname = NULL;

  g_string_truncate (self->scratch, 0);
  g_string_append_c (self->scratch, tag);
  g_string_append (self->scratch, text);
  if (tag == 's')
    {
      g_string_append_c (self->scratch, '\x1f');
      g_string_append (self->scratch, self->value[COL_DOB]);
    }
  hit = g_hash_table_lookup (self->members, self->scratch->str);
  if (hit != NULL)
    return hit;

  if (tag == 's')
    {
      /* The store keeps the last word of each member's name as the surname. */
      const char *space = strrchr (text, ' ');

      surname = g_strdup (space != NULL ? space + 1 : text);
    }
  hit = g_new0 (MemberHit, 1);
  if (!fo_store_find_member (self->store, tag == 'u' ? text : NULL, tag == 'p' ? text : NULL,
                             surname, dob, &hit->family_id, &hit->member_id, &hit->matches,
                             &self->error))
    {
      member_hit_free (hit);
      return NULL;
    }
  if (hit->matches == 1)
    hit->family = family_count (self, hit->family_id);
  else
    g_clear_pointer (&hit->member_id, g_free);
  g_hash_table_insert (self->members, g_strdup (self->scratch->str), hit);
  return hit;
}

/* A stable identifier first, then surname and date of birth: each is tried only when those
 * before it are missing or match no one. Several matches stop the search: guessing between
 * two people would file a record against the wrong child. */
static MemberHit *
find_member (Importer *self,
             FoDay     dob)
{
  static const struct { Column column; char tag; } ways[] = {
    { COL_UPN, 'u' }, { COL_PERSON_REF, 'p' }, { COL_SURNAME, 's' },
  };
  int first = -1;

  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    {
      const char *text = self->value[ways[i].column];
      MemberHit *hit;

      if (text == NULL || (ways[i].tag == 's' && dob == 0))
        continue;
      if (first < 0)
        first = ways[i].column;
      hit = lookup (self, ways[i].tag, text, dob);
      if (hit == NULL)
        return NULL;
      if (hit->matches == 1)
        return hit;
      if (hit->matches > 1)
        {
          if (ways[i].tag == 's')
            reject (self, ways[i].column, _("surname and date of birth match %u members; "
                                            "give a upn or person_ref"), hit->matches);
          else
            reject (self, ways[i].column, _("matches %u members"), hit->matches);
          return NULL;
        }
    }
  if (first >= 0)
    reject (self, first, _("matches no member of any family"));
  else if (self->value[COL_SURNAME] != NULL || self->value[COL_DOB] != NULL)
    reject (self, self->value[COL_SURNAME] != NULL ? COL_DOB : COL_SURNAME,
            _("is empty: surname and dob are needed together"));
  else
    reject (self, -1, _("names no one: give a upn, person_ref, or surname and dob"));
  return NULL;
}

/* Batches */

static guint32
arena_add (Importer   *self,
           const char *text)
{
  gsize offset = self->arena->len;

  if (text == NULL)
    return 0;
  g_string_append_len (self->arena, text, strlen (text) + 1);
  return (guint32) offset;
}

static const char *
arena_text (Importer *self,
            guint32   offset)
{
  return offset != 0 ? self->arena->str + offset : NULL;
}

static void
queue_row (Importer      *self,
           MemberHit     *hit,
           guint64        digest,
           const FoEvent *event)
{
  PendingRow row;

  memset (&row, 0, sizeof row);
  row.family_id = hit->family_id;
  row.hit = hit;
  row.digest = digest;
  row.whole_family = self->feed == FO_FEED_STAR_READINGS;
  row.kind = event->kind;
  row.start = event->start;
  row.end = event->end;
  row.amount = event->days + event->hours + event->hours_per_week;
  row.possible = event->possible;
  row.attended = event->attended;
  row.unauthorised = event->unauthorised;
  memcpy (row.scores, event->scores, sizeof row.scores);
  row.type = arena_add (self, event->type);
  row.end_reason = arena_add (self, event->end_reason);
  row.term = arena_add (self, event->term);
  row.taken_by = arena_add (self, event->taken_by);
  row.note = arena_add (self, event->note);
  row.key = arena_add (self, self->key->str);
  g_array_append_val (self->pending, row);
}

static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const PendingRow *x = a;
  const PendingRow *y = b;

  /* Then by event id, which is the digest in hexadecimal. */
  if (x->family_id != y->family_id)
    return x->family_id < y->family_id ? -1 : 1;
  if (x->digest != y->digest)
    return x->digest < y->digest ? -1 : 1;
  return 0;
}

/* Writes the pending rows, in the order of the store's clustered events table. */
static gboolean
flush_pending (Importer *self)
{
  FoImportReport *report = self->report;

  g_array_sort (self->pending, compare_pending);
  for (guint i = 0; i < self->pending->len; i++)
    {
      const PendingRow *row = &g_array_index (self->pending, PendingRow, i);
      gboolean inserted = FALSE;
      char id[4 + 16 + 1] = "imp-";
      FoEvent event;

      /* The event id comes from the import key, so that importing a row again collides. */
      for (guint d = 0; d < 16; d++)
        id[4 + d] = "0123456789abcdef"[(row->digest >> (60 - 4 * d)) & 15];
      id[20] = '\0';
      memset (&event, 0, sizeof event);
      event.id = id;
      event.kind = row->kind;
      event.member = -1;
      event.level = FO_LEVEL_UNSET;
      event.start = row->start;
      event.end = row->end;
      switch (row->kind)
        {
        case FO_KIND_EXCLUSION:
          event.days = row->amount;
          break;
        case FO_KIND_MISSING_EPISODE:
          event.hours = row->amount;
          break;
        case FO_KIND_EMPLOYMENT:
          event.hours_per_week = row->amount;
          break;
        default:
          break;
        }
      event.possible = row->possible;
      event.attended = row->attended;
      event.unauthorised = row->unauthorised;
      memcpy (event.scores, row->scores, sizeof event.scores);
      event.type = (char *) arena_text (self, row->type);
      event.end_reason = (char *) arena_text (self, row->end_reason);
      event.term = (char *) arena_text (self, row->term);
      event.taken_by = (char *) arena_text (self, row->taken_by);
      event.note = (char *) arena_text (self, row->note);
      if (!fo_store_insert_event (self->store, row->family_id, &event,
                                  row->whole_family ? NULL : row->hit->member_id,
                                  arena_text (self, row->key), &inserted, &self->error))
        return FALSE;
      if (inserted)
        {
          report->added++;
          row->hit->family->added++;
        }
      else
        {
          report->duplicates++;
          row->hit->family->duplicates++;
        }
    }
  g_array_set_size (self->pending, 0);
  g_string_truncate (self->arena, 1);
  return TRUE;
}

/* Rows */

static gboolean
row_is_blank (Importer *self)
{
  for (guint i = 0; i < self->n_fields && i < MAX_FIELDS; i++)
    if (self->fields[i].len != 0 || self->fields[i].too_long)
      return FALSE;
  return TRUE;
}

static void
handle_row (Importer *self)
{
  FoImportReport *report = self->report;
  const FeedColumns *spec = &feed_columns[self->feed];
  guint64 bad = 0;
  FoEvent event;
  FoDay dob = 0;
  MemberHit *hit;
  guchar digest[32];
  gsize digest_len = sizeof digest;
  guint64 key;
  guint32 first_line;

  /* A row of empty fields is a blank line as a spreadsheet writes it. */
  if (row_is_blank (self))
    return;
  report->rows++;
  self->row_rejected = FALSE;
  if (self->n_fields != self->n_columns)
    {
      reject (self, -1, _("has %u fields; the header has %u"), self->n_fields, self->n_columns);
      goto out;
    }

  memset (self->value, 0, sizeof self->value);
  for (guint i = 0; i < self->n_columns; i++)
    {
      const FieldRef *field = &self->fields[i];
      const char *text = self->row->str + field->offset;
      Column column = self->map[i];

      if (field->too_long)
        {
          reject (self, column, _("is longer than %d MiB"), FO_IMPORT_MAX_FIELD / (1024 * 1024));
          bad |= BIT (column);
        }
      else if (field->len == 0)
        continue;
      else if (!g_utf8_validate (text, field->len, NULL))
        {
          reject (self, column, _("is not valid UTF-8 text (save the file as UTF-8)"));
          bad |= BIT (column);
        }
      else
        self->value[column] = text;
    }
  for (int c = 0; c < N_COLUMNS; c++)
    if ((spec->required & BIT (c)) && self->value[c] == NULL && !(bad & BIT (c)))
      reject (self, c, _("is empty"));

  if (read_text (self, COL_UPN, MAX_IDENTIFIER) == NULL)
    self->value[COL_UPN] = NULL;
  if (read_text (self, COL_PERSON_REF, MAX_IDENTIFIER) == NULL)
    self->value[COL_PERSON_REF] = NULL;
  if (read_text (self, COL_SURNAME, MAX_LABEL) == NULL)
    self->value[COL_SURNAME] = NULL;
  read_day (self, COL_DOB, &dob);

  memset (&event, 0, sizeof event);
  event.member = -1;
  event.level = FO_LEVEL_UNSET;
  g_string_truncate (self->natural, 0);
  switch (self->feed)
    {
    case FO_FEED_ATTENDANCE:
      read_attendance (self, &event);
      break;
    case FO_FEED_EXCLUSIONS:
      read_exclusion (self, &event);
      break;
    case FO_FEED_INCIDENTS:
      read_incident (self, &event);
      break;
    case FO_FEED_DA_NOTIFICATIONS:
      read_da_notification (self, &event);
      break;
    case FO_FEED_MISSING:
      read_missing (self, &event);
      break;
    case FO_FEED_BENEFITS:
      read_benefit (self, &event);
      break;
    case FO_FEED_EMPLOYMENT:
      read_employment (self, &event);
      break;
    case FO_FEED_STAR_READINGS:
      read_star_reading (self, &event);
      break;
    case FO_N_FEEDS:
    default:
      g_assert_not_reached ();
    }
  event.note = read_text (self, COL_NOTE, FO_IMPORT_MAX_FIELD);
  if (read_text (self, COL_REFERENCE, MAX_IDENTIFIER) == NULL)
    self->value[COL_REFERENCE] = NULL;
  if (self->row_rejected)
    goto out;

  hit = find_member (self, dob);
  if (hit == NULL)
    goto out;

  /* A Star reading belongs to the family: any member's identifier finds it. */
  g_string_truncate (self->key, 0);
  g_string_append (self->key, fo_feed_names[self->feed]);
  g_string_append_c (self->key, '|');
  if (self->feed != FO_FEED_STAR_READINGS)
    g_string_append (self->key, hit->member_id);
  g_string_append_len (self->key, self->natural->str, self->natural->len);

  g_checksum_reset (self->checksum);
  g_checksum_update (self->checksum, (const guchar *) self->key->str, self->key->len);
  g_checksum_get_digest (self->checksum, digest, &digest_len);
  key = 0;
  for (guint i = 0; i < 8; i++)
    key = key << 8 | digest[i];

  /* Keys are unique per family in the store, so the family is part of the key here too. */
  first_line = key_set_add (&self->seen, key ^ ((guint64) hit->family_id * 0x9E3779B97F4A7C15u),
                            (guint32) MIN (self->row_line, G_MAXUINT32));
  if (first_line != 0)
    {
      reject (self, -1, _("repeats the record on line %u"), first_line);
      goto out;
    }

  queue_row (self, hit, key, &event);
  if (self->pending->len >= BATCH_ROWS || self->arena->len >= BATCH_BYTES)
    flush_pending (self);

out:
  if (self->row_rejected)
    report->rejected++;
}

static void
fail_file (Importer   *self,
           int         code,
           const char *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
fail_file (Importer   *self,
           int         code,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (self->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (&self->error, FO_IMPORT_ERROR, code, "%s: %s", self->file, message);
}

static char *
feed_column_list (FoFeed feed,
                  guint64 mask)
{
  GString *list = g_string_new (NULL);

  for (int c = 0; c < N_COLUMNS; c++)
    if (mask & BIT (c))
      g_string_append_printf (list, "%s%s", list->len ? ", " : "", column_name (c));
  return g_string_free (list, FALSE);
}

static void
handle_header (Importer *self)
{
  const FeedColumns *spec = &feed_columns[self->feed];
  guint64 allowed = spec->required | spec->optional | COMMON_BITS;
  g_autoptr(GString) unknown = g_string_new (NULL);
  guint64 present = 0, missing;

  if (self->n_fields > MAX_FIELDS)
    {
      fail_file (self, FO_IMPORT_ERROR_HEADER,
                 _("the header has %u columns, more than any feed has"), self->n_fields);
      return;
    }
  for (guint i = 0; i < self->n_fields; i++)
    {
      const FieldRef *field = &self->fields[i];
      const char *name = self->row->str + field->offset;
      int column;

      if (field->too_long)
        {
          fail_file (self, FO_IMPORT_ERROR_HEADER,
                     _("column %u of the header is longer than %d MiB"), i + 1,
                     FO_IMPORT_MAX_FIELD / (1024 * 1024));
          return;
        }
      if (!g_utf8_validate (name, field->len, NULL))
        {
          fail_file (self, FO_IMPORT_ERROR_ENCODING,
                     _("the header is not UTF-8 text; save the file as UTF-8 CSV"));
          return;
        }
      column = column_from_name (name);
      if (column < 0 || !(allowed & BIT (column)))
        {
          if (unknown->len > 0)
            g_string_append (unknown, ", ");
          if (field->len == 0)
            g_string_append_printf (unknown, _("an unnamed column (number %u)"), i + 1);
          else
            g_string_append_printf (unknown, "“%s”", name);
          continue;
        }
      if (present & BIT (column))
        {
          fail_file (self, FO_IMPORT_ERROR_HEADER, _("the column %s appears twice in the header"),
                     column_name (column));
          return;
        }
      present |= BIT (column);
      self->map[i] = column;
    }
  if (unknown->len > 0)
    {
      g_autofree char *expected = feed_column_list (self->feed, allowed);

      fail_file (self, FO_IMPORT_ERROR_HEADER,
                 _("unknown column(s) for the %s feed: %s (its columns are: %s)"),
                 fo_feed_names[self->feed], unknown->str, expected);
      return;
    }
  missing = spec->required & ~present;
  if (missing != 0)
    {
      g_autofree char *list = feed_column_list (self->feed, missing);

      fail_file (self, FO_IMPORT_ERROR_HEADER,
                 _("the header lacks the column(s) the %s feed needs: %s"),
                 fo_feed_names[self->feed], list);
      return;
    }
  if (!(present & (BIT (COL_UPN) | BIT (COL_PERSON_REF))) &&
      (present & (BIT (COL_SURNAME) | BIT (COL_DOB))) != (BIT (COL_SURNAME) | BIT (COL_DOB)))
    {
      fail_file (self, FO_IMPORT_ERROR_HEADER,
                 _("no column identifies the person: the header needs upn, person_ref, or "
                   "both surname and dob"));
      return;
    }
  self->n_columns = self->n_fields;
  self->have_header = TRUE;
}

/* libcsv callbacks */

static void
on_field (void   *data,
          size_t  len,
          void   *user_data)
{
  Importer *self = user_data;
  gboolean too_long = self->field_too_long || len > FO_IMPORT_MAX_FIELD;
  guint index = self->n_fields++;
  FieldRef *field;

  self->field_too_long = FALSE;
  if (self->error != NULL || index >= MAX_FIELDS ||
      (self->have_header && index >= self->n_columns))
    return;
  field = &self->fields[index];
  field->offset = self->row->len;
  field->len = too_long ? 0 : len;
  field->too_long = too_long;
  if (!too_long)
    g_string_append_len (self->row, data, len);
  g_string_append_c (self->row, '\0');
}

static void
on_row (int   c,
        void *user_data)
{
  Importer *self = user_data;

  if (self->error == NULL)
    {
      if (self->have_header)
        handle_row (self);
      else if (!row_is_blank (self))
        handle_header (self);
    }
  self->n_fields = 0;
  g_string_truncate (self->row, 0);
}

/* Hands one physical line, or part of a long one, to libcsv. */
static gboolean
parse_piece (Importer   *self,
             const char *data,
             gsize       len,
             gboolean    ends_line)
{
  /* Rows end only at line ends, so a row that has not begun begins on this line. */
  if (self->parser.pstate == CSV_ROW_NOT_BEGUN)
    self->row_line = self->line;
  if (csv_parse (&self->parser, data, len, on_field, on_row, self) != len)
    {
      if (csv_error (&self->parser) == CSV_EPARSE)
        fail_file (self, FO_IMPORT_ERROR_SYNTAX,
                   _("line %llu: a quote inside an unquoted field, or text after a closing "
                     "quote"), (unsigned long long) self->line);
      else
        fail_file (self, FO_IMPORT_ERROR_IO, _("line %llu: %s"), (unsigned long long) self->line,
                   csv_strerror (csv_error (&self->parser)));
    }
  if (self->error != NULL)
    return FALSE;
  if (ends_line)
    self->line++;
  /* Keep at most the cap of an over-long field: the row is rejected, and the rest of the field
   * is parsed and dropped. Keeping one byte and no trailing spaces keeps libcsv's own
   * arithmetic at the field's end in bounds. */
  if (self->parser.entry_pos > FO_IMPORT_MAX_FIELD)
    {
      self->field_too_long = TRUE;
      self->parser.entry_pos = 1;
      self->parser.spaces = 0;
    }
  return TRUE;
}

/* Feeds one block of the file, cut at line ends: \n, \r\n, or a lone \r. */
static gboolean
parse_block (Importer   *self,
             const char *data,
             gsize       len)
{
  const char *p = data, *end = data + len;

  if (self->skip_lf)
    {
      self->skip_lf = FALSE;
      if (p < end && *p == '\n')
        {
          if (!parse_piece (self, p, 1, FALSE))
            return FALSE;
          p++;
        }
    }
  while (p < end)
    {
      const char *limit = MIN (end, p + PIECE_SIZE);
      const char *nl = memchr (p, '\n', limit - p);
      const char *cr = memchr (p, '\r', (nl != NULL ? nl : limit) - p);
      const char *next;
      gboolean ends_line = TRUE;

      if (cr != NULL && cr + 1 < end && cr[1] == '\n')
        next = cr + 2;
      else if (cr != NULL)
        {
          next = cr + 1;
          self->skip_lf = next == end;
        }
      else if (nl != NULL)
        next = nl + 1;
      else
        {
          next = limit;
          ends_line = FALSE;
        }
      if (!parse_piece (self, p, next - p, ends_line))
        return FALSE;
      p = next;
    }
  return TRUE;
}

static int
compare_families (gconstpointer a,
                  gconstpointer b)
{
  const FoImportFamilyCount *x = *(FoImportFamilyCount **) a;
  const FoImportFamilyCount *y = *(FoImportFamilyCount **) b;

  return g_strcmp0 (x->reference, y->reference);
}

/* Drops families the file named but left unchanged, and names the rest. */
static gboolean
finish_families (Importer  *self,
                 GError   **error)
{
  GPtrArray *families = self->report->families;
  sqlite3 *db = fo_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;

  for (guint i = families->len; i-- > 0;)
    {
      FoImportFamilyCount *count = g_ptr_array_index (families, i);

      if (count->added == 0 && count->duplicates == 0)
        g_ptr_array_remove_index_fast (families, i);
    }
  if (families->len == 0)
    return TRUE;
  if (sqlite3_prepare_v2 (db, "SELECT reference FROM families WHERE id = ?", -1, &stmt, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_IO, "%s", sqlite3_errmsg (db));
      return FALSE;
    }
  for (guint i = 0; i < families->len; i++)
    {
      FoImportFamilyCount *count = g_ptr_array_index (families, i);

      sqlite3_bind_int64 (stmt, 1, count->family_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count->reference = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_ptr_array_sort (families, compare_families);
  return TRUE;
}

static void
importer_init (Importer       *self,
               FoStore        *store,
               FoFeed          feed,
               const char     *file,
               gboolean        dry_run,
               guint64         expected_rows)
{
  memset (self, 0, sizeof *self);
  self->store = store;
  self->feed = feed;
  self->file = file;
  self->report = g_new0 (FoImportReport, 1);
  self->report->feed = feed;
  self->report->file = g_strdup (file);
  self->report->dry_run = dry_run;
  self->report->rejects = g_ptr_array_new_with_free_func (reject_free);
  self->report->families = g_ptr_array_new_with_free_func (family_count_free);
  /* Strict: a stray quote means the columns can no longer be trusted to line up. */
  csv_init (&self->parser, CSV_STRICT | CSV_STRICT_FINI);
  csv_set_blk_size (&self->parser, 4096);
  self->line = 1;
  self->row_line = 1;
  self->row = g_string_sized_new (1024);
  self->scratch = g_string_new (NULL);
  self->natural = g_string_new (NULL);
  self->key = g_string_new (NULL);
  /* Sized for the file, so that a batch is not copied as it grows. Memory is only touched as
   * rows arrive. */
  self->pending = g_array_sized_new (FALSE, FALSE, sizeof (PendingRow),
                                     CLAMP (expected_rows, 64, BATCH_ROWS));
  self->arena = g_string_sized_new (CLAMP (expected_rows * 64, 4096, BATCH_BYTES));
  /* Offset 0 stands for no text. */
  g_string_append_c (self->arena, '\0');
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, member_hit_free);
  self->families = g_hash_table_new (g_int64_hash, g_int64_equal);
  key_set_init (&self->seen, expected_rows);
}

static void
importer_clear (Importer *self)
{
  csv_free (&self->parser);
  g_clear_pointer (&self->report, fo_import_report_free);
  g_string_free (self->row, TRUE);
  g_string_free (self->scratch, TRUE);
  g_string_free (self->natural, TRUE);
  g_string_free (self->key, TRUE);
  g_array_unref (self->pending);
  g_string_free (self->arena, TRUE);
  g_checksum_free (self->checksum);
  g_hash_table_unref (self->members);
  g_hash_table_unref (self->families);
  key_set_clear (&self->seen);
  g_clear_error (&self->error);
}

/* The page cache size, in KiB. */
static int
cache_kib (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int size = 2000;

  if (sqlite3_prepare_v2 (db, "PRAGMA cache_size", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      /* Negative: KiB; positive: pages. */
      size = sqlite3_column_int (stmt, 0);
      if (size > 0)
        size = size * 4;
      else
        size = -size;
    }
  sqlite3_finalize (stmt);
  return size;
}

static void
set_cache_kib (sqlite3 *db,
               int      kib)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%d", kib);

  sqlite3_exec (db, sql, NULL, NULL, NULL);
}

static gboolean
check_encoding (Importer    *self,
                const guchar *data,
                gsize        len)
{
  if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
    {
      fail_file (self, FO_IMPORT_ERROR_ENCODING,
                 _("the file is UTF-16 text; save it as UTF-8 CSV"));
      return FALSE;
    }
  return TRUE;
}

/**
 * fo_import_feed:
 * @store: an open store, not inside a transaction
 * @feed: a #FoFeed
 * @file: the CSV file
 * @dry_run: %TRUE to work out what the import would do and save nothing
 * @actor: who imports, for the audit log
 * @progress: (nullable) (scope call): called as the file is read
 * @progress_data: data for @progress
 * @out_report: (out) (optional) (transfer full): what the import did
 * @error: a file-level problem (#FO_IMPORT_ERROR), a store failure (#FO_ERROR), or
 *   %G_IO_ERROR_CANCELLED
 *
 * Imports one partner feed in one transaction: either every usable row is saved, with one
 * audit record for the file and a new data version for each family that gained a record, or
 * nothing is. Rows that cannot be used are listed in the report and do not stop the import.
 * docs/feeds.md describes the feeds' columns and the matching of rows to members.
 *
 * While it runs, the connection's page cache is raised to 64 MiB; it is put back afterwards.
 *
 * Returns: %TRUE if the file was read to its end; the report then says what happened to each row
 */
gboolean
fo_import_feed (FoStore          *store,
                int               feed,
                const char       *file,
                gboolean          dry_run,
                const char       *actor,
                FoImportProgress  progress,
                gpointer          progress_data,
                FoImportReport  **out_report,
                GError          **error)
{
  Importer self;
  g_autofree char *buffer = NULL;
  gboolean in_transaction = FALSE, ok = FALSE;
  guint64 done = 0, total = 0;
  gsize block;
  gboolean first = TRUE;
  int old_cache;
  struct stat st = { 0 };
  int fd;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (feed >= 0 && feed < FO_N_FEEDS, FALSE);
  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_report != NULL)
    *out_report = NULL;
  fd = g_open (file, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FO_IMPORT_ERROR, FO_IMPORT_ERROR_IO, "%s: %s", file,
                   g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || S_ISDIR (st.st_mode))
    {
      int saved = errno;

      g_set_error (error, FO_IMPORT_ERROR, FO_IMPORT_ERROR_IO, "%s: %s", file,
                   S_ISDIR (st.st_mode) ? _("is a folder, not a file") : g_strerror (saved));
      close (fd);
      return FALSE;
    }
  if (S_ISREG (st.st_mode))
    total = st.st_size;

  /* Feed rows are rarely shorter than 32 bytes. */
  importer_init (&self, store, feed, file, dry_run, total / 32);
  old_cache = cache_kib (fo_store_get_db (store));
  if (old_cache < IMPORT_CACHE_KIB)
    set_cache_kib (fo_store_get_db (store), IMPORT_CACHE_KIB);
  if (!fo_store_begin (store, &self.error))
    goto out;
  in_transaction = TRUE;
  /* A small file needs no more than its size (a file that grows is still read to its end). */
  block = total > 0 && total < CHUNK_SIZE ? total : CHUNK_SIZE;
  buffer = g_malloc (block);
  for (;;)
    {
      gssize n = read (fd, buffer, block);
      const char *data = buffer;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          fail_file (&self, FO_IMPORT_ERROR_IO, "%s", g_strerror (saved));
          goto out;
        }
      if (n == 0)
        break;
      done += n;
      if (first)
        {
          first = FALSE;
          if (!check_encoding (&self, (const guchar *) data, n))
            goto out;
          /* A byte-order mark, as spreadsheets write it, is not part of the first column. */
          if (n >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
            {
              data += 3;
              n -= 3;
            }
        }
      if (!parse_block (&self, data, n))
        goto out;
      if (progress != NULL && !progress (done, MAX (total, done), self.report->rows,
                                         progress_data))
        {
          g_set_error (&self.error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("%s: import cancelled"),
                       file);
          goto out;
        }
    }
  if (csv_fini (&self.parser, on_field, on_row, &self) != 0)
    fail_file (&self, FO_IMPORT_ERROR_SYNTAX,
               _("a quoted field that starts on line %llu is never closed"),
               (unsigned long long) self.row_line);
  if (self.error != NULL)
    goto out;
  if (!self.have_header)
    {
      fail_file (&self, FO_IMPORT_ERROR_HEADER, _("the file is empty: a header row is needed"));
      goto out;
    }

  if (!flush_pending (&self) || !finish_families (&self, &self.error))
    goto out;
  for (guint i = 0; i < self.report->families->len && !dry_run; i++)
    {
      FoImportFamilyCount *count = g_ptr_array_index (self.report->families, i);

      /* A new data version tells cached verdicts that the family's data changed. */
      if (count->added > 0 && !fo_store_touch_family (store, count->family_id, &self.error))
        goto out;
    }
  if (dry_run)
    {
      fo_store_rollback (store);
      in_transaction = FALSE;
    }
  else
    {
      g_autofree char *name = g_path_get_basename (file);
      g_autofree char *summary =
        g_strdup_printf ("feed=%s added=%" G_GUINT64_FORMAT " duplicates=%" G_GUINT64_FORMAT
                         " rejected=%" G_GUINT64_FORMAT, fo_feed_names[feed],
                         self.report->added, self.report->duplicates, self.report->rejected);

      if (!fo_store_audit (store, actor, "import", "feed", name, NULL, summary, &self.error))
        goto out;
      in_transaction = FALSE;
      if (!fo_store_commit (store, &self.error))
        goto out;
    }
  if (progress != NULL)
    progress (done, done, self.report->rows, progress_data);
  ok = TRUE;
  if (out_report != NULL)
    *out_report = g_steal_pointer (&self.report);

out:
  if (in_transaction)
    fo_store_rollback (store);
  if (old_cache < IMPORT_CACHE_KIB)
    set_cache_kib (fo_store_get_db (store), old_cache);
  close (fd);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self.error));
  importer_clear (&self);
  return ok;
}

/**
 * fo_import_report_to_text:
 * @report: a report
 *
 * Returns: (transfer full): the report as text for a person: the counts, every reject by line
 *   and column, and what each family gained
 */
char *
fo_import_report_to_text (const FoImportReport *report)
{
  GString *text = g_string_new (NULL);
  g_autofree char *name = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  name = g_path_get_basename (report->file);
  g_string_append_printf (text, _("Feed: %s\n"), fo_feed_names[report->feed]);
  g_string_append_printf (text, _("File: %s\n"), name);
  if (report->dry_run)
    g_string_append (text, _("Dry run: nothing was saved.\n"));
  g_string_append_printf (text, _("Rows: %llu\n"), (unsigned long long) report->rows);
  g_string_append_printf (text, report->dry_run ? _("Would add: %llu\n") : _("Added: %llu\n"),
                          (unsigned long long) report->added);
  g_string_append_printf (text, _("Already present: %llu\n"),
                          (unsigned long long) report->duplicates);
  g_string_append_printf (text, _("Rejected: %llu\n"), (unsigned long long) report->rejected);
  if (report->rejects->len > 0)
    g_string_append (text, _("Rejected rows:\n"));
  for (guint i = 0; i < report->rejects->len; i++)
    {
      const FoImportReject *reject = g_ptr_array_index (report->rejects, i);

      if (reject->field != NULL)
        g_string_append_printf (text, _("  line %llu, %s: %s\n"),
                                (unsigned long long) reject->line, reject->field, reject->reason);
      else
        g_string_append_printf (text, _("  line %llu: %s\n"), (unsigned long long) reject->line,
                                reject->reason);
    }
  if (report->unlisted_rejects > 0)
    g_string_append_printf (text, _("  … and %llu more problems not listed\n"),
                            (unsigned long long) report->unlisted_rejects);
  if (report->dry_run && report->families->len > 0)
    {
      g_string_append (text, _("By family:\n"));
      for (guint i = 0; i < report->families->len; i++)
        {
          const FoImportFamilyCount *count = g_ptr_array_index (report->families, i);

          g_string_append_printf (text, _("  %s: would add %llu, already present %llu\n"),
                                  count->reference ? count->reference : "?",
                                  (unsigned long long) count->added,
                                  (unsigned long long) count->duplicates);
        }
    }
  return g_string_free (text, FALSE);
}
