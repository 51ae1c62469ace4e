/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-import-tool"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "fo-cohort.h"
#include "fo-import.h"

/*
 * A stand-in for `family-outcomes-cli import` until the command line has it, for the crash
 * test and by hand:
 *
 *   fo-import-tool create DB N           a store of N synthetic families whose children have
 *                                        UPNs and whose adults have person references
 *   fo-import-tool csv FEED DB ROWS OUT  an attendance or incidents CSV naming DB's members
 *   fo-import-tool import FEED FILE --db DB [--dry-run] [--quiet]
 *
 * All names are invented by the cohort generator.
 */

static int
fail (const char *message)
{
  fprintf (stderr, "fo-import-tool: %s\n", message);
  return 2;
}

static int
create (const char *path,
        guint       n_families)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = fo_store_open (path, &error);

  if (store == NULL)
    return fail (error->message);
  /* One transaction: a commit per family would wait for the disk each time. */
  if (!fo_store_begin (store, &error))
    return fail (error->message);
  for (guint i = 0; i < n_families; i++)
    {
      g_autoptr(FoFamily) family = fo_cohort_family (7, i);

      for (guint m = 0; m < family->members->len; m++)
        {
          FoMember *member = g_ptr_array_index (family->members, m);

          if (member->role == FO_ROLE_CHILD)
            member->upn = g_strdup_printf ("T%06u%06u", i, m);
          else
            member->person_ref = g_strdup_printf ("P-%06u-%02u", i, m);
        }
      if (!fo_store_put_family (store, family, "fo-import-tool", &error))
        {
          fo_store_rollback (store);
          return fail (error->message);
        }
    }
  if (!fo_store_commit (store, &error))
    return fail (error->message);
  return 0;
}

static GPtrArray *
identifiers (FoStore    *store,
             const char *sql)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (fo_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    return ids;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return ids;
}

/* English school terms, as the cohort generator lays them out. */
static void
term_dates (int    school_year,
            int    term,
            FoDay *start,
            FoDay *end)
{
  static const int months[3][4] = { { 9, 2, 12, 19 }, { 1, 6, 3, 28 }, { 4, 15, 7, 21 } };
  int year = term == 0 ? school_year : school_year + 1;

  *start = fo_day_from_dmy (months[term][1], months[term][0], year);
  *end = fo_day_from_dmy (months[term][3], months[term][2], year);
}

static int
write_csv (const char *feed,
           const char *path,
           guint64     rows,
           const char *out)
{
  static const char *const terms[] = { "Autumn", "Spring", "Summer" };
  static const char *const kinds[] = { "asb", "offence", "arrest", "named_suspect" };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = fo_store_open (path, &error);
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) adults = NULL;
  FILE *file;

  if (store == NULL)
    return fail (error->message);
  children = identifiers (store, "SELECT upn FROM members WHERE upn IS NOT NULL ORDER BY upn");
  adults = identifiers (store, "SELECT person_ref FROM members WHERE person_ref IS NOT NULL "
                               "ORDER BY person_ref");
  if (children->len == 0 || adults->len == 0)
    return fail ("the store has no members with identifiers");
  file = fopen (out, "w");
  if (file == NULL)
    return fail (g_strerror (errno));
  if (g_str_equal (feed, "attendance"))
    {
      fputs ("upn,term,start,end,possible,attended,unauthorised\n", file);
      for (guint64 r = 0; r < rows; r++)
        {
          guint64 t = r / children->len;
          int year = 1990 + (int) (t / 3);
          int possible = 100 + (int) (r * 7 % 50);
          int attended = possible * (70 + (int) (r % 31)) / 100;
          char start[11], end[11];
          FoDay first, last;

          term_dates (year, t % 3, &first, &last);
          fo_day_format_buf (first, start);
          fo_day_format_buf (last, end);
          fprintf (file, "%s,%d-%02d %s,%s,%s,%d,%d,%d\n",
                   (char *) g_ptr_array_index (children, r % children->len), year,
                   (year + 1) % 100, terms[t % 3], start, end, possible, attended,
                   (possible - attended) / 2);
        }
    }
  else if (g_str_equal (feed, "incidents"))
    {
      guint n = children->len + adults->len;
      FoDay base = fo_day_from_dmy (1, 1, 2015);

      fputs ("upn,person_ref,kind,date,reference,type\n", file);
      for (guint64 r = 0; r < rows; r++)
        {
          guint who = r % n;
          char date[11];

          fo_day_format_buf (base + (FoDay) (r * 13 % 3650), date);
          fprintf (file, "%s,%s,%s,%s,CAD-%08" G_GUINT64_FORMAT ",%s\n",
                   who < children->len ? (char *) g_ptr_array_index (children, who) : "",
                   who < children->len ? "" : (char *) g_ptr_array_index (adults,
                                                                          who - children->len),
                   kinds[r % 4], date, r, r % 4 == 1 ? "proven" : "");
        }
    }
  else
    {
      fclose (file);
      return fail ("csv writes only attendance or incidents feeds");
    }
  if (fclose (file) != 0)
    return fail (g_strerror (errno));
  return 0;
}

static gboolean
print_progress (guint64  bytes_done,
                guint64  bytes_total,
                guint64  rows_done,
                gpointer user_data)
{
  fprintf (stderr, "progress %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
           bytes_done, bytes_total, rows_done);
  return TRUE;
}

static int
import (const char *feed_name,
        const char *file,
        const char *path,
        gboolean    dry_run,
        gboolean    quiet,
        gboolean    progress)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoImportReport) report = NULL;
  int feed = fo_feed_from_name (feed_name);
  gint64 start;

  if (feed < 0)
    return fail ("unknown feed");
  store = fo_store_open (path, &error);
  if (store == NULL)
    return fail (error->message);
  start = g_get_monotonic_time ();
  if (!fo_import_feed (store, feed, file, dry_run, "fo-import-tool", progress ? print_progress
                                                                                : NULL,
                       NULL, &report, &error))
    return fail (error->message);
  if (quiet)
    printf ("rows=%" G_GUINT64_FORMAT " added=%" G_GUINT64_FORMAT " duplicates=%"
            G_GUINT64_FORMAT " rejected=%" G_GUINT64_FORMAT " seconds=%.3f\n", report->rows,
            report->added, report->duplicates, report->rejected,
            (g_get_monotonic_time () - start) / 1e6);
  else
    {
      g_autofree char *text = fo_import_report_to_text (report);

      fputs (text, stdout);
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "create"))
    return create (argv[2], (guint) atoi (argv[3]));
  if (argc == 6 && g_str_equal (argv[1], "csv"))
    return write_csv (argv[2], argv[3], g_ascii_strtoull (argv[4], NULL, 10), argv[5]);
  if (argc >= 6 && g_str_equal (argv[1], "import") && g_str_equal (argv[4], "--db"))
    {
      gboolean dry_run = FALSE, quiet = FALSE, progress = FALSE;

      for (int i = 6; i < argc; i++)
        {
          if (g_str_equal (argv[i], "--dry-run"))
            dry_run = TRUE;
          else if (g_str_equal (argv[i], "--quiet"))
            quiet = TRUE;
          else if (g_str_equal (argv[i], "--progress"))
            progress = TRUE;
          else
            return fail ("unknown option");
        }
      return import (argv[2], argv[3], argv[5], dry_run, quiet, progress);
    }
  fprintf (stderr, "usage: fo-import-tool create DB N\n"
                   "       fo-import-tool csv attendance|incidents DB ROWS OUT.csv\n"
                   "       fo-import-tool import FEED FILE --db DB [--dry-run] [--quiet] "
                   "[--progress]\n");
  return 2;
}
