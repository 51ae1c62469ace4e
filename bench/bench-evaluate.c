/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-evaluate"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fo-cohort.h"
#include "fo-evaluator.h"

/* Families per second of the in-memory evaluator, per plan, with and without explanations.
 * Loading is not timed: this measures the evaluator alone. */

int
main (int    argc,
      char **argv)
{
  guint n_families = argc > 1 ? (guint) atoi (argv[1]) : 20000;
  guint32 seed = argc > 2 ? (guint32) atoi (argv[2]) : 42;
  const char *plans_dir = argc > 3 ? argv[3] : SOURCE_DIR "/plans";
  static const char *const plans[] = { "cbc", "bristol", "nf", "bnes", "herts" };
  g_autoptr(GPtrArray) cohort = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_family_free);
  FoDay as_of;
  guint events = 0;
  gint64 start;

  fo_day_parse ("2026-06-30", &as_of);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_families; i++)
    {
      FoFamily *family = fo_cohort_family (seed, i);

      events += family->events->len;
      g_ptr_array_add (cohort, family);
    }
  printf ("cohort: %u families, %.1f events each on average (seed %u, built in %.2f s)\n",
          n_families, (double) events / n_families, seed,
          (g_get_monotonic_time () - start) / 1e6);
  printf ("%-8s %10s %14s %14s %10s %10s\n", "plan", "outcomes", "fam/s", "fam/s", "eligible",
          "claimable");
  printf ("%-8s %10s %14s %14s\n", "", "", "(no explain)", "(explain)");

  for (guint p = 0; p < G_N_ELEMENTS (plans); p++)
    {
      g_autofree char *file = g_strdup_printf ("%s/%s.json", plans_dir, plans[p]);
      const char *only = g_getenv ("FO_BENCH_PLAN");
      g_autoptr(GError) error = NULL;
      g_autoptr(FoPlan) plan = fo_plan_load_file (file, &error);
      double rate[2];
      guint eligible = 0, claimable = 0;

      if (only != NULL && g_strcmp0 (only, plans[p]) != 0)
        continue;

      if (plan == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      rate[1] = 0;
      for (int mode = 0; mode < (g_getenv ("FO_BENCH_NO_EXPLAIN") ? 1 : 2); mode++)
        {
          FoEvaluateFlags flags = mode == 0 ? FO_EVALUATE_DEFAULT : FO_EVALUATE_EXPLAIN;
          gint64 elapsed;

          start = g_get_monotonic_time ();
          for (guint i = 0; i < cohort->len; i++)
            {
              FoEvaluation *evaluation = fo_evaluate (plan, g_ptr_array_index (cohort, i), as_of,
                                                      flags);

              if (mode == 0)
                {
                  eligible += evaluation->eligible;
                  claimable += evaluation->claimable;
                }
              fo_evaluation_free (evaluation);
            }
          elapsed = MAX (1, g_get_monotonic_time () - start);
          rate[mode] = cohort->len * 1e6 / elapsed;
        }
      printf ("%-8s %10u %14.0f %14.0f %10u %10u\n", plans[p], plan->n_outcomes, rate[0], rate[1],
              eligible, claimable);
    }
  return 0;
}
