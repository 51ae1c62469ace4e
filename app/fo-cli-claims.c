/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "family-outcomes-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "fo-audit.h"
#include "fo-batch.h"
#include "fo-claims.h"
#include "fo-cli-claims.h"
#include "fo-store.h"

/*
 * family-outcomes-cli claims …, users … and audit …: the claim lifecycle for council data
 * teams and scripts (docs/claims.md). The rules live in fo-claims.c; this file reads options
 * and prints. Exit status: 0 done, 2 bad input or refused by the rules (one line on stderr),
 * 1 for `audit verify` finding the log or the claims tampered with.
 */

enum
{
  EXIT_OK = 0,
  EXIT_BROKEN = 1,
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

typedef struct
{
  char     *db;
  char     *as;
  char     *plans_dir;
  char     *family;
  char     *route;
  char     *date;
  char     *reason;
  char     *name;
  char     *role;
  char     *plan_role;
  char     *state;
  char     *from;
  char     *to;
  char     *percent;
  char     *seed;
  char     *return_ref;
  char     *out;
  gboolean  queue;
  gboolean  json;
  gboolean  csv;
  gboolean  mark_returned;
  char    **rest;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->db);
  g_free (options->as);
  g_free (options->plans_dir);
  g_free (options->family);
  g_free (options->route);
  g_free (options->date);
  g_free (options->reason);
  g_free (options->name);
  g_free (options->role);
  g_free (options->plan_role);
  g_free (options->state);
  g_free (options->from);
  g_free (options->to);
  g_free (options->percent);
  g_free (options->seed);
  g_free (options->return_ref);
  g_free (options->out);
  g_strfreev (options->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
parse_options (int      *argc,
               char   ***argv,
               Options  *options)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &options->db, N_("The database file"), "FILE" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &options->as, N_("Who you are: a user's name"), "USER" },
    { "plans-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->plans_dir,
      N_("Where the plan files are"), "DIR" },
    { "family", 0, 0, G_OPTION_ARG_STRING, &options->family, N_("The family's reference"),
      "REF" },
    { "route", 0, 0, G_OPTION_ARG_STRING, &options->route, N_("The plan's claim route"), "ID" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &options->date, N_("The claim date (default: today)"),
      "YYYY-MM-DD" },
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &options->date, N_("The same as --date"),
      "YYYY-MM-DD" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &options->reason, N_("Why"), "TEXT" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &options->name, N_("A user's name"), "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &options->role,
      N_("coordinator, supervisor or auditor"), "ROLE" },
    { "plan-role", 0, 0, G_OPTION_ARG_STRING, &options->plan_role,
      N_("A role the plan names, such as business_manager (comma-separated for several)"),
      "ROLE" },
    { "state", 0, 0, G_OPTION_ARG_STRING, &options->state, N_("Only claims in this state"),
      "STATE" },
    { "queue", 0, 0, G_OPTION_ARG_NONE, &options->queue,
      N_("Only the claims waiting for you (with --as)"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &options->from, N_("The period's first day"),
      "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &options->to, N_("The period's last day"), "YYYY-MM-DD" },
    { "percent", 0, 0, G_OPTION_ARG_STRING, &options->percent, N_("How much to sample"), "P" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &options->seed, N_("The sample's seed"), "N" },
    { "mark-returned", 0, 0, G_OPTION_ARG_NONE, &options->mark_returned,
      N_("Record the exported claims as included in a return (a supervisor, with --as)"),
      NULL },
    { "return-ref", 0, 0, G_OPTION_ARG_STRING, &options->return_ref,
      N_("The return's reference, with --mark-returned"), "TEXT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &options->out, N_("Write to this file"), "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json, N_("Print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &options->csv, N_("Print CSV"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->rest, NULL, NULL },
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
parse_day (const char *option,
           const char *text,
           FoDay      *out_day)
{
  *out_day = 0;
  if (text != NULL && !fo_day_parse (text, out_day))
    return fail (_("%s: “%s” is not a valid date (YYYY-MM-DD)"), option, text);
  return EXIT_OK;
}

/* The claim date: --date, or today, read here so that the library never guesses it. */
static int
claim_date (const Options *options,
            FoDay         *out_day)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *today = NULL;

  if (options->date != NULL)
    return parse_day ("--date", options->date, out_day);
  now = g_date_time_new_now_local ();
  today = g_date_time_format (now, "%Y-%m-%d");
  fo_day_parse (today, out_day);
  return EXIT_OK;
}

static FoStore *
open_store (const Options *options)
{
  g_autoptr(GError) error = NULL;
  FoStore *store;

  if (options->db == NULL)
    {
      fail (_("--db FILE is required"));
      return NULL;
    }
  /* Reading commands must not create an empty database by mistake. */
  if (!g_file_test (options->db, G_FILE_TEST_EXISTS))
    {
      fail (_("%s: no such database"), options->db);
      return NULL;
    }
  store = fo_store_open (options->db, &error);
  if (store == NULL)
    fail ("%s", error->message);
  return store;
}

/* The plans, from --plans-dir, $FO_PLANS_DIR, the installed plans or ./plans, as for the
 * other commands. */
static FoPlanSet *
load_plans (const Options *options)
{
  g_autoptr(FoPlanSet) set = fo_plan_set_new ();
  g_autoptr(GError) error = NULL;
  const char *dir = options->plans_dir;

  if (dir == NULL)
    dir = g_getenv ("FO_PLANS_DIR");
  if (dir == NULL)
    dir = g_file_test (PLANS_DIR, G_FILE_TEST_IS_DIR) ? PLANS_DIR : "plans";
  if (!fo_plan_set_add_dir (set, dir, &error))
    {
      fail ("%s", error->message);
      return NULL;
    }
  return g_steal_pointer (&set);
}

static int
require_as (const Options *options)
{
  if (options->as == NULL)
    return fail (_("--as USER is required: claims record who changed them"));
  return EXIT_OK;
}

/* The one claim id a command acts on, as its only positional argument. */
static int
claim_id (const Options *options,
          gint64        *out_id)
{
  guint64 id = 0;

  if (options->rest == NULL || options->rest[0] == NULL)
    return fail (_("which claim? Give its number, as “claims list” shows it"));
  if (options->rest[1] != NULL)
    return fail (_("unexpected argument “%s”"), options->rest[1]);
  if (!g_ascii_string_to_unsigned (options->rest[0], 10, 1, G_MAXINT64, &id, NULL))
    return fail (_("“%s” is not a claim number"), options->rest[0]);
  *out_id = (gint64) id;
  return EXIT_OK;
}

static int
no_arguments (const Options *options)
{
  if (options->rest != NULL && options->rest[0] != NULL)
    return fail (_("unexpected argument “%s”"), options->rest[0]);
  return EXIT_OK;
}

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "-";
}

/* The day part of a stored timestamp, for tables. */
static char *
day_part (const char *timestamp)
{
  return timestamp != NULL ? g_strndup (timestamp, 10) : g_strdup ("-");
}

static void
print_claim_line (const FoClaim *claim)
{
  char day[11];
  g_autofree char *submitted = day_part (claim->submitted_at);

  fo_day_format_buf (claim->claim_date, day);
  printf ("%-6" G_GINT64_FORMAT " %-16s %-24s %-11s %-10s %-20s %-10s %s\n", claim->id,
          claim->reference, claim->route, fo_claim_state_names[claim->state], day,
          claim->prepared_by, submitted, or_dash (claim->decided_by));
}

static int
print_claim (const FoClaim *claim,
             gboolean       json)
{
  char day[11];

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "claim");
      json_builder_add_value (builder, fo_claim_to_json (claim));
      json_builder_set_member_name (builder, "snapshot");
      if (claim->snapshot != NULL)
        json_builder_add_value (builder, json_from_string (claim->snapshot, NULL));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      puts (text);
      return EXIT_OK;
    }

  fo_day_format_buf (claim->claim_date, day);
  printf (_("Claim %lld: %s\n"), (long long) claim->id,
          fo_claim_state_label (claim->state));
  printf (_("  Family:      %s (plan %s)\n"), claim->reference, claim->plan);
  printf (_("  Route:       %s\n"), claim->route);
  printf (_("  Claim date:  %s\n"), day);
  printf (_("  Prepared:    %s, %s\n"), claim->prepared_by, claim->prepared_at);
  if (claim->submitted_by != NULL)
    printf (_("  Submitted:   %s, %s (submission %d)\n"), claim->submitted_by,
            claim->submitted_at, claim->submission);
  if (claim->decided_by != NULL)
    printf (claim->state == FO_CLAIM_REJECTED ? _("  Rejected:    %s, %s: %s\n")
                                               : _("  Approved:    %s, %s%s\n"),
            claim->decided_by, claim->decided_at,
            claim->state == FO_CLAIM_REJECTED ? claim->decision_reason : "");
  if (claim->returned_by != NULL)
    printf (_("  Returned:    %s, %s (%s)\n"), claim->returned_by, claim->returned_at,
            or_dash (claim->return_ref));
  if (claim->ended_by != NULL)
    printf (_("  %s:   %s, %s: %s\n"), fo_claim_state_label (claim->state), claim->ended_by,
            claim->ended_at, or_dash (claim->end_reason));
  if (claim->submission > 0)
    {
      printf (_("  Plan:        version %s, SHA-256 %s\n"), or_dash (claim->plan_version),
              claim->plan_sha256);
      printf (_("  Family data: version %lld, SHA-256 %s\n"),
              (long long) claim->family_data_version, claim->family_sha256);
      printf (_("  Snapshot:    SHA-256 %s\n"), claim->snapshot_sha256);
    }
  for (guint i = 0; claim->needs_agreement_of[i] != NULL; i++)
    {
      const char *role = claim->needs_agreement_of[i];
      const FoClaimAgreement *found = NULL;

      for (guint j = 0; j < claim->agreements->len; j++)
        if (g_str_equal (((FoClaimAgreement *) g_ptr_array_index (claim->agreements, j))
                           ->plan_role, role))
          found = g_ptr_array_index (claim->agreements, j);
      if (found != NULL)
        printf (_("  Agreement:   %s: %s, %s\n"), role, found->agreed_by, found->agreed_at);
      else
        printf (_("  Agreement:   %s: not yet given\n"), role);
    }
  if (claim->snapshot != NULL)
    {
      g_autoptr(JsonNode) root = json_from_string (claim->snapshot, NULL);
      JsonObject *evaluation = NULL;

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        evaluation = json_object_get_object_member (json_node_get_object (root), "evaluation");
      if (evaluation != NULL && json_object_has_member (evaluation, "issues"))
        {
          JsonArray *issues = json_object_get_array_member (evaluation, "issues");

          printf (_("  Judged on:   claimable from %s; headline issues:"),
                  or_dash (json_object_get_string_member_with_default (evaluation,
                                                                       "claimable_from",
                                                                       NULL)));
          for (guint i = 0; i < json_array_get_length (issues); i++)
            {
              JsonObject *issue = json_array_get_object_element (issues, i);
              const char *status = json_object_get_string_member_with_default (issue, "status",
                                                                               "");

              if (!g_str_equal (status, "not_identified"))
                printf (" %s=%s", json_object_get_string_member_with_default (issue, "id", ""),
                        status);
            }
          putchar ('\n');
        }
    }
  return EXIT_OK;
}

static int
report_error (GError *error)
{
  return fail ("%s", error->message);
}

static int
cmd_prepare (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = NULL;
  FoDay day;
  gint64 id;
  int status;

  if ((status = no_arguments (options)) != EXIT_OK || (status = require_as (options)) != EXIT_OK ||
      (status = claim_date (options, &day)) != EXIT_OK)
    return status;
  if (options->family == NULL)
    return fail (_("--family REF is required"));
  if ((store = open_store (options)) == NULL || (plans = load_plans (options)) == NULL)
    return EXIT_BAD_INPUT;
  id = fo_claims_prepare (store, plans, options->as, options->family, options->route, day,
                          &error);
  if (id == 0)
    return report_error (error);
  {
    g_autoptr(FoClaim) claim = fo_claims_get (store, id, FALSE, &error);
    char text[11];

    if (claim == NULL)
      return report_error (error);
    fo_day_format_buf (claim->claim_date, text);
    printf (_("Claim %lld prepared for family %s by route “%s” as of %s "
              "(a draft: submit it when ready)\n"), (long long) id, claim->reference,
            claim->route, text);
  }
  return EXIT_OK;
}

static int
cmd_edit (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = NULL;
  FoDay day = 0;
  gint64 id;
  int status;

  if ((status = claim_id (options, &id)) != EXIT_OK ||
      (status = require_as (options)) != EXIT_OK ||
      (status = parse_day ("--date", options->date, &day)) != EXIT_OK)
    return status;
  if (options->route == NULL && day == 0)
    return fail (_("edit needs --route ID or --date YYYY-MM-DD"));
  if ((store = open_store (options)) == NULL || (plans = load_plans (options)) == NULL)
    return EXIT_BAD_INPUT;
  if (!fo_claims_edit (store, plans, options->as, id, options->route, day, &error))
    return report_error (error);
  printf (_("Claim %lld edited (a draft again)\n"), (long long) id);
  return EXIT_OK;
}

static int
cmd_submit (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = NULL;
  g_autoptr(FoClaim) claim = NULL;
  gint64 id;
  int status;

  if ((status = claim_id (options, &id)) != EXIT_OK || (status = require_as (options)) != EXIT_OK)
    return status;
  if ((store = open_store (options)) == NULL || (plans = load_plans (options)) == NULL)
    return EXIT_BAD_INPUT;
  if (!fo_claims_submit (store, plans, options->as, id, &error) ||
      (claim = fo_claims_get (store, id, FALSE, &error)) == NULL)
    return report_error (error);
  printf (_("Claim %lld submitted for sign-off; snapshot %s frozen\n"), (long long) id,
          claim->snapshot_sha256);
  if (claim->needs_agreement_of[0] != NULL)
    {
      g_autofree char *roles = g_strjoinv (", ", claim->needs_agreement_of);

      printf (_("It needs the agreement of: %s\n"), roles);
    }
  return EXIT_OK;
}

static int
cmd_agree (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  gint64 id;
  int status;

  if ((status = claim_id (options, &id)) != EXIT_OK || (status = require_as (options)) != EXIT_OK)
    return status;
  if (options->plan_role == NULL)
    return fail (_("--plan-role ROLE is required: the plan's role you agree as"));
  if ((store = open_store (options)) == NULL)
    return EXIT_BAD_INPUT;
  if (!fo_claims_agree (store, options->as, id, options->plan_role, &error))
    return report_error (error);
  printf (_("Claim %lld: %s agreed as %s\n"), (long long) id, options->as,
          options->plan_role);
  return EXIT_OK;
}

static int
cmd_approve (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoPlanSet) plans = NULL;
  gint64 id;
  int status;

  if ((status = claim_id (options, &id)) != EXIT_OK || (status = require_as (options)) != EXIT_OK)
    return status;
  if ((store = open_store (options)) == NULL || (plans = load_plans (options)) == NULL)
    return EXIT_BAD_INPUT;
  if (!fo_claims_approve (store, plans, options->as, id, &error))
    return report_error (error);
  printf (_("Claim %lld approved by %s\n"), (long long) id, options->as);
  return EXIT_OK;
}

typedef gboolean (*ReasonFunc) (FoStore     *store,
                                const char  *actor,
                                gint64       id,
                                const char  *reason,
                                GError     **error);

/* reject, withdraw and reverse: a claim, a person and a reason. */
static int
cmd_with_reason (Options    *options,
                 ReasonFunc  func,
                 const char *done)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  gint64 id;
  int status;

  if ((status = claim_id (options, &id)) != EXIT_OK || (status = require_as (options)) != EXIT_OK)
    return status;
  if ((store = open_store (options)) == NULL)
    return EXIT_BAD_INPUT;
  if (!func (store, options->as, id, options->reason, &error))
    return report_error (error);
  printf (done, (long long) id, options->as);
  return EXIT_OK;
}

static int
cmd_list (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  FoClaimFilter filter = FO_CLAIM_FILTER_INIT;
  int status;

  if ((status = no_arguments (options)) != EXIT_OK)
    return status;
  if (options->state != NULL)
    {
      filter.state = -1;
      for (int s = 0; s < FO_N_CLAIM_STATES; s++)
        if (g_str_equal (options->state, fo_claim_state_names[s]))
          filter.state = s;
      if (filter.state < 0)
        {
          g_autofree char *states = g_strjoinv (", ", (char **) fo_claim_state_names);

          return fail (_("--state: unknown state “%s” (expected one of: %s)"), options->state,
                       states);
        }
    }
  if (options->queue)
    {
      if ((status = require_as (options)) != EXIT_OK)
        return status;
      filter.queue_for = options->as;
    }
  filter.reference = options->family;
  if ((store = open_store (options)) == NULL)
    return EXIT_BAD_INPUT;
  claims = fo_claims_list (store, &filter, &error);
  if (claims == NULL)
    return report_error (error);
  printf ("%-6s %-16s %-24s %-11s %-10s %-20s %-10s %s\n", _("claim"), _("family"), _("route"),
          _("state"), _("date"), _("prepared by"), _("submitted"), _("decided by"));
  for (guint i = 0; i < claims->len; i++)
    print_claim_line (g_ptr_array_index (claims, i));
  if (options->queue)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u claim waits for %s\n", "%u claims wait for %s\n",
                         claims->len), claims->len, options->as);
  else
    printf (g_dngettext (GETTEXT_PACKAGE, "%u claim\n", "%u claims\n", claims->len),
            claims->len);
  return EXIT_OK;
}

static int
cmd_show (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(FoClaim) claim = NULL;
  gint64 id;
  int status;

  if ((status = claim_id (options, &id)) != EXIT_OK)
    return status;
  if ((store = open_store (options)) == NULL)
    return EXIT_BAD_INPUT;
  claim = fo_claims_get (store, id, TRUE, &error);
  if (claim == NULL)
    return report_error (error);
  return print_claim (claim, options->json);
}

static int
write_output (const Options *options,
              const char    *text)
{
  g_autoptr(GError) error = NULL;

  if (options->out == NULL)
    {
      fputs (text, stdout);
      return EXIT_OK;
    }
  if (!g_file_set_contents_full (options->out, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    return fail ("%s", error->message);
  return EXIT_OK;
}

static int
cmd_export (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(GArray) returnable = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *csv = NULL;
  FoDay from, to;
  int status;

  if ((status = no_arguments (options)) != EXIT_OK ||
      (status = parse_day ("--from", options->from, &from)) != EXIT_OK ||
      (status = parse_day ("--to", options->to, &to)) != EXIT_OK)
    return status;
  if (from == 0 || to == 0)
    return fail (_("export needs the period: --from YYYY-MM-DD --to YYYY-MM-DD"));
  if (to < from)
    return fail (_("--to is before --from"));
  if (options->json)
    return fail (_("export writes CSV only"));
  if (options->mark_returned && (status = require_as (options)) != EXIT_OK)
    return status;
  if (!options->mark_returned && options->return_ref != NULL)
    return fail (_("--return-ref goes with --mark-returned"));
  if ((store = open_store (options)) == NULL)
    return EXIT_BAD_INPUT;
  csv = fo_claims_export_csv (store, from, to, returnable, &error);
  if (csv == NULL)
    return report_error (error);
  /* Marked only once the file is written: a return that failed to save is not a return. */
  if ((status = write_output (options, csv)) != EXIT_OK)
    return status;
  if (options->mark_returned)
    {
      g_autofree char *reference = options->return_ref != NULL
                                   ? g_strdup (options->return_ref)
                                   : g_strdup_printf ("%s..%s", options->from, options->to);

      if (!fo_claims_mark_returned (store, options->as, (gint64 *) returnable->data,
                                    returnable->len, reference, &error))
        return report_error (error);
      fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                    "%u claim recorded as included in return %s\n",
                                    "%u claims recorded as included in return %s\n",
                                    returnable->len), returnable->len, reference);
    }
  return EXIT_OK;
}

static int
cmd_sample (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  g_autoptr(GPtrArray) sample = NULL;
  g_autoptr(GPtrArray) all = NULL;
  double percent;
  guint64 seed;
  char *end = NULL;
  FoDay from, to;
  int status;

  if ((status = no_arguments (options)) != EXIT_OK ||
      (status = parse_day ("--from", options->from, &from)) != EXIT_OK ||
      (status = parse_day ("--to", options->to, &to)) != EXIT_OK)
    return status;
  if (options->percent == NULL || options->seed == NULL)
    return fail (_("sample needs --percent P and --seed N, so that it can be drawn again"));
  percent = g_ascii_strtod (options->percent, &end);
  if (end == options->percent || *end != '\0' || !(percent > 0 && percent <= 100))
    return fail (_("--percent: “%s” is not a number above 0 and at most 100"), options->percent);
  if (!g_ascii_string_to_unsigned (options->seed, 10, 0, G_MAXUINT32, &seed, NULL))
    return fail (_("--seed: “%s” is not a whole number from 0 to %u"), options->seed,
                 G_MAXUINT32);
  if ((store = open_store (options)) == NULL)
    return EXIT_BAD_INPUT;
  all = fo_claims_approved_between (store, from, to, &error);
  if (all == NULL || (sample = fo_claims_sample (store, percent, (guint32) seed, from, to,
                                                 &error)) == NULL)
    return report_error (error);
  puts ("claim_id,family_reference,route,claim_date,approved_on,approved_by");
  for (guint i = 0; i < sample->len; i++)
    {
      const FoClaim *claim = g_ptr_array_index (sample, i);
      g_autofree char *approved = day_part (claim->decided_at);
      char day[11];

      fo_day_format_buf (claim->claim_date, day);
      printf ("%" G_GINT64_FORMAT ",%s,%s,%s,%s,%s\n", claim->id, claim->reference,
              claim->route, day, approved, claim->decided_by);
    }
  fprintf (stderr, _("%u of %u approved claims drawn (%s%%, seed %s)\n"), sample->len, all->len,
           options->percent, options->seed);
  return EXIT_OK;
}

int
fo_cli_claims (int    argc,
               char **argv)
{
  g_auto(Options) options = { 0 };
  const char *command;
  int status;

  if (argc < 2)
    return fail (_("claims needs a command: prepare, edit, submit, agree, approve, reject, "
                   "withdraw, reverse, list, show, export or sample"));
  command = argv[1];
  argc--;
  argv++;
  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK)
    return status;
  if (g_str_equal (command, "prepare"))
    return cmd_prepare (&options);
  if (g_str_equal (command, "edit"))
    return cmd_edit (&options);
  if (g_str_equal (command, "submit"))
    return cmd_submit (&options);
  if (g_str_equal (command, "agree"))
    return cmd_agree (&options);
  if (g_str_equal (command, "approve"))
    return cmd_approve (&options);
  if (g_str_equal (command, "reject"))
    return cmd_with_reason (&options, fo_claims_reject,
                            _("Claim %lld rejected by %s: back to its "
                              "coordinator\n"));
  if (g_str_equal (command, "withdraw"))
    return cmd_with_reason (&options, fo_claims_withdraw,
                            _("Claim %lld withdrawn by %s\n"));
  if (g_str_equal (command, "reverse"))
    return cmd_with_reason (&options, fo_claims_reverse,
                            _("Claim %lld reversed by %s\n"));
  if (g_str_equal (command, "list"))
    return cmd_list (&options);
  if (g_str_equal (command, "show"))
    return cmd_show (&options);
  if (g_str_equal (command, "export"))
    return cmd_export (&options);
  if (g_str_equal (command, "sample"))
    return cmd_sample (&options);
  return fail (_("unknown claims command “%s”"), command);
}

int
fo_cli_users (int    argc,
              char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  const char *command;
  int status;

  if (argc < 2)
    return fail (_("users needs a command: add or list"));
  command = argv[1];
  argc--;
  argv++;
  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK ||
      (status = no_arguments (&options)) != EXIT_OK)
    return status;

  if (g_str_equal (command, "add"))
    {
      g_auto(GStrv) plan_roles = NULL;
      int role = -1;

      if (options.name == NULL || options.role == NULL)
        return fail (_("users add needs --name NAME and --role coordinator|supervisor|auditor"));
      for (int r = 0; fo_user_role_names[r] != NULL; r++)
        if (g_str_equal (options.role, fo_user_role_names[r]))
          role = r;
      if (role < 0)
        return fail (_("--role: “%s” is not coordinator, supervisor or auditor"), options.role);
      if (options.plan_role != NULL)
        plan_roles = g_strsplit (options.plan_role, ",", -1);
      if (options.db == NULL)
        return fail (_("--db FILE is required"));
      /* Adding the first user is how a database is set up, so it may be created here. */
      store = fo_store_open (options.db, &error);
      if (store == NULL)
        return report_error (error);
      if (!fo_users_add (store, options.as, options.name, role,
                         (const char *const *) plan_roles, &error))
        return report_error (error);
      printf (_("User %s added as %s\n"), options.name, fo_user_role_names[role]);
      return EXIT_OK;
    }
  if (g_str_equal (command, "list"))
    {
      g_autoptr(GPtrArray) users = NULL;

      if ((store = open_store (&options)) == NULL)
        return EXIT_BAD_INPUT;
      users = fo_users_list (store, &error);
      if (users == NULL)
        return report_error (error);
      for (guint i = 0; i < users->len; i++)
        {
          const FoUser *user = g_ptr_array_index (users, i);
          g_autofree char *roles = g_strjoinv (",", user->plan_roles);

          printf ("%-24s %-12s %s\n", user->name, fo_user_role_names[user->role], roles);
        }
      return EXIT_OK;
    }
  return fail (_("unknown users command “%s”"), command);
}

static void
print_record (const FoAuditRecord *record)
{
  g_autoptr(JsonNode) before = record->before ? json_from_string (record->before, NULL) : NULL;
  g_autoptr(JsonNode) after = record->after ? json_from_string (record->after, NULL) : NULL;
  const char *from = NULL, *to = NULL;

  /* A claim's change of state in a word; other records by what they touched. */
  if (g_strcmp0 (record->entity, "claim") == 0)
    {
      if (before != NULL && JSON_NODE_HOLDS_OBJECT (before))
        from = json_object_get_string_member_with_default (json_node_get_object (before),
                                                           "state", NULL);
      if (after != NULL && JSON_NODE_HOLDS_OBJECT (after))
        to = json_object_get_string_member_with_default (json_node_get_object (after), "state",
                                                         NULL);
    }
  printf ("%-6" G_GINT64_FORMAT " %s  %-20s %-9s %s %s", record->id, record->at, record->actor,
          record->action, record->entity, or_dash (record->entity_id));
  if (to != NULL)
    printf (" (%s → %s)", from != NULL ? from : "new", to);
  putchar ('\n');
}

static JsonNode *
record_to_json (const FoAuditRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *texts[] = { "before", record->before, "after", record->after };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, record->id);
  fo_json_builder_set_string (builder, "at", record->at);
  fo_json_builder_set_string (builder, "actor", record->actor);
  fo_json_builder_set_string (builder, "action", record->action);
  fo_json_builder_set_string (builder, "entity", record->entity);
  fo_json_builder_set_string (builder, "entity_id", record->entity_id);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i += 2)
    {
      JsonNode *node = texts[i + 1] != NULL ? json_from_string (texts[i + 1], NULL) : NULL;

      json_builder_set_member_name (builder, texts[i]);
      /* Bulk records hold plain text, not JSON. */
      if (node == NULL && texts[i + 1] != NULL)
        json_builder_add_string_value (builder, texts[i + 1]);
      else if (node != NULL)
        json_builder_add_value (builder, node);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

int
fo_cli_audit (int    argc,
              char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = NULL;
  const char *command;
  int status;

  if (argc < 2)
    return fail (_("audit needs a command: verify or log"));
  command = argv[1];
  argc--;
  argv++;
  if ((status = parse_options (&argc, &argv, &options)) != EXIT_OK ||
      (status = no_arguments (&options)) != EXIT_OK)
    return status;
  if (!g_str_equal (command, "verify") && !g_str_equal (command, "log"))
    return fail (_("unknown audit command “%s”"), command);
  if ((store = open_store (&options)) == NULL)
    return EXIT_BAD_INPUT;

  if (g_str_equal (command, "verify"))
    {
      g_autoptr(FoAuditReport) report = fo_audit_verify (store, &error);

      if (report == NULL)
        return report_error (error);
      if (fo_audit_report_ok (report))
        {
          printf (_("The audit log is intact: %llu records; the claims agree "
                    "with it\nHead hash: %s\n"), (unsigned long long) report->records,
                  report->head_hash);
          return EXIT_OK;
        }
      for (guint i = 0; i < report->problems->len; i++)
        printf ("%s\n", (char *) g_ptr_array_index (report->problems, i));
      if (report->first_broken != 0)
        fprintf (stderr, _("family-outcomes-cli: the audit log is broken from record %lld: %s\n"),
                 (long long) report->first_broken,
                 (char *) g_ptr_array_index (report->problems, 0));
      else
        fprintf (stderr, _("family-outcomes-cli: the audit log's chain is intact, but: %s\n"),
                 (char *) g_ptr_array_index (report->problems, 0));
      return EXIT_BROKEN;
    }

  {
    g_autoptr(GPtrArray) records = fo_audit_history (store, options.family, &error);

    if (records == NULL)
      return report_error (error);
    if (options.json)
      {
        g_autoptr(JsonArray) array = json_array_new ();
        g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
        g_autofree char *text = NULL;

        for (guint i = 0; i < records->len; i++)
          json_array_add_element (array, record_to_json (g_ptr_array_index (records, i)));
        json_node_set_array (root, array);
        text = json_to_string (root, TRUE);
        puts (text);
      }
    else
      for (guint i = 0; i < records->len; i++)
        print_record (g_ptr_array_index (records, i));
  }
  return EXIT_OK;
}
