/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-report"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fo-demo.h"
#include "fo-report.h"

/* How long one family progress report takes, from an evaluation to a PDF on disk (what a key
 * worker waits for after pressing Export), and how many a batch writes a second on one core.
 * Demo families stand in for real ones; every plan, since their reports differ in length.
 * Times are in milliseconds a report. */

/* Wall-clock time swings with whatever else the machine runs; the process's CPU time less so. */
static double
cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  static const char *const plans[] = { "cbc", "bristol", "nf", "bnes", "herts" };
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 200;
  g_autofree char *dir = g_dir_make_tmp ("fo-bench-report-XXXXXX", NULL);
  g_autoptr(GDateTime) generated = g_date_time_new_utc (2026, 11, 1, 9, 0, 0);
  FoDay as_of;

  if (dir == NULL || n == 0)
    return 1;
  fo_day_parse ("2026-11-01", &as_of);

  /* The first report pays for loading fontconfig's cache and the fonts: once per process. */
  {
    g_autofree char *file = g_strdup_printf ("%s/plans/nf.json", SOURCE_DIR);
    g_autoptr(FoPlan) plan = fo_plan_load_file (file, NULL);
    g_autoptr(FoFamily) family = plan != NULL ? fo_demo_family (plan, 42, 0, as_of) : NULL;
    g_autoptr(FoEvaluation) evaluation = NULL;
    g_autoptr(FoReport) report = NULL;
    g_autofree char *out = g_build_filename (dir, "warm.pdf", NULL);
    gint64 start = g_get_monotonic_time ();

    if (family == NULL)
      return 1;
    evaluation = fo_evaluate (plan, family, as_of, FO_EVALUATE_EXPLAIN);
    report = fo_progress_report_new (evaluation, FO_REPORT_DEFAULT);
    if (!fo_report_write_pdf (report, out, NULL))
      return 1;
    printf ("first report in the process (font loading included): %.1f ms\n",
            (g_get_monotonic_time () - start) / 1e3);
    g_unlink (out);
  }

  printf ("%-8s %9s %9s %9s %9s %9s %7s\n", "plan", "median", "p90", "max", "cpu med.",
          "reports/s", "pages");
  for (guint p = 0; p < G_N_ELEMENTS (plans); p++)
    {
      g_autofree char *file = g_strdup_printf ("%s/plans/%s.json", SOURCE_DIR, plans[p]);
      g_autoptr(GError) error = NULL;
      g_autoptr(FoPlan) plan = fo_plan_load_file (file, &error);
      g_autoptr(GArray) times = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
      g_autoptr(GArray) cpu_times = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
      guint64 pages = 0;
      double total = 0;

      if (plan == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(FoFamily) family = fo_demo_family (plan, 42, i, as_of);
          g_autofree char *out = g_strdup_printf ("%s/%s-%u.pdf", dir, plans[p], i);
          gint64 start = g_get_monotonic_time ();
          double cpu_start = cpu_ms ();
          g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, as_of,
                                                            FO_EVALUATE_EXPLAIN);
          g_autoptr(FoReport) report = fo_progress_report_new (evaluation, FO_REPORT_DEFAULT);
          double ms, cpu;

          fo_report_set_generated (report, generated);
          if (!fo_report_write_pdf (report, out, &error))
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          ms = (g_get_monotonic_time () - start) / 1e3;
          cpu = cpu_ms () - cpu_start;
          g_array_append_val (times, ms);
          g_array_append_val (cpu_times, cpu);
          total += ms;
          pages += fo_report_get_n_pages (report);
          g_unlink (out);
        }
      g_array_sort (times, compare_doubles);
      g_array_sort (cpu_times, compare_doubles);
      printf ("%-8s %9.1f %9.1f %9.1f %9.1f %9.1f %7.1f\n", plans[p],
              g_array_index (times, double, n / 2), g_array_index (times, double, n * 9 / 10),
              g_array_index (times, double, n - 1), g_array_index (cpu_times, double, n / 2),
              n / (total / 1e3), (double) pages / n);
    }
  g_rmdir (dir);
  return 0;
}
