/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-import"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fo-fuzz.h"
#include "fo-import.h"
#include "fo-store.h"

/*
 * Partner feeds are CSV files written by other organisations' systems. The first byte of the
 * input picks the feed (its low three bits) and the mode: a first byte from 0x40 to 0x47
 * ('@' to 'G') imports for real, anything else ('0' to '7', say) is a dry run. The rest is the
 * file. The store, with a few families whose members rows can match, is built once per
 * process; after a real import a copy of it taken at the start is put back, so that every input
 * meets the same store.
 *
 * Besides crashes, the target checks what the import promises: a refused file is an
 * FO_IMPORT_ERROR naming the file; every row is added, already present or rejected; a dry run
 * saves nothing; a real import saves exactly what it reports, and importing the same file again
 * adds nothing.
 */

static const char *const families[] = {
  "{\"format\": 1, \"reference\": \"FAM-001\", \"entry_date\": \"2024-09-01\", \"events\": [],"
  " \"members\": ["
  " {\"id\": \"m1\", \"name\": \"Mara Ashdown\", \"dob\": \"1985-03-12\", \"role\": \"parent\","
  "  \"person_ref\": \"P-1001\"},"
  " {\"id\": \"m2\", \"name\": \"Tobin Ashdown\", \"dob\": \"2012-05-01\", \"role\": \"child\","
  "  \"upn\": \"A100000000001\"},"
  " {\"id\": \"m3\", \"name\": \"Lia Ashdown\", \"dob\": \"2014-09-09\", \"role\": \"child\","
  "  \"upn\": \"A100000000002\"}]}",
  /* Twins with one surname and one date of birth, and no UPN. */
  "{\"format\": 1, \"reference\": \"FAM-002\", \"entry_date\": \"2024-10-01\", \"events\": [],"
  " \"members\": ["
  " {\"id\": \"m1\", \"name\": \"Rosa Quillfeather\", \"dob\": \"1990-01-20\","
  "  \"role\": \"parent\", \"person_ref\": \"P-2001\"},"
  " {\"id\": \"m2\", \"name\": \"Ada Quillfeather\", \"dob\": \"2016-07-07\", \"role\": \"child\"},"
  " {\"id\": \"m3\", \"name\": \"Ben Quillfeather\", \"dob\": \"2016-07-07\","
  "  \"role\": \"child\"}]}",
  "{\"format\": 1, \"reference\": \"FAM-003\", \"entry_date\": \"2025-01-06\", \"events\": [],"
  " \"members\": ["
  " {\"id\": \"m1\", \"name\": \"Owen Brackenridge\", \"dob\": \"1979-11-30\","
  "  \"role\": \"parent\", \"person_ref\": \"P-3001\"},"
  " {\"id\": \"m2\", \"name\": \"Isla Brackenridge\", \"dob\": \"2010-02-02\","
  "  \"role\": \"child\", \"upn\": \"C300000000001\"}]}",
  /* One UPN and one person reference recorded in two families. */
  "{\"format\": 1, \"reference\": \"FAM-004\", \"entry_date\": \"2025-02-01\", \"events\": [],"
  " \"members\": ["
  " {\"id\": \"m1\", \"name\": \"Nia Ferncastle\", \"dob\": \"1988-08-08\", \"role\": \"parent\","
  "  \"person_ref\": \"P-4001\"},"
  " {\"id\": \"m2\", \"name\": \"Cal Ferncastle\", \"dob\": \"2013-03-03\", \"role\": \"child\","
  "  \"upn\": \"D400000000001\"}]}",
  "{\"format\": 1, \"reference\": \"FAM-005\", \"entry_date\": \"2025-03-01\", \"events\": [],"
  " \"members\": ["
  " {\"id\": \"m1\", \"name\": \"Jo Ferncastle\", \"dob\": \"1987-07-07\", \"role\": \"carer\","
  "  \"person_ref\": \"P-4001\"},"
  " {\"id\": \"m2\", \"name\": \"Cal Ferncastle\", \"dob\": \"2013-03-03\", \"role\": \"child\","
  "  \"upn\": \"D400000000001\"}]}",
};

static char *dir;
static char *csv_path;
static FoStore *store;
static sqlite3 *pristine;
static sqlite3_stmt *count_statement;

static void
remove_dir (void)
{
  g_autoptr(GDir) listing = NULL;
  const char *name;

  g_clear_pointer (&count_statement, sqlite3_finalize);
  g_clear_pointer (&store, fo_store_close);
  g_clear_pointer (&pristine, sqlite3_close);
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

static void
copy_database (sqlite3 *to,
               sqlite3 *from)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");

  if (backup == NULL)
    g_error ("cannot copy the store: %s", sqlite3_errmsg (to));
  if (sqlite3_backup_step (backup, -1) != SQLITE_DONE)
    g_error ("cannot copy the store: %s", sqlite3_errmsg (to));
  sqlite3_backup_finish (backup);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  /* tmpfs when there is one: a real import commits, and commits wait for the disk. */
  const char *parent = g_access ("/dev/shm", W_OK) == 0 ? "/dev/shm" : g_get_tmp_dir ();

  fo_fuzz_setup ();
  dir = g_build_filename (parent, "fo-fuzz-import-XXXXXX", NULL);
  if (g_mkdtemp (dir) == NULL)
    g_error ("%s: %s", dir, g_strerror (errno));
  atexit (remove_dir);
  db_path = g_build_filename (dir, "families.db", NULL);
  csv_path = g_build_filename (dir, "feed.csv", NULL);
  store = fo_store_open (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (families[i], &error);
      g_autoptr(FoFamily) family = NULL;

      if (node != NULL)
        family = fo_family_load_node ("fixture", node, &error);
      if (family == NULL || !fo_store_put_family (store, family, "fuzz", &error))
        g_error ("%s", error->message);
    }
  if (sqlite3_open (":memory:", &pristine) != SQLITE_OK)
    g_error ("cannot open an in-memory database");
  copy_database (pristine, fo_store_get_db (store));
  if (sqlite3_prepare_v2 (fo_store_get_db (store), "SELECT count(*) FROM events", -1,
                          &count_statement, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (fo_store_get_db (store)));
  return 0;
}

static void
write_file (const uint8_t *data,
            size_t         size)
{
  int fd = g_open (csv_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0 || (size > 0 && write (fd, data, size) != (ssize_t) size) || close (fd) != 0)
    g_error ("%s: %s", csv_path, g_strerror (errno));
}

static gint64
count_events (void)
{
  gint64 count = -1;

  if (sqlite3_step (count_statement) == SQLITE_ROW)
    count = sqlite3_column_int64 (count_statement, 0);
  sqlite3_reset (count_statement);
  g_assert_cmpint (count, >=, 0);
  return count;
}

static void
check_report (const FoImportReport *report,
              gboolean              dry_run)
{
  g_autofree char *text = fo_import_report_to_text (report);
  guint64 added = 0, duplicates = 0, last_line = 0;

  g_assert_nonnull (text);
  g_assert_true (report->dry_run == dry_run);
  g_assert_cmpuint (report->rows, ==, report->added + report->duplicates + report->rejected);
  g_assert_cmpuint (report->rejects->len + report->unlisted_rejects, >=, report->rejected);
  for (guint i = 0; i < report->rejects->len; i++)
    {
      const FoImportReject *reject = g_ptr_array_index (report->rejects, i);

      /* The header is line 1; rejects come in file order. */
      g_assert_cmpuint (reject->line, >=, 2);
      g_assert_cmpuint (reject->line, >=, last_line);
      g_assert_true (g_utf8_validate (reject->reason, -1, NULL));
      last_line = reject->line;
    }
  for (guint i = 0; i < report->families->len; i++)
    {
      const FoImportFamilyCount *count = g_ptr_array_index (report->families, i);

      g_assert_nonnull (count->reference);
      added += count->added;
      duplicates += count->duplicates;
    }
  g_assert_cmpuint (added, ==, report->added);
  g_assert_cmpuint (duplicates, ==, report->duplicates);
}

/* Returns the report, or NULL when the file was refused as a whole. */
static FoImportReport *
import (FoFeed   feed,
        gboolean dry_run)
{
  g_autoptr(GError) error = NULL;
  FoImportReport *report = NULL;

  if (!fo_import_feed (store, feed, csv_path, dry_run, "fuzz", NULL, NULL, &report, &error))
    {
      g_assert_null (report);
      g_assert_nonnull (error);
      /* Whatever a file holds, the store itself must not fail: a row it cannot take is a
       * reject, not a failed import. */
      if (error->domain != FO_IMPORT_ERROR)
        g_error ("not a file-level refusal: %s", error->message);
      g_assert_true (g_str_has_prefix (error->message, csv_path));
      return NULL;
    }
  g_assert_no_error (error);
  check_report (report, dry_run);
  return report;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FoImportReport) first = NULL;
  g_autoptr(FoImportReport) second = NULL;
  FoFeed feed;
  gboolean dry_run;

  if (size == 0)
    return 0;
  feed = data[0] & 7;
  dry_run = (data[0] & 0xf8) != 0x40;
  write_file (data + 1, size - 1);

  first = import (feed, dry_run);
  if (dry_run || first == NULL)
    {
      g_assert_cmpint (count_events (), ==, 0);
      return 0;
    }

  g_assert_cmpint (count_events (), ==, first->added);
  second = import (feed, FALSE);
  g_assert_nonnull (second);
  g_assert_cmpuint (second->rows, ==, first->rows);
  g_assert_cmpuint (second->added, ==, 0);
  g_assert_cmpuint (second->duplicates, ==, first->added);
  g_assert_cmpuint (second->rejected, ==, first->rejected);
  g_assert_cmpint (count_events (), ==, first->added);

  copy_database (fo_store_get_db (store), pristine);
  return 0;
}
