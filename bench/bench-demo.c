/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-demo"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fo-demo.h"

/* How fast `family-outcomes-cli demo` builds its cohort, per plan: a new user waits for it. */
int
main (int    argc,
      char **argv)
{
  static const char *const plans[] = { "cbc", "bristol", "nf", "bnes", "herts" };
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 20000;
  FoDay as_of;

  fo_day_parse ("2026-11-01", &as_of);
  for (guint p = 0; p < G_N_ELEMENTS (plans); p++)
    {
      g_autofree char *file = g_strdup_printf ("%s/plans/%s.json", SOURCE_DIR, plans[p]);
      g_autoptr(GError) error = NULL;
      g_autoptr(FoPlan) plan = fo_plan_load_file (file, &error);
      gint64 start = g_get_monotonic_time ();
      double seconds;

      if (plan == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < n; i++)
        fo_family_free (fo_demo_family (plan, 42, i, as_of));
      seconds = (g_get_monotonic_time () - start) / 1e6;
      printf ("%-8s %u demo families in %.2f s (%.0f families/s)\n", plans[p], n, seconds,
              n / seconds);
    }
  return 0;
}
