/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "family-outcomes-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "fo-batch.h"
#include "fo-cli-claims.h"
#include "fo-evaluator.h"
#include "fo-explain.h"
#include "fo-demo.h"
#include "fo-family.h"
#include "fo-i18n.h"
#include "fo-import.h"
#include "fo-plan.h"
#include "fo-report.h"
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
             "  family-outcomes-cli users add --db FILE --name NAME --role ROLE "
             "[--plan-role R[,R…]] [--as USER]\n"
             "  family-outcomes-cli users list --db FILE\n"
             "  family-outcomes-cli claims prepare --db FILE --as USER --family REF [--route ID] "
             "[--date YYYY-MM-DD]\n"
             "  family-outcomes-cli claims edit|submit|agree|approve|reject|withdraw|reverse ID "
             "--db FILE --as USER\n"
             "                     [--route ID] [--date YYYY-MM-DD] [--plan-role R] "
             "[--reason TEXT]\n"
             "  family-outcomes-cli claims list --db FILE [--state S] [--family REF] "
             "[--queue --as USER]\n"
             "  family-outcomes-cli claims show ID --db FILE [--json]\n"
             "  family-outcomes-cli claims export --db FILE --from DATE --to DATE --csv "
             "[--mark-returned --as USER]\n"
             "  family-outcomes-cli claims sample --db FILE --percent P --seed N "
             "[--from DATE] [--to DATE]\n"
             "  family-outcomes-cli audit verify --db FILE\n"
             "  family-outcomes-cli audit log --db FILE [--family REF] [--json]\n"
             "  family-outcomes-cli report --db FILE --family REF --out FILE.pdf [--redact] "
             "[--as-of YYYY-MM-DD] [--plans-dir DIR]\n"
             "  family-outcomes-cli report --db FILE --all --out-dir DIR [--redact] "
             "[--as-of YYYY-MM-DD] [--plans-dir DIR]\n"
             "  family-outcomes-cli backup --db FILE --out FILE\n"
             "\n"
             "Exit status: 0 on success, 2 on bad input or a change the rules refuse (with a "
             "one-line message),\n1 when audit verify finds the log tampered with.\n"));
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
  char     *out_dir;
  gboolean  json;
  gboolean  csv;
  gboolean  dry_run;
  gboolean  redact;
  gboolean  all;
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
  g_free (options->out_dir);
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
    { "redact", 0, 0, G_OPTION_ARG_NONE, &options->redact,
      N_("Show members by initials and year of birth only"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &options->all, N_("Every family in the database"), NULL },
    { "out-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->out_dir,
      N_("Write one file for each family into this folder"), "DIR" },
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

/* A reference as a file name: anything but letters, digits, '.', '-' and '_' becomes '_'. */
static char *
report_file_name (const char *dir,
                  const char *reference)
{
  g_autofree char *name = g_strconcat (reference, ".pdf", NULL);

  g_strcanon (name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_", '_');
  if (name[0] == '.')
    name[0] = '_';
  return g_build_filename (dir, name, NULL);
}

static gboolean
write_report (const FoPlan  *plan,
              FoFamily      *family,
              FoDay          as_of,
              FoReportFlags  flags,
              const char    *file,
              guint         *out_pages,
              GError       **error)
{
  g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, as_of, FO_EVALUATE_EXPLAIN);
  g_autoptr(FoReport) report = fo_progress_report_new (evaluation, flags);

  if (!fo_report_write_pdf (report, file, error))
    return FALSE;
  if (out_pages != NULL)
    *out_pages = fo_report_get_n_pages (report);
  return TRUE;
}

/* A batch of reports: the main thread reads the families from the store and a pool of workers,
 * one for each core, evaluates them and writes their PDFs. */
typedef struct
{
  FoPlanSet    *plans;
  FoDay         as_of;
  FoReportFlags flags;
  const char   *dir;
  gint64        total;
  gboolean      tty;
  GThreadPool  *pool;
  guint         max_queued;

  GMutex        lock;           /* guards everything below */
  GCond         cond;
  guint         queued;
  guint         done;
  guint         written;
  guint         skipped;
  int           shown;
  GError       *error;
} ReportBatch;

static void
show_report_progress (ReportBatch *batch)
{
  int percent = batch->total > 0 ? (int) (100 * batch->done / batch->total) : 100;

  /* On a terminal, one line rewritten in place; in a log, a line every 10%. */
  if (!batch->tty && percent / 10 == batch->shown / 10 && batch->done < batch->total)
    return;
  if (batch->tty)
    fputc ('\r', stderr);
  fprintf (stderr, _("%3d%%  %u of %lld families"), percent, batch->done,
           (long long) batch->total);
  if (!batch->tty || batch->done == batch->total)
    fputc ('\n', stderr);
  batch->shown = percent;
}

static void
report_worker (gpointer data,
               gpointer user_data)
{
  g_autoptr(FoFamily) family = data;
  ReportBatch *batch = user_data;
  const FoPlan *plan = fo_plan_set_lookup (batch->plans, family->plan);
  g_autoptr(GError) error = NULL;
  gboolean stopped, written = FALSE;

  g_mutex_lock (&batch->lock);
  stopped = batch->error != NULL;
  g_mutex_unlock (&batch->lock);
  if (plan != NULL && !stopped)
    {
      g_autofree char *file = report_file_name (batch->dir, family->reference);

      written = write_report (plan, family, batch->as_of, batch->flags, file, NULL, &error);
    }

  g_mutex_lock (&batch->lock);
  batch->queued--;
  batch->done++;
  if (plan == NULL)
    batch->skipped++;
  else if (written)
    batch->written++;
  else if (error != NULL && batch->error == NULL)
    batch->error = g_steal_pointer (&error);
  if (batch->error == NULL)
    show_report_progress (batch);
  g_cond_signal (&batch->cond);
  g_mutex_unlock (&batch->lock);
}

static gboolean
report_one (FoFamily *family,
            gint64    family_id,
            gint64    data_version,
            gpointer  user_data)
{
  ReportBatch *batch = user_data;
  gboolean stopped;

  /* A few families wait for each worker; the rest stay in the store until their turn. */
  g_mutex_lock (&batch->lock);
  while (batch->queued >= batch->max_queued && batch->error == NULL)
    g_cond_wait (&batch->cond, &batch->lock);
  stopped = batch->error != NULL;
  if (!stopped)
    batch->queued++;
  g_mutex_unlock (&batch->lock);
  if (stopped)
    {
      fo_family_free (family);
      return FALSE;
    }
  g_thread_pool_push (batch->pool, family, NULL);
  return TRUE;
}

/* The family progress report as a PDF: one family's, or every family's into a folder. */
static int
cmd_report (int    argc,
            char **argv)
{
  g_auto(EvaluateOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = NULL;
  g_autoptr(FoPlan) forced = NULL;
  FoReportFlags flags;
  FoDay as_of;
  int status;

  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK ||
      (status = parse_as_of (&options, &as_of)) != EXIT_OK ||
      (status = no_extra_arguments (&options)) != EXIT_OK)
    return status;
  if (options.all)
    {
      if (options.family_file != NULL)
        return fail (_("--all and --family cannot be used together"));
      if (options.out_dir == NULL)
        return fail (_("--all needs --out-dir DIR"));
    }
  else
    {
      if (options.family_file == NULL)
        return fail (_("--family REF is required (or --all --out-dir DIR for every family)"));
      if (options.out == NULL)
        return fail (_("--out FILE.pdf is required"));
    }
  flags = options.redact ? FO_REPORT_REDACT : FO_REPORT_DEFAULT;
  store = open_store (&options);
  if (store == NULL)
    return EXIT_BAD_INPUT;
  plans = load_plans (&options, &forced);
  if (plans == NULL)
    return EXIT_BAD_INPUT;

  if (!options.all)
    {
      g_autoptr(FoFamily) family = fo_store_load_family (store, options.family_file, NULL,
                                                         &error);
      const FoPlan *plan;
      guint pages = 0;

      if (family == NULL)
        return fail ("%s", error->message);
      plan = fo_plan_set_lookup (plans, family->plan);
      if (plan == NULL)
        return fail (_("no plan “%s” is loaded (use --plan FILE or --plans-dir DIR)"),
                     family->plan != NULL ? family->plan : "");
      if (!write_report (plan, family, as_of, flags, options.out, &pages, &error))
        return fail ("%s", error->message);
      printf (ngettext ("%s: %s, %u page\n", "%s: %s, %u pages\n", pages), family->reference,
              options.out, pages);
      return EXIT_OK;
    }

  {
    ReportBatch batch = { plans, as_of, flags, options.out_dir, 0, isatty (fileno (stderr)) };
    guint threads = CLAMP (g_get_num_processors (), 1, 8);
    gboolean read;

    /* The reports hold personal data: the folder is the user's alone when it is made here. */
    if (g_mkdir_with_parents (options.out_dir, 0700) != 0)
      return fail (_("%s: could not create the folder: %s"), options.out_dir,
                   g_strerror (errno));
    batch.total = fo_store_count_families (store, &error);
    if (batch.total < 0)
      return fail ("%s", error->message);
    batch.shown = -1;
    batch.max_queued = 2 * threads;
    g_mutex_init (&batch.lock);
    g_cond_init (&batch.cond);
    batch.pool = g_thread_pool_new (report_worker, &batch, threads, TRUE, NULL);
    read = fo_store_for_each_family (store, report_one, &batch, &error);
    /* Waits for the reports under way. */
    g_thread_pool_free (batch.pool, FALSE, TRUE);
    g_mutex_clear (&batch.lock);
    g_cond_clear (&batch.cond);
    if (batch.error != NULL)
      {
        if (batch.tty)
          fputc ('\n', stderr);
        status = fail ("%s", batch.error->message);
        g_clear_error (&batch.error);
        return status;
      }
    if (!read)
      return fail ("%s", error->message);
    printf (ngettext ("%u report written to %s", "%u reports written to %s", batch.written),
            batch.written, options.out_dir);
    if (batch.skipped > 0)
      printf (_("; %u skipped (no plan loaded for them)"), batch.skipped);
    putchar ('\n');
  }
  return EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fo_locale_dir ());
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
  if (g_str_equal (command, "claims"))
    return fo_cli_claims (argc - 1, argv + 1);
  if (g_str_equal (command, "users"))
    return fo_cli_users (argc - 1, argv + 1);
  if (g_str_equal (command, "audit"))
    return fo_cli_audit (argc - 1, argv + 1);
  if (g_str_equal (command, "report"))
    return cmd_report (argc - 1, argv + 1);
  if (g_str_equal (command, "backup"))
    return cmd_backup (argc - 1, argv + 1);
  print_usage (stderr);
  return fail (_("unknown command “%s”"), command);
}
