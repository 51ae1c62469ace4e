/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-ui DATABASE [RUNS]
 *
 * Times what a coordinator waits for in the window, on a real display (run it under
 * `xvfb-run -a` on a machine without one):
 *   - the first frame that shows the family list, from starting the process, warm: the
 *     database is read once first so the page cache holds it;
 *   - filtering the list per keystroke, with the frame it causes;
 *   - opening a family page: load, evaluate with explanations, build the matrix, paint.
 * A missing DATABASE is made first: 20,000 demo families across every plan.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "fo-application.h"
#include "fo-batch.h"
#include "fo-demo.h"
#include "fo-family-item.h"
#include "fo-family-page.h"
#include "fo-main-window.h"
#include "fo-session.h"

typedef struct
{
  GtkWidget  *window;
  GtkListView *list;
  GtkWidget  *search;
  GtkStack   *content_stack;
  gint64      start_time;      /* the child's main () */
  gint64      spawn_time;      /* when the parent started the child */
  gint64      mark;
  gboolean    any_frame_seen;
  gboolean    first_frame_seen;
  GArray     *filter_times;    /* double ms: the filter alone */
  GArray     *keystroke_times; /* double ms: until the next frame */
  GArray     *open_times;      /* double ms: select → page painted */
  guint       step;
  guint       opened;
  char       *opened_reference;
  gboolean    waiting_open;
  gboolean    waiting_key;
} Bench;

static const char *const keystrokes[] = {
  "k", "ka", "kar", "kare", "karen", "kare", "kar", "ka", "k", "",
  "c", "cb", "cbc", "cbc-", "cbc-d", "cbc-demo-0001", "cbc-demo-00012", "",
  "t", "to", "tor", "tori", "torit", "",
};

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The first @type in @root outside any popover: drop-downs hide lists and entries in theirs. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (GTK_IS_POPOVER (root))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The family list, and not the lists inside the filter drop-downs. */
static GtkListView *
find_family_list (GtkWidget *root)
{
  if (GTK_IS_LIST_VIEW (root) && gtk_widget_has_css_class (root, "navigation-sidebar"))
    return GTK_LIST_VIEW (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListView *found = find_family_list (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
list_items (Bench *bench)
{
  if (bench->list == NULL)
    {
      fprintf (stderr, "bench-ui: no family list in the window\n");
      exit (1);
    }
  GtkSelectionModel *model = gtk_list_view_get_model (bench->list);

  return model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_stats (const char *what,
             GArray     *times,
             double      target)
{
  double max = 0;

  if (times->len == 0)
    return;
  g_array_sort (times, compare_doubles);
  for (guint i = 0; i < times->len; i++)
    max = MAX (max, g_array_index (times, double, i));
  printf ("%-44s median %7.2f ms  p90 %7.2f ms  max %7.2f ms  (%u samples, target < %.0f ms)\n",
          what, g_array_index (times, double, times->len / 2),
          g_array_index (times, double, times->len * 9 / 10), max, times->len, target);
}

static void next_step (Bench *bench);

static gboolean
next_step_idle (gpointer data)
{
  next_step (data);
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  if (!bench->any_frame_seen)
    {
      bench->any_frame_seen = TRUE;
      printf ("first frame of the window                  %7.1f ms from main (), %7.1f ms from "
              "spawn\n", ms_since (bench->start_time), ms_since (bench->spawn_time));
    }
  if (!bench->first_frame_seen)
    {
      if (list_items (bench) == 0)
        return;
      bench->first_frame_seen = TRUE;
      printf ("first frame with the family list           %7.1f ms from main (), %7.1f ms from "
              "spawn; %u families (target < 150 ms)\n", ms_since (bench->start_time),
              ms_since (bench->spawn_time), list_items (bench));
      fflush (stdout);
      g_timeout_add (500, next_step_idle, bench);
      return;
    }
  if (bench->waiting_key)
    {
      double elapsed = ms_since (bench->mark);

      bench->waiting_key = FALSE;
      g_array_append_val (bench->keystroke_times, elapsed);
      g_idle_add (next_step_idle, bench);
      return;
    }
  if (bench->waiting_open)
    {
      FoFamilyPage *page = FO_FAMILY_PAGE (find_widget (bench->window, FO_TYPE_FAMILY_PAGE));
      const FoFamilyView *view = fo_family_page_get_view (page);
      double elapsed;

      if (view == NULL || g_strcmp0 (view->family->reference, bench->opened_reference) != 0)
        return;
      elapsed = ms_since (bench->mark);
      bench->waiting_open = FALSE;
      g_array_append_val (bench->open_times, elapsed);
      g_idle_add (next_step_idle, bench);
    }
}

static void
next_step (Bench *bench)
{
  guint n_keys = G_N_ELEMENTS (keystrokes);

  if (bench->step < n_keys)
    {
      const char *text = keystrokes[bench->step++];
      gint64 start = g_get_monotonic_time ();
      double elapsed;

      bench->mark = start;
      gtk_editable_set_text (GTK_EDITABLE (bench->search), text);
      /* The entry waits for a pause in typing before it says the text changed; the bench
       * asks at once, so it times the filter and not the pause. */
      g_signal_emit_by_name (bench->search, "search-changed");
      elapsed = ms_since (start);
      g_array_append_val (bench->filter_times, elapsed);
      bench->waiting_key = TRUE;
      gtk_widget_queue_draw (bench->window);
      return;
    }
  if (bench->opened < 30)
    {
      GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (bench->list));
      guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));
      guint position = (bench->opened * 7919) % n;
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (selection), position);
      const FoFamilySummary *summary = fo_family_item_get_summary ((gpointer) item);

      bench->opened++;
      g_free (bench->opened_reference);
      bench->opened_reference = g_strdup (summary->reference);
      bench->mark = g_get_monotonic_time ();
      bench->waiting_open = TRUE;
      gtk_single_selection_set_selected (selection, position);
      return;
    }
  print_stats ("filter the list, per keystroke (filter only)", bench->filter_times, 16);
  print_stats ("filter the list, per keystroke (to frame)", bench->keystroke_times, 16);
  print_stats ("open a family page (to frame)", bench->open_times, 30);
  fflush (stdout);
  g_application_quit (g_application_get_default ());
}

static void
window_mapped_cb (GtkWidget *window,
                  Bench     *bench)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), bench);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 Bench          *bench)
{
  bench->window = GTK_WIDGET (window);
  bench->list = find_family_list (bench->window);
  bench->search = find_widget (bench->window, GTK_TYPE_SEARCH_ENTRY);
  g_signal_connect_after (window, "map", G_CALLBACK (window_mapped_cb), bench);
}

/* The baseline the targets compare with: an empty libadwaita window's first frame. */
static void
empty_mapped_cb (GtkWidget *window,
                 Bench     *bench);

static void
empty_after_paint_cb (GdkFrameClock *clock,
                      Bench         *bench)
{
  printf ("first frame of an empty window (baseline)  %7.1f ms from main (), %7.1f ms from "
          "spawn\n", ms_since (bench->start_time), ms_since (bench->spawn_time));
  fflush (stdout);
  g_application_quit (g_application_get_default ());
}

static void
empty_mapped_cb (GtkWidget *window,
                 Bench     *bench)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (empty_after_paint_cb), bench);
}

static void
empty_activate_cb (GApplication *application,
                   Bench        *bench)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));

  g_signal_connect_after (window, "map", G_CALLBACK (empty_mapped_cb), bench);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_empty_child (void)
{
  g_autoptr(AdwApplication) application = NULL;
  Bench bench = { 0 };

  bench.start_time = g_get_monotonic_time ();
  bench.spawn_time = g_ascii_strtoll (g_getenv ("FO_BENCH_UI_SPAWNED"), NULL, 10);
  application = adw_application_new ("com.example.FamilyOutcomes.Bench",
                                     G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "activate", G_CALLBACK (empty_activate_cb), &bench);
  return g_application_run (G_APPLICATION (application), 0, NULL);
}

static int
run_child (const char *database)
{
  g_autoptr(FoApplication) application = NULL;
  Bench bench = { 0 };
  char *argv[] = { (char *) "family-outcomes", (char *) "--db", (char *) database, NULL };

  bench.start_time = g_get_monotonic_time ();
  bench.spawn_time = g_ascii_strtoll (g_getenv ("FO_BENCH_UI_SPAWNED"), NULL, 10);
  bench.filter_times = g_array_new (FALSE, FALSE, sizeof (double));
  bench.keystroke_times = g_array_new (FALSE, FALSE, sizeof (double));
  bench.open_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  application = fo_application_new ();
  g_signal_connect (application, "window-added", G_CALLBACK (window_added_cb), &bench);
  return g_application_run (G_APPLICATION (application), 3, argv);
}

static gboolean
make_database (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlanSet) plans = fo_plan_set_new ();
  g_autoptr(GPtrArray) plan_list = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(FoStore) store = NULL;
  FoDay today = fo_day_today ();

  if (!fo_plan_set_add_dir (plans, fo_plans_dir_default (), &error))
    goto fail;
  plan_list = fo_plan_set_list (plans);
  for (guint i = 0; i < plan_list->len; i++)
    g_ptr_array_add (ids, ((FoPlan *) g_ptr_array_index (plan_list, i))->id);
  g_ptr_array_add (ids, NULL);
  families = fo_demo_cohort (plans, (char **) ids->pdata, 20000, 42, today, &error);
  if (families == NULL || (store = fo_store_open (path, &error)) == NULL ||
      !fo_store_put_families (store, (FoFamily **) families->pdata, families->len, "bench",
                              "demo", &error) ||
      !fo_batch_evaluate (store, plans, today, TRUE, NULL, NULL, NULL, &error))
    goto fail;
  return TRUE;

fail:
  fprintf (stderr, "bench-ui: %s\n", error->message);
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  const char *database;
  int runs;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-ui DATABASE [RUNS]\n");
      return 2;
    }
  database = argv[1];
  if (g_getenv ("FO_BENCH_UI_CHILD") != NULL)
    return g_str_equal (g_getenv ("FO_BENCH_UI_CHILD"), "empty") ? run_empty_child ()
                                                                : run_child (database);
  if (!g_file_test (database, G_FILE_TEST_EXISTS) && !make_database (database))
    return 1;
  runs = argc > 2 ? atoi (argv[2]) : 3;
  g_setenv ("FO_BENCH_UI_CHILD", "1", TRUE);
  /* The first run warms the page cache; each run is a fresh process, as a user's start is. */
  for (int i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      char *child_argv[] = { argv[0], (char *) database, NULL };
      gint64 start = g_get_monotonic_time ();
      g_autofree char *spawned = g_strdup_printf ("%" G_GINT64_FORMAT, start);
      int status;

      g_setenv ("FO_BENCH_UI_SPAWNED", spawned, TRUE);
      printf ("run %d%s\n", i + 1, i == 0 ? " (cold: warms the cache)" : "");
      fflush (stdout);
      if (!g_spawn_sync (NULL, child_argv, NULL, G_SPAWN_CHILD_INHERITS_STDOUT |
                         G_SPAWN_CHILD_INHERITS_STDERR, NULL, NULL, NULL, NULL, &status, &error))
        {
          fprintf (stderr, "bench-ui: %s\n", error->message);
          return 1;
        }
      printf ("  whole run %.0f ms\n", (g_get_monotonic_time () - start) / 1000.0);
      /* The same start-up, with nothing in the window, for comparison. */
      g_setenv ("FO_BENCH_UI_CHILD", "empty", TRUE);
      start = g_get_monotonic_time ();
      g_free (spawned);
      spawned = g_strdup_printf ("%" G_GINT64_FORMAT, start);
      g_setenv ("FO_BENCH_UI_SPAWNED", spawned, TRUE);
      if (!g_spawn_sync (NULL, child_argv, NULL, G_SPAWN_CHILD_INHERITS_STDOUT |
                         G_SPAWN_CHILD_INHERITS_STDERR, NULL, NULL, NULL, NULL, &status, &error))
        {
          fprintf (stderr, "bench-ui: %s\n", error->message);
          return 1;
        }
      g_setenv ("FO_BENCH_UI_CHILD", "1", TRUE);
    }
  return 0;
}
