/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "family-outcomes-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "fo-evaluator.h"
#include "fo-explain.h"
#include "fo-family.h"
#include "fo-plan.h"

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
  gboolean  json;
} EvaluateOptions;

static int
parse_evaluate_options (int             *argc,
                        char          ***argv,
                        gboolean         want_indicator,
                        EvaluateOptions *options)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "plan", 0, 0, G_OPTION_ARG_FILENAME, &options->plan_file, N_("The plan file"), "FILE" },
    { "family", 0, 0, G_OPTION_ARG_FILENAME, &options->family_file, N_("The family file"), "FILE" },
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &options->as_of_text, N_("Evaluate as of this date"),
      "YYYY-MM-DD" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json, N_("Print JSON"), NULL },
    { "indicator", 0, 0, G_OPTION_ARG_STRING, &options->indicator, N_("The indicator id"), "ID" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    return fail ("%s", error->message);
  if (*argc > 1)
    return fail (_("unexpected argument “%s”"), (*argv)[1]);
  if (options->plan_file == NULL)
    return fail (_("--plan FILE is required"));
  if (options->family_file == NULL)
    return fail (_("--family FILE is required"));
  if (want_indicator && options->indicator == NULL)
    return fail (_("--indicator ID is required"));
  return EXIT_OK;
}

static int
cmd_evaluate (int      argc,
              char   **argv,
              gboolean explain_one)
{
  EvaluateOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlan) plan = NULL;
  g_autoptr(FoFamily) family = NULL;
  g_autoptr(FoEvaluation) evaluation = NULL;
  FoDay as_of;
  int status;

  status = parse_evaluate_options (&argc, &argv, explain_one, &options);
  if (status != EXIT_OK)
    goto out;

  if (options.as_of_text != NULL)
    {
      if (!fo_day_parse (options.as_of_text, &as_of))
        {
          status = fail (_("--as-of: “%s” is not a valid date (YYYY-MM-DD)"), options.as_of_text);
          goto out;
        }
    }
  else
    {
      /* The command line reads the clock so that the evaluator never has to. */
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      fo_day_parse (today, &as_of);
    }

  plan = fo_plan_load_file (options.plan_file, &error);
  if (plan == NULL)
    {
      status = fail ("%s", error->message);
      goto out;
    }
  family = fo_family_load_file (options.family_file, &error);
  if (family == NULL)
    {
      status = fail ("%s", error->message);
      goto out;
    }
  if (family->plan != NULL && g_strcmp0 (family->plan, plan->id) != 0)
    g_printerr (_("family-outcomes-cli: note: the family names plan “%s”; evaluating against “%s”\n"),
                family->plan, plan->id);

  evaluation = fo_evaluate (plan, family, as_of, FO_EVALUATE_EXPLAIN);
  if (explain_one)
    {
      g_autofree char *text = fo_explain_indicator (evaluation, options.indicator, &error);

      if (text == NULL)
        {
          status = fail ("%s", error->message);
          goto out;
        }
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

out:
  g_free (options.plan_file);
  g_free (options.family_file);
  g_free (options.as_of_text);
  g_free (options.indicator);
  return status;
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
  print_usage (stderr);
  return fail (_("unknown command “%s”"), command);
}
