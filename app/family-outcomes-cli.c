/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "family-outcomes-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "fo-batch.h"
#include "fo-evaluator.h"
#include "fo-explain.h"
#include "fo-demo.h"
#include "fo-family.h"
#include "fo-import.h"
#include "fo-plan.h"
#include "fo-store.h"

/* Exit codes a script can rely on. */
enum
{
  EXIT_OK = 0,
  EXIT_FAILURE_INTERNAL = 1,
  EXIT_BAD_INPUT = 2,
};

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line: scripts read the first line of stderr. */
  g_strdelimit (message, "\n", ' ');
  fprintf (stderr, "family-outcomes-cli: %s\n", message);
  return EXIT_BAD_INPUT;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s",
           _("Usage:\n"
             "  family-outcomes-cli check-plan FILE…\n"
             "  family-outcomes-cli evaluate --plan FILE --family FILE [--as-of YYYY-MM-DD] [--json]\n"
             "  family-outcomes-cli explain --plan FILE --family FILE --indicator ID "
             "[--as-of YYYY-MM-DD]\n"
             "  family-outcomes-cli evaluate --db FILE [--plan FILE | --plans-dir DIR] "
             "[--as-of YYYY-MM-DD] [--json | --csv]\n"
             "  family-outcomes-cli claimable --db FILE [--as-of YYYY-MM-DD] [--plans-dir DIR]\n"
             "  family-outcomes-cli put --db FILE FAMILY.json…\n"
             "  family-outcomes-cli export --db FILE --family REF [--out FILE.json]\n"
             "  family-outcomes-cli import FEED FILE.csv --db FILE [--dry-run]\n"
             "  family-outcomes-cli demo --db FILE [--families N] [--plan ID[,ID…]|FILE] [--seed S]\n"
             "  family-outcomes-cli backup --db FILE --out FILE\n"
             "\n"
             "Exit status: 0 on success, 2 on bad input (with a one-line message).\n"));
}

static int
cmd_check_plan (int    argc,
                char **argv)
{
  int status = EXIT_OK;

  if (argc < 2)
    return fail (_("check-plan needs at least one plan file"));
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FoPlan) plan = fo_plan_load_file (argv[i], &error);

      if (plan == NULL)
        {
          status = fail ("%s", error->message);
          continue;
        }
      {
        g_autofree char *counts = fo_plan_counts_text (plan);

        fputs (counts, stdout);
      }
    }
  return status;
}

typedef struct
{
  char     *plan_file;
  char     *family_file;
  char     *as_of_text;
  char     *indicator;
  char     *db;
  char     *plans_dir;
  char     *reference;
  char     *out;
  gboolean  json;
  gboolean  csv;
  gboolean  dry_run;
  int       families;
  int       seed;
  char    **rest;
} EvaluateOptions;

static void
options_clear (EvaluateOptions *options)
{
  g_free (options->plan_file);
  g_free (options->family_file);
  g_free (options->as_of_text);
  g_free (options->indicator);
  g_free (options->db);
  g_free (options->plans_dir);
  g_free (options->reference);
  g_free (options->out);
  g_strfreev (options->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EvaluateOptions, options_clear)

static int
parse_options (int             *argc,
               char          ***argv,
               EvaluateOptions *options)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "plan", 0, 0, G_OPTION_ARG_FILENAME, &options->plan_file, N_("The plan file"), "FILE" },
    { "family", 0, 0, G_OPTION_ARG_STRING, &options->family_file,
      N_("The family file, or with --db its reference"), "FILE" },
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &options->as_of_text, N_("Evaluate as of this date"),
      "YYYY-MM-DD" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json, N_("Print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &options->csv, N_("Print CSV"), NULL },
    { "indicator", 0, 0, G_OPTION_ARG_STRING, &options->indicator, N_("The indicator id"), "ID" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &options->db, N_("The database file"), "FILE" },
    { "plans-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->plans_dir,
      N_("Where the plan files are"), "DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &options->out, N_("Write to this file"), "FILE" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &options->dry_run,
      N_("Show what an import would do, and change nothing"), NULL },
    { "families", 0, 0, G_OPTION_ARG_INT, &options->families, N_("How many demo families"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &options->seed, N_("The demo cohort's seed"), "S" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->rest, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    return fail ("%s", error->message);
  return EXIT_OK;
}

static int
parse_as_of (const EvaluateOptions *options,
             FoDay                 *as_of)
{
  if (options->as_of_text != NULL)
    {
      if (!fo_day_parse (options->as_of_text, as_of))
        return fail (_("--as-of: “%s” is not a valid date (YYYY-MM-DD)"), options->as_of_text);
    }
  else
    *as_of = fo_day_today ();
  return EXIT_OK;
}

static int
no_extra_arguments (const EvaluateOptions *options)
{
  if (options->rest != NULL && options->rest[0] != NULL)
    return fail (_("unexpected argument “%s”"), options->rest[0]);
  return EXIT_OK;
}

static FoStore *
open_store (const EvaluateOptions *options)
{
  g_autoptr(GError) error = NULL;
  FoStore *store;

  if (options->db == NULL)
    {
      fail (_("--db FILE is required"));
      return NULL;
    }
  store = fo_store_open (options->db, &error);
  if (store == NULL)
    fail ("%s", error->message);
  return store;
}

/* --plan FILE for every family; otherwise each family's own plan, from --plans-dir, the
 * FO_PLANS_DIR environment variable, the installed plans, or ./plans. */
static FoPlanSet *
load_plans (const EvaluateOptions *options,
            FoPlan               **out_forced)
{
  g_autoptr(FoPlanSet) set = fo_plan_set_new ();
  g_autoptr(GError) error = NULL;
  const char *dir = options->plans_dir;

  *out_forced = NULL;
  if (options->plan_file != NULL)
    {
      *out_forced = fo_plan_load_file (options->plan_file, &error);
      if (*out_forced == NULL)
        {
          fail ("%s", error->message);
          return NULL;
        }
      fo_plan_set_force (set, *out_forced);
      return g_steal_pointer (&set);
    }
  if (dir == NULL)
    dir = fo_plans_dir_default ();
  if (!fo_plan_set_add_dir (set, dir, &error))
    {
      fail ("%s", error->message);
      return NULL;
    }
  return g_steal_pointer (&set);
}

typedef struct
{
  FILE    *out;
  gboolean json;
  gboolean csv;
  gboolean claimable_only;
  FoDay    soon;
  guint    printed;
} ListData;

static gboolean
print_family_line (const FoBatchRow *row,
                   gpointer          user_data)
{
  ListData *data = user_data;
  char from[11], projected[11];

  if (row->plan == NULL)
    return TRUE;
  if (data->claimable_only && !row->claimable &&
      !(row->projected_claimable != 0 && row->projected_claimable <= data->soon))
    return TRUE;
  fo_day_format_buf (row->claimable_from, from);
  fo_day_format_buf (row->projected_claimable, projected);
  if (data->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, row->reference);
      json_builder_set_member_name (builder, "plan");
      json_builder_add_string_value (builder, row->plan->id);
      json_builder_set_member_name (builder, "eligible");
      json_builder_add_boolean_value (builder, row->eligible);
      json_builder_set_member_name (builder, "claimable");
      json_builder_add_boolean_value (builder, row->claimable);
      json_builder_set_member_name (builder, "claimable_from");
      if (row->claimable_from)
        json_builder_add_string_value (builder, from);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "projected_claimable");
      if (row->projected_claimable)
        json_builder_add_string_value (builder, projected);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "issues");
      json_builder_add_string_value (builder, row->issues);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, FALSE);
      fprintf (data->out, "%s%s", data->printed ? ",\n  " : "  ", text);
    }
  else if (data->csv)
    fprintf (data->out, "%s,%s,%d,%d,%s,%s,%s\n", row->reference, row->plan->id, row->eligible,
             row->claimable, row->claimable_from ? from : "",
             row->projected_claimable ? projected : "", row->issues);
  else
    fprintf (data->out, "%-20s %-8s %-12s %-12s %s\n", row->reference, row->plan->id,
             row->eligible ? _("eligible") : _("not eligible"),
             row->claimable ? from : row->projected_claimable ? projected : "—", row->issues);
  data->printed++;
  return TRUE;
}

static int
cmd_evaluate_db (EvaluateOptions *options,
                 gboolean         claimable_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = NULL;
  g_autoptr(FoPlan) forced = NULL;
  FoBatchSummary summary;
  ListData data = { stdout, options->json, options->csv, claimable_only, 0, 0 };
  FoDay as_of;
  int status;

  if ((status = parse_as_of (options, &as_of)) != EXIT_OK ||
      (status = no_extra_arguments (options)) != EXIT_OK)
    return status;
  store = open_store (options);
  if (store == NULL)
    return EXIT_BAD_INPUT;
  plans = load_plans (options, &forced);
  if (plans == NULL)
    return EXIT_BAD_INPUT;
  data.soon = fo_day_add_months (as_of, 3);

  if (data.json)
    fputs ("{\"families\": [\n", stdout);
  else if (data.csv)
    puts ("reference,plan,eligible,claimable,claimable_from,projected_claimable,issues");
  if (!fo_batch_evaluate (store, plans, as_of, TRUE, print_family_line, &data, &summary, &error))
    return fail ("%s", error->message);
  if (data.json)
    printf ("\n],\n\"summary\": {\"families\": %u, \"skipped\": %u, \"eligible\": %u, "
            "\"achieved\": %u, \"claimable_now\": %u, \"claimable_within_3_months\": %u}}\n",
            summary.families, summary.skipped, summary.eligible, summary.achieved,
            summary.claimable_now, summary.claimable_soon);
  else if (!data.csv)
    {
      char day[11];

      fo_day_format_buf (as_of, day);
      printf (_("\nAs of %s: %u families, %u eligible, %u with an outcome achieved, "
                "%u claimable now, %u claimable within 3 months"),
              day, summary.families, summary.eligible, summary.achieved, summary.claimable_now,
              summary.claimable_soon);
      if (summary.skipped > 0)
        printf (_(", %u skipped (no plan loaded for them)"), summary.skipped);
      putchar ('\n');
    }
  return EXIT_OK;
}

static int
cmd_evaluate (int      argc,
              char   **argv,
              gboolean explain_one)
{
  g_auto(EvaluateOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlan) plan = NULL;
  g_autoptr(FoFamily) family = NULL;
  g_autoptr(FoEvaluation) evaluation = NULL;
  FoDay as_of;
  int status;

  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK)
    return status;
  if (options.db != NULL && !explain_one && options.family_file == NULL)
    return cmd_evaluate_db (&options, FALSE);
  if ((status = no_extra_arguments (&options)) != EXIT_OK ||
      (status = parse_as_of (&options, &as_of)) != EXIT_OK)
    return status;
  if (options.family_file == NULL)
    return fail (_("--family FILE is required (or --db FILE to evaluate a whole database)"));
  if (explain_one && options.indicator == NULL)
    return fail (_("--indicator ID is required"));

  if (options.db != NULL)
    {
      /* With a database, --family names a family by its reference. */
      g_autoptr(FoStore) store = open_store (&options);

      if (store == NULL)
        return EXIT_BAD_INPUT;
      family = fo_store_load_family (store, options.family_file, NULL, &error);
    }
  else
    family = fo_family_load_file (options.family_file, &error);
  if (family == NULL)
    return fail ("%s", error->message);

  if (options.plan_file == NULL)
    {
      g_autoptr(FoPlanSet) plans = NULL;
      g_autoptr(FoPlan) forced = NULL;
      g_autofree char *file = NULL;

      if (family->plan == NULL)
        return fail (_("--plan FILE is required: the family names no plan"));
      plans = load_plans (&options, &forced);
      if (plans == NULL)
        return EXIT_BAD_INPUT;
      if (fo_plan_set_lookup (plans, family->plan) == NULL)
        return fail (_("no plan “%s” is loaded (use --plan FILE or --plans-dir DIR)"),
                     family->plan);
      file = g_strdup (fo_plan_set_lookup (plans, family->plan)->file);
      plan = fo_plan_load_file (file, &error);
    }
  else
    plan = fo_plan_load_file (options.plan_file, &error);
  if (plan == NULL)
    return fail ("%s", error->message);
  if (family->plan != NULL && g_strcmp0 (family->plan, plan->id) != 0)
    g_printerr (_("family-outcomes-cli: note: the family names plan “%s”; evaluating against “%s”\n"),
                family->plan, plan->id);

  evaluation = fo_evaluate (plan, family, as_of, FO_EVALUATE_EXPLAIN);
  if (explain_one)
    {
      g_autofree char *text = fo_explain_indicator (evaluation, options.indicator, &error);

      if (text == NULL)
        return fail ("%s", error->message);
      fputs (text, stdout);
    }
  else if (options.json)
    {
      g_autoptr(JsonNode) root = fo_evaluation_to_json (evaluation);
      g_autofree char *text = json_to_string (root, TRUE);

      puts (text);
    }
  else
    {
      g_autofree char *text = fo_evaluation_to_text (evaluation);

      fputs (text, stdout);
    }
  return EXIT_OK;
}

/* From the cache, after evaluating again only the families whose verdict is out of date. */
static int
cmd_claimable (int    argc,
               char **argv)
{
  g_auto(EvaluateOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = NULL;
  g_autoptr(FoPlan) forced = NULL;
  g_autoptr(GPtrArray) references = NULL;
  guint refreshed = 0;
  FoDay as_of;
  int status;

  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK ||
      (status = parse_as_of (&options, &as_of)) != EXIT_OK ||
      (status = no_extra_arguments (&options)) != EXIT_OK)
    return status;
  store = open_store (&options);
  if (store == NULL)
    return EXIT_BAD_INPUT;
  plans = load_plans (&options, &forced);
  if (plans == NULL)
    return EXIT_BAD_INPUT;
  if (!fo_batch_refresh_stale (store, plans, as_of, &refreshed, &error))
    return fail ("%s", error->message);
  references = fo_store_cached_claimable (store, as_of, fo_day_add_months (as_of, 3), &error);
  if (references == NULL)
    return fail ("%s", error->message);
  for (guint i = 0; i < references->len; i++)
    {
      FoCachedEvaluation cached;
      char day[11];

      if (!fo_store_get_evaluation (store, g_ptr_array_index (references, i), &cached, &error))
        continue;
      fo_day_format_buf (cached.claimable ? cached.claimable_from : cached.projected_claimable,
                         day);
      if (options.csv)
        printf ("%s,%s,%s\n", cached.reference, cached.claimable ? "now" : "within-3-months", day);
      else
        printf (cached.claimable ? _("%-20s claimable since %s\n")
                                 : _("%-20s claimable on %s if it keeps progressing\n"),
                cached.reference, day);
      fo_cached_evaluation_clear (&cached);
    }
  g_printerr (_("%u families listed; %u verdicts brought up to date first\n"), references->len,
              refreshed);
  return EXIT_OK;
}

/* Adds or replaces families from family JSON files, each in its own transaction. */
static int
cmd_put (int    argc,
         char **argv)
{
  g_auto(EvaluateOptions) options = { 0 };
  g_autoptr(FoStore) store = NULL;
  int status;

  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK)
    return status;
  if (options.rest == NULL || options.rest[0] == NULL)
    return fail (_("put needs at least one family JSON file"));
  store = open_store (&options);
  if (store == NULL)
    return EXIT_BAD_INPUT;
  for (guint i = 0; options.rest[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FoFamily) family = fo_family_load_file (options.rest[i], &error);

      if (family == NULL || !fo_store_put_family (store, family, g_get_user_name (), &error))
        return fail ("%s", error->message);
      printf (_("%s: family %s stored\n"), options.rest[i], family->reference);
    }
  return EXIT_OK;
}

static int
cmd_export (int    argc,
            char **argv)
{
  g_auto(EvaluateOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoFamily) family = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  int status;

  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK ||
      (status = no_extra_arguments (&options)) != EXIT_OK)
    return status;
  if (options.family_file == NULL)
    return fail (_("--family REF is required"));
  store = open_store (&options);
  if (store == NULL)
    return EXIT_BAD_INPUT;
  family = fo_store_load_family (store, options.family_file, NULL, &error);
  if (family == NULL)
    return fail ("%s", error->message);
  root = fo_family_to_json (family);
  text = json_to_string (root, TRUE);
  if (options.out != NULL)
    {
      if (!g_file_set_contents_full (options.out, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                     0600, &error))
        return fail ("%s", error->message);
    }
  else
    puts (text);
  return EXIT_OK;
}

static gboolean
show_progress (guint64  bytes_done,
               guint64  bytes_total,
               guint64  rows_done,
               gpointer user_data)
{
  if (bytes_total > 0)
    fprintf (stderr, "\r%3d%%  %" G_GUINT64_FORMAT " rows", (int) (100 * bytes_done / bytes_total),
             rows_done);
  if (bytes_done == bytes_total)
    fputc ('\n', stderr);
  return TRUE;
}

/* A partner-data feed: all of the file or none of it; every refused row in the report. */
static int
cmd_import (int    argc,
            char **argv)
{
  g_auto(EvaluateOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoImportReport) report = NULL;
  g_autofree char *text = NULL;
  int status, feed;

  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK)
    return status;
  if (options.rest == NULL || options.rest[0] == NULL || options.rest[1] == NULL ||
      options.rest[2] != NULL)
    return fail (_("import needs a feed and a file: import FEED FILE.csv --db FILE"));
  feed = fo_feed_from_name (options.rest[0]);
  if (feed < 0)
    {
      g_autofree char *feeds = g_strjoinv (", ", (char **) fo_feed_names);

      return fail (_("unknown feed “%s” (expected one of: %s)"), options.rest[0], feeds);
    }
  store = open_store (&options);
  if (store == NULL)
    return EXIT_BAD_INPUT;
  if (!fo_import_feed (store, feed, options.rest[1], options.dry_run, g_get_user_name (),
                       isatty (fileno (stderr)) ? show_progress : NULL, NULL, &report, &error))
    return fail ("%s", error->message);
  text = fo_import_report_to_text (report);
  fputs (text, stdout);
  return EXIT_OK;
}

/* A checked copy of a database, safe to take while the application is using it. */
static int
cmd_backup (int    argc,
            char **argv)
{
  g_auto(EvaluateOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  int status;

  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK ||
      (status = no_extra_arguments (&options)) != EXIT_OK)
    return status;
  if (options.db == NULL || options.out == NULL)
    return fail (_("backup needs --db FILE and --out FILE"));
  /* Opening a store creates it: a mistyped name would otherwise back up an empty database. */
  if (!g_file_test (options.db, G_FILE_TEST_IS_REGULAR))
    return fail (_("%s: no such database"), options.db);
  store = open_store (&options);
  if (store == NULL)
    return EXIT_BAD_INPUT;
  if (!fo_store_backup (store, options.out, &error))
    return fail ("%s", error->message);
  printf (_("%s: copy of %s written and checked\n"), options.out, options.db);
  return EXIT_OK;
}

/* A synthetic cohort for trying the application: invented people, plausible data. */
static int
cmd_demo (int    argc,
          char **argv)
{
  g_auto(EvaluateOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = NULL;
  g_autoptr(FoPlan) forced = NULL;
  g_autoptr(GPtrArray) families = NULL;
  const FoPlan *plan;
  FoBatchSummary summary;
  g_autofree char *plan_id = NULL;
  g_auto(GStrv) ids = NULL;
  FoDay as_of;
  int status, n;

  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK ||
      (status = parse_as_of (&options, &as_of)) != EXIT_OK ||
      (status = no_extra_arguments (&options)) != EXIT_OK)
    return status;
  n = options.families > 0 ? options.families : 200;
  if (n > 1000000)
    return fail (_("--families: at most 1,000,000"));
  /* --plan takes a plan id (looked up like any other) or a plan file. */
  if (options.plan_file != NULL && !g_str_has_suffix (options.plan_file, ".json"))
    plan_id = g_steal_pointer (&options.plan_file);
  plans = load_plans (&options, &forced);
  if (plans == NULL)
    return EXIT_BAD_INPUT;
  /* Several plans, comma-separated, share the families out between them. */
  ids = g_strsplit (plan_id != NULL ? plan_id : "cbc", ",", -1);
  for (guint p = 0; ids[p] != NULL; p++)
    if (fo_plan_set_lookup (plans, ids[p]) == NULL)
      return fail (_("no plan “%s” is loaded (use --plans-dir DIR)"), ids[p]);
  families = fo_demo_cohort (plans, ids, n, options.seed, as_of, &error);
  if (families == NULL)
    return fail ("%s", error->message);
  store = open_store (&options);
  if (store == NULL)
    return EXIT_BAD_INPUT;
  plan = fo_plan_set_lookup (plans, ids[0]);
  if (!fo_store_put_families (store, (FoFamily **) families->pdata, families->len,
                              g_get_user_name (), "demo", &error) ||
      !fo_batch_evaluate (store, plans, as_of, TRUE, NULL, NULL, &summary, &error))
    return fail ("%s", error->message);
  printf (_("%s: %u demo families (%s); as of the date used, %u eligible, %u claimable now, "
            "%u within 3 months\n"), options.db, summary.families,
          plan_id != NULL ? plan_id : plan->id, summary.eligible, summary.claimable_now,
          summary.claimable_soon);
  return EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_BAD_INPUT;
    }
  command = argv[1];
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      print_usage (stdout);
      return EXIT_OK;
    }
  if (g_str_equal (command, "--version"))
    {
      printf ("family-outcomes-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (g_str_equal (command, "check-plan"))
    return cmd_check_plan (argc - 1, argv + 1);
  if (g_str_equal (command, "evaluate"))
    return cmd_evaluate (argc - 1, argv + 1, FALSE);
  if (g_str_equal (command, "explain"))
    return cmd_evaluate (argc - 1, argv + 1, TRUE);
  if (g_str_equal (command, "claimable"))
    return cmd_claimable (argc - 1, argv + 1);
  if (g_str_equal (command, "put"))
    return cmd_put (argc - 1, argv + 1);
  if (g_str_equal (command, "export"))
    return cmd_export (argc - 1, argv + 1);
  if (g_str_equal (command, "import"))
    return cmd_import (argc - 1, argv + 1);
  if (g_str_equal (command, "demo"))
    return cmd_demo (argc - 1, argv + 1);
  if (g_str_equal (command, "backup"))
    return cmd_backup (argc - 1, argv + 1);
  print_usage (stderr);
  return fail (_("unknown command “%s”"), command);
}
