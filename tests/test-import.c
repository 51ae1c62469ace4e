/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fo-import.h"
#include "fo-store.h"

/* Three invented families. The Quillfeather twins share a surname and a date of birth and
 * have no UPN, so only a stable identifier could tell them apart. */
static const char *const families[] = {
  "{\"format\": 1, \"reference\": \"FAM-001\", \"name\": \"Ashdown family\","
  " \"entry_date\": \"2024-09-01\", \"events\": [], \"members\": ["
  " {\"id\": \"m1\", \"name\": \"Mara Ashdown\", \"dob\": \"1985-03-12\", \"role\": \"parent\","
  "  \"person_ref\": \"P-1001\"},"
  " {\"id\": \"m2\", \"name\": \"Tobin Ashdown\", \"dob\": \"2012-05-01\", \"role\": \"child\","
  "  \"upn\": \"A100000000001\"},"
  " {\"id\": \"m3\", \"name\": \"Lia Ashdown\", \"dob\": \"2014-09-09\", \"role\": \"child\","
  "  \"upn\": \"A100000000002\"}]}",
  "{\"format\": 1, \"reference\": \"FAM-002\", \"name\": \"Quillfeather family\","
  " \"entry_date\": \"2024-10-01\", \"events\": [], \"members\": ["
  " {\"id\": \"m1\", \"name\": \"Rosa Quillfeather\", \"dob\": \"1990-01-20\","
  "  \"role\": \"parent\", \"person_ref\": \"P-2001\"},"
  " {\"id\": \"m2\", \"name\": \"Ada Quillfeather\", \"dob\": \"2016-07-07\", \"role\": \"child\"},"
  " {\"id\": \"m3\", \"name\": \"Ben Quillfeather\", \"dob\": \"2016-07-07\","
  "  \"role\": \"child\"}]}",
  "{\"format\": 1, \"reference\": \"FAM-003\", \"name\": \"Brackenridge family\","
  " \"entry_date\": \"2025-01-06\", \"events\": [], \"members\": ["
  " {\"id\": \"m1\", \"name\": \"Owen Brackenridge\", \"dob\": \"1979-11-30\","
  "  \"role\": \"parent\", \"person_ref\": \"P-3001\"},"
  " {\"id\": \"m2\", \"name\": \"Isla Brackenridge\", \"dob\": \"2010-02-02\","
  "  \"role\": \"child\", \"upn\": \"C300000000001\"}]}",
};

typedef struct
{
  char    *dir;
  char    *path;
  FoStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fo-import-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "families.db", NULL);
  fixture->store = fo_store_open (fixture->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (families[i], &error);
      g_autoptr(FoFamily) family = NULL;

      g_assert_no_error (error);
      family = fo_family_load_node ("fixture", node, &error);
      g_assert_no_error (error);
      g_assert_true (fo_store_put_family (fixture->store, family, "tester", &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_pointer (&fixture->store, fo_store_close);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static char *
write_csv (Fixture    *fixture,
           const char *name,
           const char *contents,
           gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *file = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (file, contents, len, &error);
  g_assert_no_error (error);
  return file;
}

static FoImportReport *
import (Fixture    *fixture,
        FoFeed      feed,
        const char *name,
        const char *contents,
        gboolean    dry_run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = write_csv (fixture, name, contents, -1);
  FoImportReport *report = NULL;

  g_assert_true (fo_import_feed (fixture->store, feed, file, dry_run, "tester", NULL, NULL,
                                 &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static gint64
count_rows (Fixture    *fixture,
            const char *sql)
{
  sqlite3 *db = fo_store_get_db (fixture->store);
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

static FoFamily *
load (Fixture    *fixture,
      const char *reference,
      gint64     *out_version)
{
  g_autoptr(GError) error = NULL;
  FoFamily *family = fo_store_load_family (fixture->store, reference, out_version, &error);

  g_assert_no_error (error);
  g_assert_nonnull (family);
  return family;
}

/* The nth event of a kind for a member id (NULL: the whole family), in date order. */
static const FoEvent *
find_event (const FoFamily *family,
            FoKind          kind,
            const char     *member,
            guint           nth)
{
  int index = member != NULL ? fo_family_member_index (family, member) : -1;

  for (guint i = 0; i < family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (family->events, i);

      if (event->kind == kind && event->member == index && nth-- == 0)
        return event;
    }
  return NULL;
}

static guint
count_kind (const FoFamily *family,
            FoKind          kind)
{
  return family->by_kind[kind] != NULL ? family->by_kind[kind]->len : 0;
}

static FoDay
day (const char *text)
{
  FoDay day = 0;

  g_assert_true (fo_day_parse (text, &day));
  return day;
}

static void
assert_reject (const FoImportReport *report,
               guint64               line,
               const char           *field,
               const char           *reason_part)
{
  for (guint i = 0; i < report->rejects->len; i++)
    {
      const FoImportReject *reject = g_ptr_array_index (report->rejects, i);

      if (reject->line == line && g_strcmp0 (reject->field, field) == 0 &&
          strstr (reject->reason, reason_part) != NULL)
        return;
    }
  {
    g_autofree char *text = fo_import_report_to_text (report);

    g_error ("no reject on line %" G_GUINT64_FORMAT ", field %s, with “%s” in:\n%s", line,
             field ? field : "(row)", reason_part, text);
  }
}

static const char attendance_csv[] =
  "term,upn,start,end,possible,attended,unauthorised,surname,dob\r\n"
  "2024-25 Autumn,A100000000001,2024-09-02,2024-12-20,140,120,14,,\r\n"
  "2024-25 Autumn,A100000000002,2024-09-02,2024-12-20,140,133,,,\r\n"
  "2024-25 Autumn,,2024-09-02,2024-12-20,150,140,5,Brackenridge,2010-02-02\r\n";

static void
test_attendance (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FoImportReport) report = NULL;
  g_autoptr(FoFamily) ashdown = NULL;
  g_autoptr(FoFamily) brackenridge = NULL;
  g_autoptr(FoFamily) quillfeather = NULL;
  const FoEvent *event;
  gint64 before = 0, after = 0, untouched = 0;

  ashdown = load (fixture, "FAM-001", &before);
  report = import (fixture, FO_FEED_ATTENDANCE, "attendance.csv", attendance_csv, FALSE);
  g_assert_cmpuint (report->rows, ==, 3);
  g_assert_cmpuint (report->added, ==, 3);
  g_assert_cmpuint (report->duplicates, ==, 0);
  g_assert_cmpuint (report->rejected, ==, 0);
  g_assert_cmpuint (report->rejects->len, ==, 0);

  g_clear_pointer (&ashdown, fo_family_free);
  ashdown = load (fixture, "FAM-001", &after);
  g_assert_cmpint (after, ==, before + 1);
  g_assert_cmpuint (count_kind (ashdown, FO_KIND_ATTENDANCE), ==, 2);
  event = find_event (ashdown, FO_KIND_ATTENDANCE, "m2", 0);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->term, ==, "2024-25 Autumn");
  g_assert_cmpuint (event->start, ==, day ("2024-09-02"));
  g_assert_cmpuint (event->end, ==, day ("2024-12-20"));
  g_assert_cmpint (event->possible, ==, 140);
  g_assert_cmpint (event->attended, ==, 120);
  g_assert_cmpint (event->unauthorised, ==, 14);
  g_assert_null (event->source);
  g_assert_true (g_str_has_prefix (event->id, "imp-"));
  g_assert_cmpuint (strlen (event->id), ==, 20);
  event = find_event (ashdown, FO_KIND_ATTENDANCE, "m3", 0);
  g_assert_nonnull (event);
  g_assert_cmpint (event->attended, ==, 133);

  /* Matched by surname and date of birth. */
  brackenridge = load (fixture, "FAM-003", NULL);
  event = find_event (brackenridge, FO_KIND_ATTENDANCE, "m2", 0);
  g_assert_nonnull (event);
  g_assert_cmpint (event->possible, ==, 150);

  /* A family the file does not name keeps its data version. */
  quillfeather = load (fixture, "FAM-002", &untouched);
  g_assert_cmpint (untouched, ==, 1);
  g_assert_cmpuint (quillfeather->events->len, ==, 0);

  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log WHERE action = 'import' "
                                        "AND entity = 'feed' AND entity_id = 'attendance.csv' "
                                        "AND actor = 'tester' AND after = 'feed=attendance "
                                        "added=3 duplicates=0 rejected=0'"), ==, 1);
}

static void
test_exclusions (Fixture       *fixture,
                 gconstpointer  data)
{
  /* With a byte-order mark, as spreadsheets save CSV. */
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_EXCLUSIONS, "exclusions.csv",
            "\xef\xbb\xbfUPN,Date,Type,Days\n"
            "A100000000001,2025-01-15,fixed,2.5\n"
            "A100000000001,2025-03-01,permanent,\n"
            ",,,\n", FALSE);
  g_autoptr(FoFamily) family = load (fixture, "FAM-001", NULL);
  const FoEvent *event;

  g_assert_cmpuint (report->rows, ==, 2);
  g_assert_cmpuint (report->added, ==, 2);
  event = find_event (family, FO_KIND_EXCLUSION, "m2", 0);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->type, ==, "fixed");
  g_assert_cmpfloat (event->days, ==, 2.5);
  g_assert_cmpuint (event->start, ==, day ("2025-01-15"));
  event = find_event (family, FO_KIND_EXCLUSION, "m2", 1);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->type, ==, "permanent");
}

static void
test_incidents (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_INCIDENTS, "incidents.csv",
            "person_ref,upn,kind,date,reference,type\n"
            "P-1001,,asb,2025-02-01,CAD-1,\n"
            "P-1001,,asb,2025-02-01,CAD-2,\n"
            ",A100000000001,offence,2025-02-03,CAD-3,proven\n"
            "P-3001,,arrest,2025-02-04,,\n"
            ",C300000000001,named_suspect,2025-02-05,,\n"
            "P-3001,,burglary,2025-02-06,,\n", FALSE);
  g_autoptr(FoFamily) ashdown = load (fixture, "FAM-001", NULL);
  g_autoptr(FoFamily) brackenridge = load (fixture, "FAM-003", NULL);
  const FoEvent *event;

  g_assert_cmpuint (report->rows, ==, 6);
  g_assert_cmpuint (report->added, ==, 5);
  g_assert_cmpuint (report->rejected, ==, 1);
  assert_reject (report, 7, "kind", "is not one of: asb, offence, arrest, named_suspect");

  /* Two incidents on one day, told apart by their references. */
  g_assert_cmpuint (count_kind (ashdown, FO_KIND_ASB_INCIDENT), ==, 2);
  event = find_event (ashdown, FO_KIND_ASB_INCIDENT, "m1", 1);
  g_assert_nonnull (event);
  g_assert_cmpuint (event->start, ==, day ("2025-02-01"));
  /* The partner's reference is kept in the import key. */
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM events WHERE import_key IN "
                                        "('incidents|m1|asb|2025-02-01|CAD-1', "
                                        "'incidents|m1|asb|2025-02-01|CAD-2')"), ==, 2);
  event = find_event (ashdown, FO_KIND_OFFENCE, "m2", 0);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->type, ==, "proven");
  g_assert_nonnull (find_event (brackenridge, FO_KIND_ARREST, "m1", 0));
  g_assert_nonnull (find_event (brackenridge, FO_KIND_NAMED_SUSPECT, "m2", 0));
}

static void
test_da_notifications (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_DA_NOTIFICATIONS, "da.csv",
            "person_ref,date,type,reference,note\n"
            "P-2001,2025-04-01,victim,OP-ENC-77,"
            "\"Notified by the police, \"\"Operation Encompass\"\"\"\n",
            FALSE);
  g_autoptr(FoFamily) family = load (fixture, "FAM-002", NULL);
  const FoEvent *event;

  g_assert_cmpuint (report->added, ==, 1);
  event = find_event (family, FO_KIND_DA_NOTIFICATION, "m1", 0);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->type, ==, "victim");
  g_assert_cmpstr (event->note, ==, "Notified by the police, \"Operation Encompass\"");
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM events WHERE import_key = "
                                        "'da-notifications|m1|2025-04-01|OP-ENC-77'"), ==, 1);
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_MISSING, "missing.csv",
            "upn,date,hours\n"
            "C300000000001,2025-05-05,36.5\n"
            "C300000000001,2025-06-01,nan\n"
            "C300000000001,2025-06-02,-3\n"
            "C300000000001,2025-06-03,12abc\n", FALSE);
  g_autoptr(FoFamily) family = load (fixture, "FAM-003", NULL);
  const FoEvent *event;

  g_assert_cmpuint (report->added, ==, 1);
  g_assert_cmpuint (report->rejected, ==, 3);
  assert_reject (report, 3, "hours", "not a number");
  assert_reject (report, 4, "hours", "not a number");
  assert_reject (report, 5, "hours", "not a number");
  event = find_event (family, FO_KIND_MISSING_EPISODE, "m2", 0);
  g_assert_nonnull (event);
  g_assert_cmpfloat (event->hours, ==, 36.5);
}

static void
test_benefits (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_BENEFITS, "benefits.csv",
            "person_ref,type,start,end,end_reason\n"
            "P-1001,ESA,2023-01-01,2025-06-30,into_work\n"
            "P-3001,UC_work_related,2024-02-01,,\n"
            "P-3001,JSA,2024-02-01,2024-01-01,\n"
            "P-3001,Jobseekers,2022-02-01,,\n", FALSE);
  g_autoptr(FoFamily) ashdown = load (fixture, "FAM-001", NULL);
  g_autoptr(FoFamily) brackenridge = load (fixture, "FAM-003", NULL);
  const FoEvent *event;

  g_assert_cmpuint (report->added, ==, 2);
  g_assert_cmpuint (report->rejected, ==, 2);
  assert_reject (report, 4, "end", "before the start");
  assert_reject (report, 5, "type", "“Jobseekers” is not one of");
  event = find_event (ashdown, FO_KIND_BENEFIT, "m1", 0);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->type, ==, "ESA");
  g_assert_cmpuint (event->end, ==, day ("2025-06-30"));
  g_assert_cmpstr (event->end_reason, ==, "into_work");
  event = find_event (brackenridge, FO_KIND_BENEFIT, "m1", 0);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->type, ==, "UC_work_related");
  g_assert_cmpuint (event->end, ==, 0);
}

static void
test_employment (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_EMPLOYMENT, "employment.csv",
            "person_ref,start,end,hours_per_week\n"
            "P-1001,2025-07-01,,30\n"
            "P-3001,2025-07-01,,169\n", FALSE);
  g_autoptr(FoFamily) family = load (fixture, "FAM-001", NULL);
  const FoEvent *event;

  g_assert_cmpuint (report->added, ==, 1);
  assert_reject (report, 3, "hours_per_week", "from 0 to 168");
  event = find_event (family, FO_KIND_EMPLOYMENT, "m1", 0);
  g_assert_nonnull (event);
  g_assert_cmpuint (event->start, ==, day ("2025-07-01"));
  g_assert_cmpuint (event->end, ==, 0);
  g_assert_cmpfloat (event->hours_per_week, ==, 30);
}

static void
test_star_readings (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("person_ref,date,taken_by");
  g_autoptr(FoImportReport) report = NULL;
  g_autoptr(FoFamily) family = NULL;
  const FoEvent *event;

  for (guint area = 0; area < FO_STAR_AREAS; area++)
    g_string_append_printf (csv, ",%s", fo_star_area_names[area]);
  g_string_append (csv, "\nP-2001,2025-03-10,joint");
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    g_string_append_printf (csv, ",%u", area + 1);
  g_string_append (csv, "\nP-2001,2025-06-10,joint,5,5,5,5,5,5,5,5,5,11");
  g_string_append (csv, "\nP-2001,2025-09-10,both,5,5,0,5,5,5,5,5,5,5\n");
  report = import (fixture, FO_FEED_STAR_READINGS, "star.csv", csv->str, FALSE);
  g_assert_cmpuint (report->added, ==, 1);
  g_assert_cmpuint (report->rejected, ==, 2);
  assert_reject (report, 3, "progress_to_work", "from 1 to 10");
  assert_reject (report, 4, "emotional_needs", "from 1 to 10");
  assert_reject (report, 4, "taken_by", "not one of: joint, worker");

  family = load (fixture, "FAM-002", NULL);
  /* A reading belongs to the whole family. */
  event = find_event (family, FO_KIND_STAR_READING, NULL, 0);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->taken_by, ==, "joint");
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    g_assert_cmpint (event->scores[area], ==, area + 1);
}

static void
test_bad_rows (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_ATTENDANCE, "bad.csv",
            "upn,surname,dob,term,start,end,possible,attended\n"
            /* 2 */ "A100000000001,,,2024-25 Spring,2025-01-06,2025-03-28,60,55\n"
            /* 3 */ "A100000000002,,,2024-25 Spring,2026-02-30,2025-03-28,60,55\n"
            /* 4 */ "A100000000002,,,Spring \xe9t\xe9,2025-01-06,2025-03-28,60,55\n"
            /* 5 */ "A100000000001,,,2024-25 Spring,2025-01-06,2025-03-28,60,55\n"
            /* 6 */ "Z999999999999,,,2024-25 Spring,2025-01-06,2025-03-28,60,55\n"
            /* 7 */ ",Quillfeather,2016-07-07,2024-25 Spring,2025-01-06,2025-03-28,60,55\n"
            /* 8 */ "A100000000002,,,2024-25 Spring,2025-01-06,2025-03-28,60,61\n"
            /* 9 */ "C300000000001,,,\"2024-25\n"
            /* 10 */ "Spring\",2025-01-06,2025-03-28,60,50\n"
            /* 11 */ "A100000000002,,,2024-25 Summer,2025-04-22\n"
            /* 12 */ "\n"
            /* 13 */ "A100000000002,,,2024-25 Summer,2025-04-22,2025-07-22,70,70\n"
            /* 14 */ "A100000000002,,,2024-25 Autumn,2024-09-02,2024-12-20,x12,1.5\n"
            /* 15 */ ",,1999-02-30,2024-25 Autumn,2024-09-02,2024-12-20,50,40\n",
            FALSE);
  g_autoptr(FoFamily) ashdown = load (fixture, "FAM-001", NULL);
  g_autoptr(FoFamily) brackenridge = load (fixture, "FAM-003", NULL);
  g_autoptr(FoFamily) quillfeather = load (fixture, "FAM-002", NULL);
  g_autofree char *text = fo_import_report_to_text (report);

  g_assert_cmpuint (report->rows, ==, 12);
  g_assert_cmpuint (report->added, ==, 3);
  g_assert_cmpuint (report->rejected, ==, 9);
  assert_reject (report, 3, "start", "“2026-02-30” is not a valid date");
  assert_reject (report, 4, "term", "not valid UTF-8");
  assert_reject (report, 5, NULL, "repeats the record on line 2");
  assert_reject (report, 6, "upn", "matches no member");
  assert_reject (report, 7, "surname", "match 2 members");
  assert_reject (report, 8, "attended", "more sessions attended (61) than possible (60)");
  assert_reject (report, 11, NULL, "has 5 fields; the header has 8");
  assert_reject (report, 14, "possible", "“x12” is not a whole number");
  assert_reject (report, 14, "attended", "“1.5” is not a whole number");
  /* A date of birth is never quoted back. */
  assert_reject (report, 15, "dob", "is not a valid date");
  g_assert_null (strstr (text, "1999-02-30"));
  g_assert_nonnull (strstr (text, "line 7, surname: "));

  g_assert_cmpuint (count_kind (ashdown, FO_KIND_ATTENDANCE), ==, 2);
  g_assert_nonnull (find_event (ashdown, FO_KIND_ATTENDANCE, "m2", 0));
  g_assert_nonnull (find_event (ashdown, FO_KIND_ATTENDANCE, "m3", 0));
  /* The quoted field that spans two lines kept its line break. */
  g_assert_cmpstr (find_event (brackenridge, FO_KIND_ATTENDANCE, "m2", 0)->term, ==,
                   "2024-25\nSpring");
  g_assert_cmpuint (quillfeather->events->len, ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log WHERE after = "
                                        "'feed=attendance added=3 duplicates=0 rejected=9'"),
                   ==, 1);
}

static void
test_line_endings (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Old Mac line ends: a lone \r ends a line too. */
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_MISSING, "cr.csv",
            "upn,date,hours\r"
            "C300000000001,2025-05-05,3\r"
            "C300000000001,2025-13-01,3\r"
            "C300000000001,2025-05-06,4", FALSE);

  g_assert_cmpuint (report->rows, ==, 3);
  g_assert_cmpuint (report->added, ==, 2);
  assert_reject (report, 3, "date", "is not a valid date");
}

static void
test_long_field (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("upn,date,hours,note\n");
  g_autoptr(FoImportReport) report = NULL;
  g_autoptr(FoFamily) family = NULL;

  g_string_append (csv, "C300000000001,2025-05-05,3,\"");
  for (guint i = 0; i < 3 * FO_IMPORT_MAX_FIELD / 64; i++)
    g_string_append (csv, "A long note, \"\"quoted\"\", with a line end\n in it, many times.  ");
  g_string_append (csv, "\"\n");
  g_string_append (csv, "C300000000001,2025-05-06,4,short\n");
  report = import (fixture, FO_FEED_MISSING, "long.csv", csv->str, FALSE);
  g_assert_cmpuint (report->rows, ==, 2);
  g_assert_cmpuint (report->added, ==, 1);
  assert_reject (report, 2, "note", "is longer than");
  family = load (fixture, "FAM-003", NULL);
  g_assert_cmpstr (find_event (family, FO_KIND_MISSING_EPISODE, "m2", 0)->note, ==, "short");
}

typedef struct
{
  FoFeed      feed;
  const char *contents;
  int         code;
  const char *message_part;
} FileCase;

static const FileCase file_cases[] = {
  { FO_FEED_ATTENDANCE, "upn,term,start,end,attended\nA100000000001,T,2024-09-02,2024-12-20,5\n",
    FO_IMPORT_ERROR_HEADER, "needs: possible" },
  { FO_FEED_ATTENDANCE, "upn,start,end,possible,attended,colour,shoe\n",
    FO_IMPORT_ERROR_HEADER, "unknown column(s) for the attendance feed: “colour”, “shoe”" },
  { FO_FEED_MISSING, "upn,date,date\n", FO_IMPORT_ERROR_HEADER, "date appears twice" },
  { FO_FEED_MISSING, "surname,date\nAshdown,2025-01-01\n", FO_IMPORT_ERROR_HEADER,
    "no column identifies the person" },
  { FO_FEED_MISSING, "", FO_IMPORT_ERROR_HEADER, "a header row is needed" },
  { FO_FEED_MISSING, "\xff\xfeu\0p\0n\0", FO_IMPORT_ERROR_ENCODING, "UTF-16" },
  { FO_FEED_MISSING, "upn,d\xe4te\nC300000000001,2025-01-01\n", FO_IMPORT_ERROR_ENCODING,
    "not UTF-8" },
  { FO_FEED_MISSING, "upn,date\nC300000000001,2025-05-05\nC300000000001,20\"25\n",
    FO_IMPORT_ERROR_SYNTAX, "line 3" },
  { FO_FEED_MISSING, "upn,date\nC300000000001,\"2025-05-05\n", FO_IMPORT_ERROR_SYNTAX,
    "starts on line 2 is never closed" },
};

static void
test_file_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (file_cases); i++)
    {
      const FileCase *c = &file_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("case-%u.csv", i);
      gsize len = c->contents[0] == '\xff' ? 8 : strlen (c->contents);
      g_autofree char *file = write_csv (fixture, name, c->contents, len);
      FoImportReport *report = NULL;

      g_test_message ("case %u: %s", i, c->message_part);
      g_assert_false (fo_import_feed (fixture->store, c->feed, file, FALSE, "tester", NULL, NULL,
                                      &report, &error));
      g_assert_error (error, FO_IMPORT_ERROR, c->code);
      g_assert_null (report);
      g_assert_true (g_str_has_prefix (error->message, file));
      g_assert_nonnull (strstr (error->message, c->message_part));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *file = g_build_filename (fixture->dir, "absent.csv", NULL);

    g_assert_false (fo_import_feed (fixture->store, FO_FEED_MISSING, file, FALSE, "tester", NULL,
                                    NULL, NULL, &error));
    g_assert_error (error, FO_IMPORT_ERROR, FO_IMPORT_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, file));
  }
  /* Nothing from any refused file reached the store, the first row of the last case included. */
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM events"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log WHERE action = 'import'"),
                   ==, 0);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(FoImportReport) dry = NULL;
  g_autoptr(FoImportReport) real = NULL;
  g_autofree char *text = NULL;
  gint64 version = 0;
  g_autoptr(FoFamily) family = NULL;

  dry = import (fixture, FO_FEED_ATTENDANCE, "attendance.csv", attendance_csv, TRUE);
  g_assert_true (dry->dry_run);
  g_assert_cmpuint (dry->added, ==, 3);
  g_assert_cmpuint (dry->families->len, ==, 2);
  text = fo_import_report_to_text (dry);
  g_assert_nonnull (strstr (text, "Dry run"));
  g_assert_nonnull (strstr (text, "Would add: 3"));
  g_assert_nonnull (strstr (text, "FAM-001: would add 2, already present 0"));
  g_assert_nonnull (strstr (text, "FAM-003: would add 1, already present 0"));

  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM events"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log WHERE action = 'import'"),
                   ==, 0);
  family = load (fixture, "FAM-001", &version);
  g_assert_cmpint (version, ==, 1);

  real = import (fixture, FO_FEED_ATTENDANCE, "attendance.csv", attendance_csv, FALSE);
  g_assert_cmpuint (real->added, ==, dry->added);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM events"), ==, 3);
}

static void
test_reimport (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(FoImportReport) first = NULL;
  g_autoptr(FoImportReport) second = NULL;
  g_autoptr(FoImportReport) dry = NULL;
  gint64 version_1 = 0, version_2 = 0;
  g_autoptr(FoFamily) family_1 = NULL;
  g_autoptr(FoFamily) family_2 = NULL;

  first = import (fixture, FO_FEED_ATTENDANCE, "attendance.csv", attendance_csv, FALSE);
  family_1 = load (fixture, "FAM-001", &version_1);
  second = import (fixture, FO_FEED_ATTENDANCE, "attendance.csv", attendance_csv, FALSE);
  family_2 = load (fixture, "FAM-001", &version_2);
  g_assert_cmpuint (first->added, ==, 3);
  g_assert_cmpuint (second->rows, ==, 3);
  g_assert_cmpuint (second->added, ==, 0);
  g_assert_cmpuint (second->duplicates, ==, 3);
  g_assert_cmpuint (second->rejected, ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM events"), ==, 3);
  /* Nothing new: the cached verdicts stay valid. */
  g_assert_cmpint (version_2, ==, version_1);
  g_assert_cmpuint (family_2->events->len, ==, family_1->events->len);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log WHERE after = "
                                        "'feed=attendance added=0 duplicates=3 rejected=0'"),
                   ==, 1);
  dry = import (fixture, FO_FEED_ATTENDANCE, "attendance.csv", attendance_csv, TRUE);
  g_assert_cmpuint (dry->added, ==, 0);
  g_assert_cmpuint (dry->duplicates, ==, 3);
}

typedef struct
{
  guint   calls;
  guint64 last_done;
  guint64 last_total;
  guint64 last_rows;
  gboolean monotonic;
  guint   cancel_after;
} Progress;

static gboolean
on_progress (guint64  done,
             guint64  total,
             guint64  rows,
             gpointer user_data)
{
  Progress *progress = user_data;

  if (done < progress->last_done || rows < progress->last_rows || done > total)
    progress->monotonic = FALSE;
  progress->calls++;
  progress->last_done = done;
  progress->last_total = total;
  progress->last_rows = rows;
  return progress->cancel_after == 0 || progress->calls < progress->cancel_after;
}

static char *
big_attendance (void)
{
  GString *csv = g_string_new ("upn,term,start,end,possible,attended\n");

  /* Two children, a "term" a week for many years: enough for several blocks of the file. */
  for (guint t = 0; t < 4000; t++)
    for (guint c = 1; c <= 2; c++)
      {
        char start[11], end[11];
        FoDay first = fo_day_from_dmy (1, 1, 1950) + t * 7;

        fo_day_format_buf (first, start);
        fo_day_format_buf (first + 4, end);
        g_string_append_printf (csv, "A10000000000%u,Week %u of a long school career,%s,%s,10,%u\n",
                                c, t, start, end, t % 11);
      }
  return g_string_free (csv, FALSE);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *csv = big_attendance ();
  g_autofree char *file = write_csv (fixture, "big.csv", csv, -1);
  g_autoptr(FoImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0, 0, 0, 0, TRUE, 0 };

  g_assert_cmpuint (strlen (csv), >, 2 * 256 * 1024);
  g_assert_true (fo_import_feed (fixture->store, FO_FEED_ATTENDANCE, file, FALSE, "tester",
                                 on_progress, &progress, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->added, ==, 8000);
  g_assert_cmpuint (progress.calls, >=, 3);
  g_assert_true (progress.monotonic);
  g_assert_cmpuint (progress.last_done, ==, strlen (csv));
  g_assert_cmpuint (progress.last_total, ==, strlen (csv));
  g_assert_cmpuint (progress.last_rows, ==, 8000);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *csv = big_attendance ();
  g_autofree char *file = write_csv (fixture, "big.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  FoImportReport *report = NULL;
  Progress progress = { 0, 0, 0, 0, TRUE, 2 };

  g_assert_false (fo_import_feed (fixture->store, FO_FEED_ATTENDANCE, file, FALSE, "tester",
                                  on_progress, &progress, &report, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
  g_assert_cmpuint (progress.calls, ==, 2);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM events"), ==, 0);
  /* The store is usable afterwards. */
  {
    g_autoptr(FoImportReport) again = import (fixture, FO_FEED_ATTENDANCE, "attendance.csv",
                                              attendance_csv, FALSE);

    g_assert_cmpuint (again->added, ==, 3);
  }
}

static void
test_file_mode (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FoImportReport) report =
    import (fixture, FO_FEED_ATTENDANCE, "attendance.csv", attendance_csv, FALSE);
  GStatBuf st;

  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_feed_names (void)
{
  for (int feed = 0; feed < FO_N_FEEDS; feed++)
    g_assert_cmpint (fo_feed_from_name (fo_feed_name (feed)), ==, feed);
  g_assert_cmpint (fo_feed_from_name ("star-readings"), ==, FO_FEED_STAR_READINGS);
  g_assert_cmpint (fo_feed_from_name ("da-notifications"), ==, FO_FEED_DA_NOTIFICATIONS);
  g_assert_cmpint (fo_feed_from_name ("Attendance"), ==, -1);
  g_assert_cmpint (fo_feed_from_name (""), ==, -1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/import/feed-names", test_feed_names);
  ADD ("/import/attendance", test_attendance);
  ADD ("/import/exclusions", test_exclusions);
  ADD ("/import/incidents", test_incidents);
  ADD ("/import/da-notifications", test_da_notifications);
  ADD ("/import/missing", test_missing);
  ADD ("/import/benefits", test_benefits);
  ADD ("/import/employment", test_employment);
  ADD ("/import/star-readings", test_star_readings);
  ADD ("/import/bad-rows", test_bad_rows);
  ADD ("/import/line-endings", test_line_endings);
  ADD ("/import/long-field", test_long_field);
  ADD ("/import/file-errors", test_file_errors);
  ADD ("/import/dry-run", test_dry_run);
  ADD ("/import/reimport", test_reimport);
  ADD ("/import/progress", test_progress);
  ADD ("/import/cancel", test_cancel);
  ADD ("/import/file-mode", test_file_mode);
#undef ADD

  return g_test_run ();
}
