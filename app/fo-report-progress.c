/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-report"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-report.h"
#include "fo-star-chart.h"

/* The family progress report: what a key worker and a supervisor read and sign. It is built
 * from the report's public pieces only, as the claim evidence pack will be. The wording of
 * states, reasons and dates is the evaluator's and fo-explain's, so that the report says what
 * the screen and the command line say. */

#define STAR_CHART_HEIGHT 292.0

static const char *const role_labels[] = {
  N_("Parent"), N_("Carer"), N_("Child"), N_("Other"),
};

static const char *const issue_states[] = {
  N_("not identified"), N_("identified, not yet met"), N_("met"),
};

static char *
day_text (FoDay day)
{
  return day != 0 ? fo_day_format (day) : g_strdup ("—");
}

/* "support_completed" as words. */
static char *
words (const char *identifier)
{
  char *text = g_strdup (identifier != NULL ? identifier : "");

  g_strdelimit (text, "_", ' ');
  return text;
}

static void
add_summary (FoReport           *report,
             const FoEvaluation *evaluation)
{
  const FoFamily *family = evaluation->family;
  const FoPlan *plan = evaluation->plan;
  g_autofree char *plan_text = NULL;
  g_autofree char *as_of = fo_day_format (evaluation->as_of);
  g_autofree char *entry = fo_day_format (family->entry_date);
  g_autofree char *programme = NULL;
  g_autofree char *eligible = NULL;
  g_autofree char *claim = NULL;

  plan_text = g_strdup_printf (_("%s — %s (version %s)"), plan->title, plan->council,
                               plan->version);
  if (family->closure_date != 0)
    {
      g_autofree char *closed = fo_day_format (family->closure_date);
      g_autofree char *reason = words (family->closure_reason);

      programme = family->closure_reason != NULL
        ? g_strdup_printf (_("Entered %s; closed %s (%s)"), entry, closed, reason)
        : g_strdup_printf (_("Entered %s; closed %s"), entry, closed);
    }
  else
    programme = g_strdup_printf (_("Entered %s; open"), entry);
  eligible = g_strdup_printf (_("%s (%u headline issue(s), %u indicator(s) identified)"),
                              evaluation->eligible ? _("yes") : _("no"),
                              evaluation->n_issues_identified,
                              evaluation->n_indicators_identified);
  if (evaluation->claimable)
    {
      g_autofree char *from = fo_day_format (evaluation->claimable_from);

      claim = g_strdup_printf (_("yes, from %s, by “%s”"), from, evaluation->route->title);
    }
  else if (evaluation->projected_claimable != 0)
    {
      g_autofree char *projected = fo_day_format (evaluation->projected_claimable);

      claim = g_strdup_printf (_("no; claimable on %s if every part keeps holding"), projected);
    }
  else
    claim = g_strdup (_("no"));

  fo_report_add_heading (report, 0, _("Family progress report"));
  fo_report_add_field (report, _("Family reference"), family->reference);
  if (!fo_report_get_redacted (report) && family->name != NULL)
    fo_report_add_field (report, _("Family"), family->name);
  fo_report_add_field (report, _("Plan"), plan_text);
  fo_report_add_field (report, _("As of"), as_of);
  fo_report_add_field (report, _("Key worker"),
                       family->key_worker != NULL ? family->key_worker : _("not recorded"));
  fo_report_add_field (report, _("Programme"), programme);
  fo_report_add_field (report, _("Eligible"), eligible);
  fo_report_add_field (report, _("Claimable"), claim);
  if (!evaluation->claimable && evaluation->blockers->len > 0)
    {
      g_autoptr(GString) text = g_string_new (_("Not yet claimable because:"));

      for (guint i = 0; i < evaluation->blockers->len; i++)
        g_string_append_printf (text, "\n• %s",
                                (char *) g_ptr_array_index (evaluation->blockers, i));
      fo_report_add_note (report, text->str);
    }
  if (fo_report_get_redacted (report))
    fo_report_add_note (report, _("Redacted copy: family members appear by their initials and "
                                  "year of birth only."));
}

static void
add_issue_overview (FoReport           *report,
                    const FoEvaluation *evaluation)
{
  const double widths[] = { 0.55, 0.2, 0.25 };
  const char *const titles[] = { _("Headline issue"), _("Indicators identified"),
                                 _("Status") };
  FoReportTable *table;

  fo_report_add_heading (report, 1, _("Headline issues at a glance"));
  table = fo_report_add_table (report, G_N_ELEMENTS (widths), widths, titles);
  for (guint i = 0; i < evaluation->n_issues; i++)
    {
      const FoIssueResult *issue = &evaluation->issues[i];
      g_autofree char *name = g_strdup_printf ("%s %s", issue->issue->id, issue->issue->title);
      g_autofree char *identified = NULL;
      guint n = 0;
      guint row;

      for (guint j = 0; j < issue->n_indicators; j++)
        n += issue->indicators[j].identified;
      identified = g_strdup_printf (_("%u of %u"), n, issue->n_indicators);
      row = fo_report_table_add_row (table, (const char *const[]) {
                                       name, identified, _(issue_states[issue->state]) });
      fo_report_table_set_cell (table, row, 2, FO_REPORT_CELL_STRONG,
                                issue->state == FO_ISSUE_MET ? FO_REPORT_TONE_GOOD
                                : issue->state == FO_ISSUE_IDENTIFIED ? FO_REPORT_TONE_PARTIAL
                                : FO_REPORT_TONE_QUIET);
    }

  if (evaluation->routes->len > 1)
    {
      const double route_widths[] = { 0.45, 0.18, 0.37 };
      const char *const route_titles[] = { _("Claim route"), _("Claimable"), _("Detail") };
      FoReportTable *routes;

      fo_report_add_heading (report, 2, _("Claim routes"));
      routes = fo_report_add_table (report, G_N_ELEMENTS (route_widths), route_widths,
                                    route_titles);
      for (guint r = 0; r < evaluation->routes->len; r++)
        {
          const FoRouteResult *route = g_ptr_array_index (evaluation->routes, r);
          g_autoptr(GString) detail = g_string_new (NULL);
          guint row;

          if (route->claimable)
            {
              g_autofree char *from = fo_day_format (route->claimable_from);

              g_string_append_printf (detail, _("from %s"), from);
            }
          for (guint i = 0; !route->claimable && i < route->blockers->len; i++)
            g_string_append_printf (detail, "%s%s", i ? "\n" : "",
                                    (char *) g_ptr_array_index (route->blockers, i));
          row = fo_report_table_add_row (routes, (const char *const[]) {
                                           route->route->title,
                                           route->claimable ? _("claimable") : _("not claimable"),
                                           detail->len ? detail->str : "—" });
          fo_report_table_set_cell (routes, row, 1, FO_REPORT_CELL_STRONG,
                                    route->claimable ? FO_REPORT_TONE_GOOD
                                                     : FO_REPORT_TONE_NONE);
        }
    }
}

static void
add_members (FoReport           *report,
             const FoEvaluation *evaluation)
{
  const FoFamily *family = evaluation->family;
  gboolean redacted = fo_report_get_redacted (report);
  const double widths[] = { 0.34, 0.16, 0.2, 0.3 };
  const char *const titles[] = {
    redacted ? _("Initials") : _("Name"), _("Role"),
    redacted ? _("Year of birth") : _("Date of birth"), _("In the household"),
  };
  FoReportTable *table;

  fo_report_add_heading (report, 1, _("Family members"));
  if (family->members->len == 0)
    {
      fo_report_add_paragraph (report, _("No family members recorded."));
      return;
    }
  table = fo_report_add_table (report, G_N_ELEMENTS (widths), widths, titles);
  for (guint m = 0; m < family->members->len; m++)
    {
      const FoMember *member = fo_family_member (family, m);
      g_autofree char *born = NULL;
      g_autofree char *household = NULL;

      if (member->dob == 0)
        born = g_strdup (_("not recorded"));
      else if (redacted)
        born = g_strdup_printf ("%d", fo_day_year (member->dob));
      else
        {
          g_autofree char *dob = fo_day_format (member->dob);

          born = g_strdup_printf (_("%s (age %d)"), dob, fo_age_years (member->dob,
                                                                        evaluation->as_of));
        }
      if (member->household_from != 0 && member->household_to != 0)
        {
          g_autofree char *from = fo_day_format (member->household_from);
          g_autofree char *to = fo_day_format (member->household_to);

          household = g_strdup_printf (_("from %s to %s"), from, to);
        }
      else if (member->household_from != 0)
        {
          g_autofree char *from = fo_day_format (member->household_from);

          household = g_strdup_printf (_("from %s"), from);
        }
      else if (member->household_to != 0)
        {
          g_autofree char *to = fo_day_format (member->household_to);

          household = g_strdup_printf (_("until %s"), to);
        }
      else
        household = g_strdup (_("yes"));
      /* The report redacts the name to initials itself; the name is never drawn as it is. */
      fo_report_table_add_row (table, (const char *const[]) {
                                 member->name != NULL ? member->name : "—",
                                 _(role_labels[member->role]), born, household });
    }
}

static char *
member_names (const FoEvaluation      *evaluation,
              const FoIndicatorResult *indicator)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint m = 0; m < evaluation->family->members->len; m++)
    if (indicator->members & (G_GUINT64_CONSTANT (1) << m))
      g_string_append_printf (names, "%s%s", names->len ? ", " : "",
                              fo_family_member (evaluation->family, m)->name);
  if (indicator->family_level)
    g_string_append_printf (names, "%s%s", names->len ? ", " : "", _("the family"));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static FoReportTone
state_tone (FoState state)
{
  switch (state)
    {
    case FO_STATE_SUSTAINED: return FO_REPORT_TONE_GOOD;
    case FO_STATE_ACHIEVED: return FO_REPORT_TONE_PARTIAL;
    case FO_STATE_NOT_MET:
    case FO_STATE_INSUFFICIENT_DATA: return FO_REPORT_TONE_ATTENTION;
    case FO_STATE_NOT_APPLICABLE:
    default: return FO_REPORT_TONE_QUIET;
    }
}

static void
append_line (GString    *out,
             const char *format,
             FoDay       day)
{
  g_autofree char *text = NULL;

  if (day == 0)
    return;
  text = fo_day_format (day);
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append_printf (out, format, text);
}

static char *
outcome_dates (const FoOutcomeResult *outcome)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *progress = fo_progress_to_string (&outcome->progress);

  append_line (out, _("Achieved since %s"), outcome->achieved_since);
  append_line (out, _("Sustained since %s"), outcome->sustained_since);
  if (progress != NULL && outcome->state != FO_STATE_SUSTAINED &&
      outcome->state != FO_STATE_NOT_APPLICABLE)
    g_string_append_printf (out, _("%sProgress: %s"), out->len ? "\n" : "", progress);
  append_line (out, _("Sustained on %s if it keeps holding"), outcome->projected_sustained);
  if (outcome->state == FO_STATE_NOT_MET && outcome->held_from != 0 && outcome->held_to != 0)
    {
      g_autofree char *from = fo_day_format (outcome->held_from);
      g_autofree char *to = fo_day_format (outcome->held_to);

      g_string_append_printf (out, _("%sLast held %s to %s"), out->len ? "\n" : "", from, to);
    }
  if (out->len == 0)
    g_string_append (out, "—");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
add_outcome_row (FoReportTable         *table,
                 const FoOutcomeResult *outcome)
{
  g_autofree char *name = NULL;
  g_autofree char *dates = outcome_dates (outcome);
  guint row;

  name = g_strdup_printf (_("Outcome %s%s\n%s"), outcome->outcome->number,
                          outcome->outcome->supplementary ? _(" (supplementary)") : "",
                          outcome->outcome->text != NULL ? outcome->outcome->text : "");
  row = fo_report_table_add_row (table, (const char *const[]) {
                                   name, fo_state_label (outcome->state), dates,
                                   outcome->reason != NULL ? outcome->reason : "—" });
  fo_report_table_set_cell (table, row, 0, FO_REPORT_CELL_LEAD, FO_REPORT_TONE_NONE);
  fo_report_table_set_cell (table, row, 1, FO_REPORT_CELL_STRONG, state_tone (outcome->state));
}

static void
add_issues (FoReport           *report,
            const FoEvaluation *evaluation)
{
  const double widths[] = { 0.3, 0.14, 0.23, 0.33 };
  const char *const titles[] = { _("Indicator and outcome"), _("State"), _("Dates"),
                                 _("Explanation") };
  g_autofree char *as_of = fo_day_format (evaluation->as_of);
  g_autofree char *intro = NULL;

  fo_report_add_heading (report, 1, _("Headline issues and outcomes"));
  intro = g_strdup_printf (_("States as of %s. An outcome is sustained once it has held for as "
                             "long as the plan asks; an indicator that was not identified at "
                             "entry has no outcomes to meet."), as_of);
  fo_report_add_note (report, intro);
  fo_report_keep_with_next (report);
  for (guint i = 0; i < evaluation->n_issues; i++)
    {
      const FoIssueResult *issue = &evaluation->issues[i];
      g_autofree char *heading = g_strdup_printf ("%s %s — %s", issue->issue->id,
                                                  issue->issue->title,
                                                  _(issue_states[issue->state]));
      FoReportTable *table;

      fo_report_add_heading (report, 2, heading);
      table = fo_report_add_table (report, G_N_ELEMENTS (widths), widths, titles);
      for (guint j = 0; j < issue->n_indicators; j++)
        {
          const FoIndicatorResult *indicator = &issue->indicators[j];
          const FoIndicator *definition = indicator->indicator;
          g_autofree char *title = g_strdup_printf ("%s  %s", definition->id,
                                                    definition->title != NULL
                                                    ? definition->title : definition->number);

          if (!indicator->identified)
            {
              guint row = fo_report_table_add_row (table, (const char *const[]) {
                                                     title, _("Not identified"), "—",
                                                     indicator->reason != NULL &&
                                                     *indicator->reason != '\0'
                                                     ? indicator->reason : "—" });

              fo_report_table_set_cell (table, row, 1, FO_REPORT_CELL_STRONG,
                                        FO_REPORT_TONE_QUIET);
              continue;
            }
          {
            g_autofree char *names = member_names (evaluation, indicator);
            g_autoptr(GString) detail = g_string_new (NULL);

            g_string_append_printf (detail, _("Identified for %s%s — %s"), names,
                                    indicator->by_practitioner ? _(" (by a practitioner)") : "",
                                    indicator->met ? _("met") : _("not yet met"));
            if (indicator->met_since != 0)
              {
                g_autofree char *since = fo_day_format (indicator->met_since);

                g_string_append_printf (detail, _(" since %s"), since);
              }
            if (indicator->reason != NULL)
              g_string_append_printf (detail, "\n%s", indicator->reason);
            fo_report_table_add_group (table, title, detail->str);
          }
          for (guint k = 0; k < indicator->n_outcomes; k++)
            add_outcome_row (table, &indicator->outcomes[k]);
        }
    }
}

static void
draw_star_chart (cairo_t *cr,
                 double   width,
                 double   height,
                 gpointer user_data)
{
  FoStarChartStyle style;

  fo_star_chart_style_init_print (&style);
  fo_star_chart_draw (cr, width, height, user_data, &style);
}

static char *
reading_title (const char          *label,
               const FoStarReading *reading)
{
  g_autofree char *day = fo_day_format (reading->day);

  return g_strdup_printf ("%s\n%s, %s", label, day, fo_star_taken_by_label (reading->taken_by));
}

static void
add_star (FoReport           *report,
          const FoEvaluation *evaluation)
{
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (evaluation->family,
                                                            evaluation->as_of);
  const FoStarReading *first, *latest;
  FoReportTable *table;

  fo_report_add_heading (report, 1, _("Family Star Plus"));
  if (data->n_readings == 0)
    {
      fo_report_add_paragraph (report, _("No Family Star Plus readings recorded."));
      return;
    }
  first = fo_star_chart_data_first (data);
  latest = fo_star_chart_data_latest (data);
  fo_report_add_drawing (report, STAR_CHART_HEIGHT, draw_star_chart,
                         fo_star_chart_data_copy (data),
                         (GDestroyNotify) fo_star_chart_data_free);
  /* The chart and the table of its numbers are read together. */
  fo_report_keep_with_next (report);
  if (data->n_readings == 1)
    {
      const double widths[] = { 0.5, 0.5 };
      g_autofree char *only = reading_title (_("Reading"), first);
      const char *const titles[] = { _("Area"), only };

      table = fo_report_add_table (report, G_N_ELEMENTS (widths), widths, titles);
      fo_report_table_set_keep_together (table, TRUE);
      for (guint area = 0; area < FO_STAR_AREAS; area++)
        {
          g_autofree char *score = g_strdup_printf ("%d", first->scores[area]);

          fo_report_table_add_row (table, (const char *const[]) {
                                     fo_star_area_label (area), score });
        }
      return;
    }
  {
    const double widths[] = { 0.37, 0.21, 0.21, 0.21 };
    g_autofree char *first_title = reading_title (_("First"), first);
    g_autofree char *latest_title = reading_title (_("Latest"), latest);
    const char *const titles[] = { _("Area"), first_title, latest_title, _("Change") };

    table = fo_report_add_table (report, G_N_ELEMENTS (widths), widths, titles);
    fo_report_table_set_keep_together (table, TRUE);
    for (guint area = 0; area < FO_STAR_AREAS; area++)
      {
        int change = latest->scores[area] - first->scores[area];
        g_autofree char *a = g_strdup_printf ("%d", first->scores[area]);
        g_autofree char *b = g_strdup_printf ("%d", latest->scores[area]);
        g_autofree char *c = change > 0 ? g_strdup_printf ("+%d", change)
          : change < 0 ? g_strdup_printf ("−%d", -change) : g_strdup (_("no change"));

        fo_report_table_add_row (table, (const char *const[]) {
                                   fo_star_area_label (area), a, b, c });
      }
  }
  if (data->n_readings > 2)
    {
      g_autofree char *note = g_strdup_printf (
        ngettext ("%u reading in all; the chart shows each area's score at every one.",
                  "%u readings in all; the chart shows each area's score at every one.",
                  data->n_readings), data->n_readings);

      fo_report_add_note (report, note);
    }
}

static void
add_evidence (FoReport           *report,
              const FoEvaluation *evaluation)
{
  GPtrArray *events = evaluation->family->by_kind[FO_KIND_EVIDENCE];
  const double widths[] = { 0.14, 0.16, 0.44, 0.26 };
  const char *const titles[] = { _("Date"), _("For"), _("Statement"), _("By") };
  FoReportTable *table = NULL;

  fo_report_add_heading (report, 1, _("Evidence statements"));
  for (guint i = 0; i < events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (events, i);
      g_autofree char *date = fo_day_format (event->start);
      g_autofree char *type = words (event->type);
      g_autoptr(GString) when = g_string_new (date);
      g_autoptr(GString) subject = g_string_new (NULL);
      g_autoptr(GString) statement = g_string_new (NULL);
      g_autoptr(GString) by = g_string_new (NULL);
      guint row;

      if (event->start > evaluation->as_of)
        continue;
      if (table == NULL)
        table = fo_report_add_table (report, G_N_ELEMENTS (widths), widths, titles);
      if (event->covers_from != 0 || event->covers_to != 0)
        {
          g_autofree char *from = day_text (event->covers_from);
          g_autofree char *to = day_text (event->covers_to);

          g_string_append_printf (when, _("\ncovers %s to %s"), from, to);
        }
      if (event->indicator != NULL)
        g_string_append (subject, event->indicator);
      if (event->outcome != NULL)
        g_string_append_printf (subject, "%s%s", subject->len ? "\n" : "", event->outcome);
      if (event->member >= 0)
        g_string_append_printf (subject, "%s%s", subject->len ? "\n" : "",
                                fo_family_member (evaluation->family, event->member)->name);
      if (subject->len == 0)
        g_string_append (subject, _("the family"));

      g_string_append (statement, type);
      if (event->text != NULL)
        g_string_append_printf (statement, "\n%s", event->text);
      if (event->level != FO_LEVEL_UNSET)
        g_string_append_printf (statement, _("\nLevel: %s"), fo_level_names[event->level]);
      if (event->tool != NULL)
        g_string_append_printf (statement, _("\nTool: %s"), event->tool);

      if (event->author != NULL)
        g_string_append (by, event->author);
      if (event->author_role != NULL)
        {
          g_autofree char *role = words (event->author_role);

          g_string_append_printf (by, by->len ? " (%s)" : "%s", role);
        }
      if (by->len == 0)
        g_string_append (by, _("author not recorded"));
      if (event->approved_by != NULL)
        {
          g_autofree char *role = words (event->approver_role);
          g_autofree char *on = day_text (event->approved_on);

          g_string_append_printf (by, _("\nApproved by %s%s%s%s on %s"), event->approved_by,
                                  event->approver_role ? " (" : "", role,
                                  event->approver_role ? ")" : "", on);
        }
      row = fo_report_table_add_row (table, (const char *const[]) {
                                       when->str, subject->str, statement->str, by->str });
      fo_report_table_set_cell (table, row, 2, FO_REPORT_CELL_LEAD, FO_REPORT_TONE_NONE);
    }
  if (table == NULL)
    fo_report_add_paragraph (report, _("No evidence statements recorded."));
}

static void
add_sign_off (FoReport           *report,
              const FoEvaluation *evaluation)
{
  g_autofree char *as_of = fo_day_format (evaluation->as_of);
  g_autofree char *text = NULL;
  const char *const roles[] = { _("Key worker"), _("Supervisor"), NULL };

  fo_report_add_heading (report, 1, _("Sign-off"));
  text = g_strdup_printf (_("We have read this report, checked it against the family's records, "
                            "and agree that it shows the family's progress as of %s."), as_of);
  fo_report_add_paragraph (report, text);
  fo_report_keep_with_next (report);
  fo_report_add_sign_off (report, roles);
}

/**
 * fo_report_add_progress:
 * @report: a report about the evaluated family
 * @evaluation: an evaluation made with %FO_EVALUATE_EXPLAIN
 *
 * Adds the sections of the family progress report: the summary, the headline issues at a
 * glance, the members, each headline issue's indicators and outcomes with their explanations,
 * the Family Star Plus chart and table, the evidence statements and the sign-off.
 */
void
fo_report_add_progress (FoReport           *report,
                        const FoEvaluation *evaluation)
{
  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (evaluation != NULL);
  g_return_if_fail (evaluation->explained);

  add_summary (report, evaluation);
  add_issue_overview (report, evaluation);
  add_members (report, evaluation);
  add_issues (report, evaluation);
  add_star (report, evaluation);
  add_evidence (report, evaluation);
  add_sign_off (report, evaluation);
}

/**
 * fo_progress_report_new:
 * @evaluation: an evaluation made with %FO_EVALUATE_EXPLAIN
 * @flags: whether to redact
 *
 * The family progress report. More sections, such as a claim evidence pack, can be added to
 * it before it is laid out.
 *
 * Returns: (transfer full): the report
 */
FoReport *
fo_progress_report_new (const FoEvaluation *evaluation,
                        FoReportFlags       flags)
{
  FoReport *report;

  g_return_val_if_fail (evaluation != NULL, NULL);
  g_return_val_if_fail (evaluation->explained, NULL);

  report = fo_report_new (_("Family progress report"), evaluation->family, evaluation->as_of,
                          flags);
  fo_report_add_progress (report, evaluation);
  return report;
}
