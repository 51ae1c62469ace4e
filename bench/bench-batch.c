/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-batch"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fo-batch.h"
#include "fo-cohort.h"
#include "fo-store.h"

/* End to end: a database of N synthetic families, evaluated as `evaluate --db` does (open,
 * load plans, read every family, evaluate, refresh the cache), in a fresh process so that
 * its peak memory is its own. Also the time to load one family. */

static const char *const plan_ids[] = { "cbc", "bristol", "nf", "bnes", "herts" };

static int
create (const char *path,
        guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = fo_store_open (path, &error);
  g_autoptr(GPtrArray) families = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_family_free);
  guint events = 0;
  gint64 start = g_get_monotonic_time ();

  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < n; i++)
    {
      FoFamily *family = fo_cohort_family (42, i);

      family->plan = g_strdup (plan_ids[i % G_N_ELEMENTS (plan_ids)]);
      events += family->events->len;
      g_ptr_array_add (families, family);
    }
  if (!fo_store_put_families (store, (FoFamily **) families->pdata, families->len, "bench",
                              "bench-create", &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("created %s: %u families, %.1f events each, in %.2f s\n", path, n,
          (double) events / n, (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

static int
evaluate (const char *path,
          const char *plans_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = fo_plan_set_new ();
  g_autoptr(GPtrArray) references = NULL;
  FoBatchSummary summary;
  FoDay as_of;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  fo_day_parse ("2026-06-30", &as_of);
  store = fo_store_open (path, &error);
  if (store == NULL || !fo_plan_set_add_dir (plans, plans_dir, &error) ||
      !fo_batch_evaluate (store, plans, as_of, TRUE, NULL, NULL, &summary, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  printf ("evaluate --db: %u families in %.3f s (%.0f families/s), %u eligible, "
          "%u claimable now, %u within 3 months\n",
          summary.families, seconds, summary.families / seconds, summary.eligible,
          summary.claimable_now, summary.claimable_soon);

  {
    /* Peak memory from the kernel's own high-water mark: getrusage () in a process started
     * by fork and exec reports the parent's peak instead. */
    g_autofree char *status = NULL;

    if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
      {
        g_auto(GStrv) lines = g_strsplit (status, "\n", -1);

        for (guint i = 0; lines[i] != NULL; i++)
          if (g_str_has_prefix (lines[i], "VmHWM"))
            printf ("peak RSS of the batch evaluation: %s\n", g_strstrip (lines[i] + 6));
      }
  }

  references = fo_store_list_references (store, &error);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 1000; i++)
    {
      const char *reference = g_ptr_array_index (references, (i * 7919) % references->len);
      g_autoptr(FoFamily) family = fo_store_load_family (store, reference, NULL, &error);

      if (family == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
    }
  printf ("load one family: %.3f ms on average over 1000 loads\n",
          (g_get_monotonic_time () - start) / 1e3 / 1000);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  const char *path = argc > 1 ? argv[1] : "/tmp/fo-bench.db";
  guint n = argc > 2 ? (guint) atoi (argv[2]) : 20000;
  const char *plans_dir = argc > 3 ? argv[3] : SOURCE_DIR "/plans";

  if (g_getenv ("FO_BENCH_EVALUATE_ONLY") != NULL)
    return evaluate (path, plans_dir);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && create (path, n) != 0)
    return 1;
  {
    /* A fresh process: the creation above must not count in the peak memory. */
    g_autoptr(GError) error = NULL;
    const char *child_argv[] = { argv[0], path, "0", plans_dir, NULL };
    g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "FO_BENCH_EVALUATE_ONLY", "1", TRUE);
    int status = 0;

    if (!g_spawn_sync (NULL, (char **) child_argv, env, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                       NULL, NULL, &status, &error))
      {
        fprintf (stderr, "%s\n", error->message);
        return 1;
      }
    return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
  }
}
