/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-explain"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-explain.h"

static void
append_day (GString    *out,
            const char *label,
            FoDay       day)
{
  char buf[11];

  if (day == 0)
    return;
  fo_day_format_buf (day, buf);
  g_string_append_printf (out, label, buf);
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

static void
append_outcome_text (GString               *out,
                     const FoOutcomeResult *outcome)
{
  g_autofree char *progress = fo_progress_to_string (&outcome->progress);

  g_string_append_printf (out, "    %s%s %s: %s", outcome->outcome->id,
                          outcome->outcome->supplementary ? _(" (supplementary)") : "",
                          outcome->outcome->number, fo_state_label (outcome->state));
  append_day (out, _(", achieved since %s"), outcome->achieved_since);
  append_day (out, _(", sustained since %s"), outcome->sustained_since);
  if (progress != NULL && outcome->state != FO_STATE_SUSTAINED &&
      outcome->state != FO_STATE_NOT_APPLICABLE)
    g_string_append_printf (out, _(", progress %s"), progress);
  append_day (out, _(", sustained on %s if it keeps holding"), outcome->projected_sustained);
  g_string_append_c (out, '\n');
  if (outcome->reason != NULL && outcome->state != FO_STATE_NOT_APPLICABLE)
    g_string_append_printf (out, _("      why: %s\n"), outcome->reason);
}

char *
fo_evaluation_to_text (const FoEvaluation *evaluation)
{
  const FoPlan *plan;
  const FoFamily *family;
  g_autoptr(GString) out = g_string_new (NULL);
  char buf[11];

  g_return_val_if_fail (evaluation != NULL, NULL);

  plan = evaluation->plan;
  family = evaluation->family;
  fo_day_format_buf (evaluation->as_of, buf);
  g_string_append_printf (out, _("Family %s — %s (%s), as of %s\n"), family->reference,
                          plan->title, plan->council, buf);
  fo_day_format_buf (family->entry_date, buf);
  g_string_append_printf (out, _("Entry %s"), buf);
  append_day (out, _(", closed %s"), family->closure_date);
  g_string_append_c (out, '\n');

  g_string_append_printf (out,
                          _("Eligible: %s (%u headline issue(s), %u indicator(s) identified)\n"),
                          evaluation->eligible ? _("yes") : _("no"),
                          evaluation->n_issues_identified, evaluation->n_indicators_identified);
  for (guint i = 0; i < evaluation->eligibility_reasons->len; i++)
    g_string_append_printf (out, "  - %s\n",
                            (char *) g_ptr_array_index (evaluation->eligibility_reasons, i));
  if (evaluation->claimable)
    {
      fo_day_format_buf (evaluation->claimable_from, buf);
      g_string_append_printf (out, _("Claimable: yes, from %s, by “%s”\n"), buf,
                              evaluation->route->title);
      for (guint r = 0; r < evaluation->routes->len; r++)
        {
          const FoRouteResult *route = g_ptr_array_index (evaluation->routes, r);
          g_auto(GStrv) roles = NULL;

          if (route->route != evaluation->route)
            continue;
          roles = fo_evaluation_agreements (evaluation, route);
          if (roles[0] != NULL)
            {
              g_autofree char *names = g_strjoinv (", ", roles);

              g_string_append_printf (out, _("  A claim needs the agreement of: %s\n"), names);
            }
        }
    }
  else
    {
      g_string_append (out, _("Claimable: no\n"));
      for (guint i = 0; i < evaluation->blockers->len; i++)
        g_string_append_printf (out, "  - %s\n", (char *) g_ptr_array_index (evaluation->blockers,
                                                                             i));
      append_day (out, _("  Claimable on %s if every part keeps holding.\n"),
                  evaluation->projected_claimable);
    }
  for (guint r = 1; r < evaluation->routes->len; r++)
    {
      const FoRouteResult *route = g_ptr_array_index (evaluation->routes, r);

      g_string_append_printf (out, _("Route “%s”: %s"), route->route->title,
                              route->claimable ? _("claimable") : _("not claimable"));
      append_day (out, _(" from %s"), route->claimable_from);
      for (guint i = 0; !route->claimable && i < route->blockers->len; i++)
        g_string_append_printf (out, "%s%s", i == 0 ? " — " : "; ",
                                (char *) g_ptr_array_index (route->blockers, i));
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < evaluation->n_issues; i++)
    {
      const FoIssueResult *issue = &evaluation->issues[i];
      static const char *const states[] = { N_("not identified"), N_("identified, not yet met"),
                                            N_("met") };

      g_string_append_printf (out, "\n%s %s — %s\n", issue->issue->id, issue->issue->title,
                              _(states[issue->state]));
      for (guint j = 0; j < issue->n_indicators; j++)
        {
          const FoIndicatorResult *indicator = &issue->indicators[j];

          if (!indicator->identified)
            {
              g_string_append_printf (out, _("  %s %s: not identified\n"), indicator->indicator->id,
                                      indicator->indicator->number);
              continue;
            }
          {
            g_autofree char *names = member_names (evaluation, indicator);

            g_string_append_printf (out, _("  %s %s: identified for %s%s — %s"),
                                    indicator->indicator->id, indicator->indicator->number, names,
                                    indicator->by_practitioner ? _(" (by a practitioner)") : "",
                                    indicator->met ? _("met") : _("not yet met"));
            append_day (out, _(" since %s"), indicator->met_since);
            g_string_append_c (out, '\n');
            if (indicator->reason != NULL)
              g_string_append_printf (out, _("    identified: %s\n"), indicator->reason);
          }
          for (guint k = 0; k < indicator->n_outcomes; k++)
            append_outcome_text (out, &indicator->outcomes[k]);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
add_day (JsonBuilder *builder,
         const char  *name,
         FoDay        day)
{
  char buf[11];

  json_builder_set_member_name (builder, name);
  if (day == 0)
    {
      json_builder_add_null_value (builder);
      return;
    }
  fo_day_format_buf (day, buf);
  json_builder_add_string_value (builder, buf);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
add_strings (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (values, i));
  json_builder_end_array (builder);
}

static void
add_outcome_json (JsonBuilder           *builder,
                  const FoOutcomeResult *outcome)
{
  static const char *const units[] = { NULL, "days", "weeks", "months", "terms", "readings" };
  g_autofree char *progress = fo_progress_to_string (&outcome->progress);

  json_builder_begin_object (builder);
  add_string (builder, "id", outcome->outcome->id);
  add_string (builder, "number", outcome->outcome->number);
  add_string (builder, "state", fo_state_to_string (outcome->state));
  json_builder_set_member_name (builder, "supplementary");
  json_builder_add_boolean_value (builder, outcome->outcome->supplementary);
  add_day (builder, "achieved_since", outcome->achieved_since);
  add_day (builder, "sustained_since", outcome->sustained_since);
  add_day (builder, "projected_sustained", outcome->projected_sustained);
  add_day (builder, "held_from", outcome->held_from);
  add_day (builder, "held_to", outcome->held_to);
  json_builder_set_member_name (builder, "progress");
  if (outcome->progress.unit == FO_PROGRESS_NONE)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      add_string (builder, "unit", units[outcome->progress.unit]);
      json_builder_set_member_name (builder, "done");
      json_builder_add_int_value (builder, outcome->progress.done);
      json_builder_set_member_name (builder, "needed");
      json_builder_add_int_value (builder, outcome->progress.needed);
      add_string (builder, "text", progress);
      json_builder_end_object (builder);
    }
  add_string (builder, "met_by", outcome->met_by ? outcome->met_by->path : NULL);
  add_string (builder, "reason", outcome->reason);
  json_builder_end_object (builder);
}

JsonNode *
fo_evaluation_to_json (const FoEvaluation *evaluation)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const FoPlan *plan;

  g_return_val_if_fail (evaluation != NULL, NULL);

  plan = evaluation->plan;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, FO_EVALUATION_JSON_FORMAT);
  json_builder_set_member_name (builder, "plan");
  json_builder_begin_object (builder);
  add_string (builder, "id", plan->id);
  add_string (builder, "title", plan->title);
  add_string (builder, "council", plan->council);
  add_string (builder, "version", plan->version);
  add_string (builder, "content_sha256", plan->content_hash);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "family");
  json_builder_begin_object (builder);
  add_string (builder, "reference", evaluation->family->reference);
  add_day (builder, "entry_date", evaluation->family->entry_date);
  add_day (builder, "closure_date", evaluation->family->closure_date);
  json_builder_end_object (builder);
  add_day (builder, "as_of", evaluation->as_of);
  json_builder_set_member_name (builder, "eligible");
  json_builder_add_boolean_value (builder, evaluation->eligible);
  add_strings (builder, "eligibility_reasons", evaluation->eligibility_reasons);
  json_builder_set_member_name (builder, "issues_identified");
  json_builder_add_int_value (builder, evaluation->n_issues_identified);
  json_builder_set_member_name (builder, "indicators_identified");
  json_builder_add_int_value (builder, evaluation->n_indicators_identified);
  json_builder_set_member_name (builder, "claimable");
  json_builder_add_boolean_value (builder, evaluation->claimable);
  add_string (builder, "route", evaluation->route ? evaluation->route->id : NULL);
  add_day (builder, "claimable_from", evaluation->claimable_from);
  add_day (builder, "projected_claimable", evaluation->projected_claimable);
  add_strings (builder, "blockers", evaluation->blockers);

  json_builder_set_member_name (builder, "routes");
  json_builder_begin_array (builder);
  for (guint r = 0; r < evaluation->routes->len; r++)
    {
      const FoRouteResult *route = g_ptr_array_index (evaluation->routes, r);
      static const char *const kinds[] = { "all_identified", "standalone", "discretion" };

      json_builder_begin_object (builder);
      add_string (builder, "id", route->route->id);
      add_string (builder, "kind", kinds[route->route->kind]);
      add_string (builder, "title", route->route->title);
      json_builder_set_member_name (builder, "claimable");
      json_builder_add_boolean_value (builder, route->claimable);
      add_day (builder, "claimable_from", route->claimable_from);
      add_day (builder, "projected", route->projected);
      add_strings (builder, "blockers", route->blockers);
      json_builder_set_member_name (builder, "needs_agreement_of");
      json_builder_begin_array (builder);
      {
        g_auto(GStrv) roles = fo_evaluation_agreements (evaluation, route);

        for (guint i = 0; roles[i] != NULL; i++)
          json_builder_add_string_value (builder, roles[i]);
      }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "issues");
  json_builder_begin_array (builder);
  for (guint i = 0; i < evaluation->n_issues; i++)
    {
      const FoIssueResult *issue = &evaluation->issues[i];

      json_builder_begin_object (builder);
      add_string (builder, "id", issue->issue->id);
      add_string (builder, "number", issue->issue->number);
      add_string (builder, "title", issue->issue->title);
      add_string (builder, "status", fo_issue_state_to_string (issue->state));
      json_builder_set_member_name (builder, "indicators");
      json_builder_begin_array (builder);
      for (guint j = 0; j < issue->n_indicators; j++)
        {
          const FoIndicatorResult *indicator = &issue->indicators[j];

          json_builder_begin_object (builder);
          add_string (builder, "id", indicator->indicator->id);
          add_string (builder, "number", indicator->indicator->number);
          add_string (builder, "text", indicator->indicator->text);
          json_builder_set_member_name (builder, "identified");
          json_builder_add_boolean_value (builder, indicator->identified);
          json_builder_set_member_name (builder, "by_practitioner");
          json_builder_add_boolean_value (builder, indicator->by_practitioner);
          json_builder_set_member_name (builder, "family_level");
          json_builder_add_boolean_value (builder, indicator->family_level);
          json_builder_set_member_name (builder, "members");
          json_builder_begin_array (builder);
          for (guint m = 0; m < evaluation->family->members->len; m++)
            if (indicator->members & (G_GUINT64_CONSTANT (1) << m))
              json_builder_add_string_value (builder,
                                             fo_family_member (evaluation->family, m)->id);
          json_builder_end_array (builder);
          add_string (builder, "reason", indicator->reason);
          json_builder_set_member_name (builder, "met");
          json_builder_add_boolean_value (builder, indicator->met);
          add_day (builder, "met_since", indicator->met_since);
          json_builder_set_member_name (builder, "outcomes");
          json_builder_begin_array (builder);
          for (guint k = 0; k < indicator->n_outcomes; k++)
            add_outcome_json (builder, &indicator->outcomes[k]);
          for (guint k = 0; !indicator->identified && k < indicator->indicator->effective->len; k++)
            add_outcome_json (builder, fo_evaluation_not_applicable (
                                         evaluation, g_ptr_array_index (indicator->indicator->effective, k)));
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
append_trace (GString       *out,
              const FoTrace *trace,
              int            depth)
{
  const char *state;
  char since[11], sustained[11];

  if (trace->not_applicable)
    state = _("n/a");
  else if (trace->sustained)
    state = _("sustained");
  else if (trace->holds)
    state = _("holds");
  else if (trace->insufficient)
    state = _("insufficient data");
  else
    state = _("does not hold");
  fo_day_format_buf (trace->since, since);
  fo_day_format_buf (trace->sustained_since, sustained);

  g_string_append_printf (out, "%*s[%s] %s", depth * 2, "", state,
                          trace->rule != NULL ? trace->rule->path : _("(practitioner)"));
  if (trace->holds)
    g_string_append_printf (out, _(" — since %s"), since);
  if (trace->sustained)
    g_string_append_printf (out, _(", sustained since %s"), sustained);
  g_string_append_c (out, '\n');
  if (trace->summary != NULL)
    g_string_append_printf (out, "%*s%s\n", depth * 2 + 4, "", trace->summary);
  for (guint i = 0; i < trace->facts->len; i++)
    g_string_append_printf (out, "%*s· %s\n", depth * 2 + 4, "",
                            (char *) g_ptr_array_index (trace->facts, i));
  for (guint i = 0; i < trace->children->len; i++)
    append_trace (out, g_ptr_array_index (trace->children, i), depth + 1);
}

char *
fo_explain_indicator (const FoEvaluation *evaluation,
                      const char         *indicator_id,
                      GError            **error)
{
  const FoIndicatorResult *indicator;
  g_autoptr(GString) out = g_string_new (NULL);
  char buf[11];

  g_return_val_if_fail (evaluation != NULL, NULL);
  g_return_val_if_fail (evaluation->explained, NULL);

  indicator = fo_evaluation_indicator (evaluation, indicator_id);
  if (indicator == NULL)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_ARGUMENT,
                   _("plan %s has no indicator “%s”"), evaluation->plan->id, indicator_id);
      return NULL;
    }
  fo_day_format_buf (evaluation->as_of, buf);
  g_string_append_printf (out, _("%s %s — %s\n"), indicator->indicator->id,
                          indicator->indicator->number, indicator->indicator->text);
  g_string_append_printf (out, _("As of %s. Headline issue %s: %s\n\n"), buf,
                          indicator->indicator->issue->id, indicator->indicator->issue->title);
  g_string_append_printf (out, _("Identification: %s\n"), indicator->identified
                          ? _("identified") : _("not identified"));
  if (indicator->reason != NULL)
    g_string_append_printf (out, "  %s\n", indicator->reason);
  if (indicator->entry_trace != NULL)
    for (guint i = 0; i < indicator->entry_trace->children->len; i++)
      append_trace (out, g_ptr_array_index (indicator->entry_trace->children, i), 1);

  for (guint k = 0; k < indicator->indicator->effective->len; k++)
    {
      const FoOutcomeResult *outcome = indicator->identified ? &indicator->outcomes[k]
        : fo_evaluation_not_applicable (evaluation,
                                        g_ptr_array_index (indicator->indicator->effective, k));

      g_string_append_printf (out, _("\nOutcome %s %s — %s\n"), outcome->outcome->id,
                              outcome->outcome->number, outcome->outcome->text);
      append_outcome_text (out, outcome);
      if (outcome->trace != NULL)
        append_trace (out, outcome->trace, 1);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
fo_plan_counts_text (const FoPlan *plan)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint standalone = 0, shared = 0;

  g_return_val_if_fail (plan != NULL, NULL);

  for (guint i = 0; i < plan->indicators->len; i++)
    if (((FoIndicator *) g_ptr_array_index (plan->indicators, i))->standalone_only)
      standalone++;
  for (guint i = 0; i < plan->issues->len; i++)
    shared += ((FoIssue *) g_ptr_array_index (plan->issues, i))->shared_outcomes->len;

  g_string_append_printf (out, _("%s: %s — %s (version %s)\n"), plan->file, plan->id,
                          plan->council, plan->version);
  g_string_append_printf (out, _("  %u headline issues, %u indicators%s, %u outcome options "
                                 "(%u shared by an issue's indicators), %u claim route(s)\n"),
                          plan->issues->len, plan->indicators->len - standalone,
                          standalone ? _(" (+ stand-alone)") : "", plan->n_outcomes, shared,
                          plan->routes->len);
  for (guint i = 0; i < plan->issues->len; i++)
    {
      const FoIssue *issue = g_ptr_array_index (plan->issues, i);
      guint outcomes = issue->shared_outcomes->len;

      for (guint j = 0; j < issue->indicators->len; j++)
        outcomes += ((FoIndicator *) g_ptr_array_index (issue->indicators, j))->outcomes->len;
      g_string_append_printf (out, _("    %-8s %2u indicators, %3u outcomes  %s\n"), issue->id,
                              issue->indicators->len, outcomes, issue->title);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
