/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-import"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fo-cohort.h"
#include "fo-import.h"

/*
 * Rows per second of the feed importer: a store of N synthetic families (children with UPNs,
 * adults with person references), then half the rows as an attendance feed and half as an
 * incidents feed, each imported in one transaction, then both again (every row a duplicate).
 * For scale, the same number of events written straight through fo_store_insert_event, in the
 * same order the importer writes them, on a copy of the same store.
 *
 *   bench-import [FAMILIES [ROWS [FOLDER]]]      defaults: 20000, 1000000, a temporary folder
 */

typedef struct
{
  GPtrArray *children;   /* UPNs */
  GPtrArray *adults;     /* person references */
} Identifiers;

static void
die (const char *what,
     GError     *error)
{
  fprintf (stderr, "bench-import: %s: %s\n", what, error != NULL ? error->message : "");
  exit (1);
}

static double
seconds_since (gint64 start)
{
  return MAX (1, g_get_monotonic_time () - start) / 1e6;
}

static void
create_store (const char  *path,
              guint        n_families,
              Identifiers *ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = fo_store_open (path, &error);

  if (store == NULL || !fo_store_begin (store, &error))
    die (path, error);
  for (guint i = 0; i < n_families; i++)
    {
      g_autoptr(FoFamily) family = fo_cohort_family (42, i);

      for (guint m = 0; m < family->members->len; m++)
        {
          FoMember *member = g_ptr_array_index (family->members, m);

          if (member->role == FO_ROLE_CHILD)
            {
              member->upn = g_strdup_printf ("B%06u%06u", i, m);
              g_ptr_array_add (ids->children, g_strdup (member->upn));
            }
          else
            {
              member->person_ref = g_strdup_printf ("P-%06u-%02u", i, m);
              g_ptr_array_add (ids->adults, g_strdup (member->person_ref));
            }
        }
      if (!fo_store_put_family (store, family, "bench", &error))
        die ("put family", error);
    }
  if (!fo_store_commit (store, &error))
    die ("commit", error);
}

/* A child's terms one after another, the children in turn: as a school census lists them,
 * with the families in no useful order (a prime stride shuffles them). */
static void
write_attendance (const char        *path,
                  guint64            rows,
                  const Identifiers *ids)
{
  static const char *const terms[] = { "Autumn", "Spring", "Summer" };
  static const int months[3][4] = { { 9, 2, 12, 19 }, { 1, 6, 3, 28 }, { 4, 15, 7, 21 } };
  guint n = ids->children->len;
  guint64 per_child = (rows + n - 1) / n;
  FILE *file = fopen (path, "w");
  guint64 written = 0;

  if (file == NULL)
    die (path, NULL);
  fputs ("upn,term,start,end,possible,attended,unauthorised\n", file);
  for (guint i = 0; i < n && written < rows; i++)
    for (guint64 t = 0, c = (i * G_GUINT64_CONSTANT (2654435761)) % n;
         t < per_child && written < rows; t++, written++)
      {
        int year = 1990 + (int) (t / 3), term = t % 3;
        int calendar = term == 0 ? year : year + 1;
        int possible = 100 + (int) ((c * 7 + t) % 50);
        int attended = possible * (70 + (int) ((c + t * 3) % 31)) / 100;

        fprintf (file, "%s,%d-%02d %s,%04d-%02d-%02d,%04d-%02d-%02d,%d,%d,%d\n",
                 (char *) g_ptr_array_index (ids->children, c), year, (year + 1) % 100,
                 terms[term], calendar, months[term][0], months[term][1], calendar,
                 months[term][2], months[term][3], possible, attended,
                 (possible - attended) / 2);
      }
  if (fclose (file) != 0)
    die (path, NULL);
}

/* Police incidents in date order, each naming anyone in the cohort. */
static void
write_incidents (const char        *path,
                 guint64            rows,
                 const Identifiers *ids)
{
  static const char *const kinds[] = { "asb", "offence", "arrest", "named_suspect" };
  guint n = ids->children->len + ids->adults->len;
  FoDay first = fo_day_from_dmy (1, 1, 2015);
  FILE *file = fopen (path, "w");

  if (file == NULL)
    die (path, NULL);
  fputs ("upn,person_ref,kind,date,reference,type\n", file);
  for (guint64 r = 0; r < rows; r++)
    {
      guint who = (guint) ((r * 2654435761u) % n);
      char date[11];

      fo_day_format_buf (first + (FoDay) (r * 3650 / rows), date);
      fprintf (file, "%s,%s,%s,%s,CAD-%09" G_GUINT64_FORMAT ",%s\n",
               who < ids->children->len ? (char *) g_ptr_array_index (ids->children, who) : "",
               who < ids->children->len ? ""
                 : (char *) g_ptr_array_index (ids->adults, who - ids->children->len),
               kinds[r % 4], date, r, r % 4 == 1 ? "proven" : "");
    }
  if (fclose (file) != 0)
    die (path, NULL);
}

static double
import_file (FoStore    *store,
             FoFeed      feed,
             const char *path,
             guint64    *out_added,
             guint64    *out_duplicates)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoImportReport) report = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  if (!fo_import_feed (store, feed, path, FALSE, "bench", NULL, NULL, &report, &error))
    die (path, error);
  seconds = seconds_since (start);
  if (report->rejected != 0)
    die ("rows were rejected", NULL);
  printf ("  %-10s %8" G_GUINT64_FORMAT " rows  %6.2f s  %9.0f rows/s  (added %" G_GUINT64_FORMAT
          ", duplicates %" G_GUINT64_FORMAT ")\n", fo_feed_name (feed), report->rows, seconds,
          report->rows / seconds, report->added, report->duplicates);
  *out_added += report->added;
  *out_duplicates += report->duplicates;
  return seconds;
}

/* The store alone: as many attendance events, in family order, in one transaction. */
static void
store_baseline (const char *path,
                guint64     rows,
                guint       n_families)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = fo_store_open (path, &error);
  gint64 start;

  if (store == NULL)
    die (path, error);
  /* The page cache the importer works with. */
  sqlite3_exec (fo_store_get_db (store), "PRAGMA cache_size = -131072", NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  if (!fo_store_begin (store, &error))
    die ("begin", error);
  for (guint64 r = 0; r < rows; r++)
    {
      FoEvent event = { 0 };
      char id[24], key[48];
      gboolean inserted;

      event.kind = FO_KIND_ATTENDANCE;
      event.member = -1;
      event.level = FO_LEVEL_UNSET;
      event.start = fo_day_from_dmy (2, 9, 1990) + (FoDay) (r % 5000);
      event.end = event.start + 60;
      event.possible = 120;
      event.attended = 100;
      event.term = (char *) "Autumn";
      g_snprintf (id, sizeof id, "imp-%016" G_GINT64_MODIFIER "x", r * 11400714819323198485u);
      g_snprintf (key, sizeof key, "baseline|m1|%" G_GUINT64_FORMAT, r);
      event.id = id;
      if (!fo_store_insert_event (store, 1 + r * n_families / rows, &event, "m1", key, &inserted,
                                  &error))
        die ("insert", error);
    }
  if (!fo_store_commit (store, &error))
    die ("commit", error);
  printf ("  %-10s %8" G_GUINT64_FORMAT " rows  %6.2f s  %9.0f rows/s  (fo_store_insert_event "
          "alone, in family order)\n", "store", rows, seconds_since (start),
          rows / seconds_since (start));
}

int
main (int    argc,
      char **argv)
{
  guint n_families = argc > 1 ? (guint) atoi (argv[1]) : 20000;
  guint64 rows = argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 1000000;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *attendance = NULL;
  g_autofree char *incidents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  Identifiers ids = { g_ptr_array_new_with_free_func (g_free),
                      g_ptr_array_new_with_free_func (g_free) };
  guint64 added = 0, duplicates = 0;
  double seconds;
  gint64 start;

  dir = argc > 3 ? g_strdup (argv[3]) : g_dir_make_tmp ("fo-bench-import-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary folder", error);
  db = g_build_filename (dir, "bench-import.db", NULL);
  copy = g_build_filename (dir, "bench-import-copy.db", NULL);
  attendance = g_build_filename (dir, "attendance.csv", NULL);
  incidents = g_build_filename (dir, "incidents.csv", NULL);
  g_unlink (db);

  start = g_get_monotonic_time ();
  create_store (db, n_families, &ids);
  {
    g_autofree char *contents = NULL;
    gsize len = 0;

    /* The store closed cleanly, so the database file alone is the whole store. */
    if (!g_file_get_contents (db, &contents, &len, &error) ||
        !g_file_set_contents (copy, contents, len, &error))
      die ("copying the store", error);
  }
  write_attendance (attendance, rows / 2, &ids);
  write_incidents (incidents, rows - rows / 2, &ids);
  printf ("store: %u families, %u children with UPNs, %u adults with person references "
          "(set up in %.1f s)\n", n_families, ids.children->len, ids.adults->len,
          seconds_since (start));

  store = fo_store_open (db, &error);
  if (store == NULL)
    die (db, error);
  printf ("first import:\n");
  seconds = import_file (store, FO_FEED_ATTENDANCE, attendance, &added, &duplicates);
  seconds += import_file (store, FO_FEED_INCIDENTS, incidents, &added, &duplicates);
  printf ("  %-10s %8" G_GUINT64_FORMAT " rows  %6.2f s  %9.0f rows/s\n", "both", rows, seconds,
          rows / seconds);
  printf ("the same files again:\n");
  seconds = import_file (store, FO_FEED_ATTENDANCE, attendance, &added, &duplicates);
  seconds += import_file (store, FO_FEED_INCIDENTS, incidents, &added, &duplicates);
  printf ("  %-10s %8" G_GUINT64_FORMAT " rows  %6.2f s  %9.0f rows/s\n", "both", rows, seconds,
          rows / seconds);
  g_clear_pointer (&store, fo_store_close);
  if (added != rows || duplicates != rows)
    die ("the counts are wrong", NULL);

  printf ("for scale:\n");
  store_baseline (copy, rows, n_families);

  if (argc <= 3)
    {
      const char *const names[] = { db, copy, attendance, incidents };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *wal = g_strconcat (names[i], "-wal", NULL);
          g_autofree char *shm = g_strconcat (names[i], "-shm", NULL);

          g_unlink (names[i]);
          g_unlink (wal);
          g_unlink (shm);
        }
      g_rmdir (dir);
    }
  g_ptr_array_unref (ids.children);
  g_ptr_array_unref (ids.adults);
  return 0;
}
