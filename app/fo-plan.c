/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-plan"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-json.h"
#include "fo-plan.h"

const char *const fo_rule_kind_names[] = {
  "count", "spell", "measure", "change", "reading", "transition", "evidence", "quantify",
  "tiered", "sustain", "all", "any", "at_least", "not", "at_entry", "undefined", NULL
};

const char *const fo_op_names[] = { ">=", ">", "<=", "<", "==", "!=", NULL };

static const char *const series_names[] = {
  "attendance", "attendance_ignoring_authorised", "absence", "unauthorised_absence", NULL
};
static const char *const aggregate_names[] = { "each", "sum", "average", NULL };
static const char *const zero_names[] = { "require_zero", "fail", "pass", NULL };
static const char *const scope_names[] = { "indicator", "outcome", "family", NULL };
static const char *const direction_names[] = { "decrease", "increase", NULL };
static const char *const mode_names[] = { "rate", "raw", NULL };
static const char *const age_at_names[] = { "entry", "day", NULL };
static const char *const phase_names[] = { "primary", "secondary", NULL };
static const char *const route_kind_names[] = { "all_identified", "standalone", "discretion", NULL };

/* Where a rule sits decides which references make sense inside it. */
typedef struct
{
  FoJsonReader *reader;
  FoPlan       *plan;
  gboolean      in_indicator;   /* "identified" and "member" selectors need an indicator */
  gboolean      member_bound;
} PlanLoader;

static FoRule *read_rule (PlanLoader *loader, JsonNode *node);

static void
rule_free (FoRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->path);
  g_strfreev (rule->types);
  g_clear_pointer (&rule->metric, rule_free);
  g_free (rule->instrument);
  g_strfreev (rule->case_types);
  g_strfreev (rule->to);
  g_strfreev (rule->return_types);
  g_strfreev (rule->evidence_kinds);
  g_strfreev (rule->roles);
  g_strfreev (rule->approval_roles);
  g_free (rule->tool);
  g_clear_pointer (&rule->bands, g_ptr_array_unref);
  g_clear_pointer (&rule->children, g_ptr_array_unref);
  g_free (rule->reason);
  g_free (rule);
}

static void
band_free (FoBand *band)
{
  rule_free (band->rule);
  g_free (band);
}

static void
outcome_free (FoOutcome *outcome)
{
  g_free (outcome->id);
  g_free (outcome->number);
  g_free (outcome->text);
  g_free (outcome->source);
  g_free (outcome->sustain_note);
  g_clear_pointer (&outcome->notes, g_ptr_array_unref);
  rule_free (outcome->rule);
  g_free (outcome);
}

static void
indicator_free (FoIndicator *indicator)
{
  g_free (indicator->id);
  g_free (indicator->number);
  g_free (indicator->title);
  g_free (indicator->text);
  g_free (indicator->source);
  g_clear_pointer (&indicator->notes, g_ptr_array_unref);
  rule_free (indicator->entry);
  g_strfreev (indicator->identified_by_roles);
  g_free (indicator->outcomes_same_as);
  g_clear_pointer (&indicator->outcomes, g_ptr_array_unref);
  g_clear_pointer (&indicator->effective, g_ptr_array_unref);
  g_free (indicator);
}

static void
issue_free (FoIssue *issue)
{
  g_free (issue->id);
  g_free (issue->number);
  g_free (issue->title);
  g_clear_pointer (&issue->notes, g_ptr_array_unref);
  g_clear_pointer (&issue->indicators, g_ptr_array_unref);
  g_clear_pointer (&issue->shared_outcomes, g_ptr_array_unref);
  g_free (issue);
}

static void
gate_free (FoGate *gate)
{
  g_free (gate->id);
  g_free (gate->text);
  rule_free (gate->rule);
  g_free (gate);
}

static void
route_free (FoRoute *route)
{
  g_free (route->id);
  g_free (route->title);
  g_clear_pointer (&route->notes, g_ptr_array_unref);
  g_clear_pointer (&route->gates, g_ptr_array_unref);
  g_strfreev (route->confirmation_kinds);
  g_strfreev (route->confirmation_roles);
  g_strfreev (route->outcome_ids);
  g_clear_pointer (&route->outcomes, g_ptr_array_unref);
  g_strfreev (route->decision_kinds);
  g_strfreev (route->decision_roles);
  g_strfreev (route->needs_agreement_of);
  g_free (route);
}

void
fo_plan_free (FoPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->file);
  g_free (plan->content_hash);
  g_free (plan->id);
  g_free (plan->title);
  g_free (plan->council);
  g_free (plan->version);
  g_free (plan->source_document);
  g_clear_pointer (&plan->notes, g_ptr_array_unref);
  g_clear_pointer (&plan->requirements, g_ptr_array_unref);
  g_clear_pointer (&plan->routes, g_ptr_array_unref);
  g_clear_pointer (&plan->indicators, g_ptr_array_unref);
  g_clear_pointer (&plan->issues, g_ptr_array_unref);
  g_free (plan);
}

static char *
dup_string (FoJsonReader *reader,
            JsonObject   *object,
            const char   *key,
            gboolean      required)
{
  const char *value = fo_json_string (reader, object, key, required);

  if (required && value != NULL && value[0] == '\0')
    fo_json_fail (reader, key, _("must not be empty"));
  return g_strdup (value);
}

static guint32
read_kinds (FoJsonReader *reader,
            JsonObject   *object,
            const char   *key,
            gboolean      required)
{
  g_auto(GStrv) names = fo_json_strv (reader, object, key, required);
  guint32 mask = 0;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      int kind = fo_kind_from_name (names[i]);

      if (kind < 0)
        {
          g_autofree char *where = g_strdup_printf ("%s[%u]", key, i);
          g_autofree char *list = g_strjoinv (", ", (char **) fo_kind_names);

          fo_json_fail (reader, where, _("unknown event kind “%s” (expected one of: %s)"),
                        names[i], list);
          return 0;
        }
      mask |= 1u << kind;
    }
  return mask;
}

static void
read_selector (PlanLoader *loader,
               JsonObject *parent,
               const char *key,
               FoAgeAt     default_age_at,
               FoSelector *selector)
{
  static const char *const keys[] = {
    "role", "age_min", "age_max", "age_at", "school_age", "phase", "identified", "in_household",
    NULL
  };
  FoJsonReader *reader = loader->reader;
  JsonNode *node = json_object_get_member (parent, key);
  JsonObject *object;
  g_auto(GStrv) roles = NULL;
  gint64 value;
  gsize mark;

  *selector = (FoSelector) {
    .mode = FO_SEL_DEFAULT, .age_min = -1, .age_max = -1, .age_at = default_age_at,
    .school_age = -1, .phase = -1, .in_household = TRUE,
  };
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      if (g_str_equal (text, "family"))
        selector->mode = FO_SEL_FAMILY;
      else if (g_str_equal (text, "member") && loader->member_bound)
        selector->mode = FO_SEL_MEMBER;
      else if (g_str_equal (text, "member"))
        fo_json_fail (reader, key, _("“member” refers to nothing here: no member is bound "
                                     "(use it inside an indicator with a subject, or in quantify)"));
      else
        fo_json_fail (reader, key, _("expected “family”, “member” or a selector object"));
      return;
    }
  object = fo_json_object (reader, parent, key, TRUE);
  if (object == NULL)
    return;
  mark = fo_json_push_key (reader, key);
  selector->mode = FO_SEL_FILTER;
  if (fo_json_check_keys (reader, object, keys))
    {
      roles = fo_json_strv (reader, object, "role", FALSE);
      for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
        {
          int role = -1;

          for (int r = 0; fo_role_names[r] != NULL; r++)
            if (g_str_equal (fo_role_names[r], roles[i]))
              role = r;
          if (role < 0)
            {
              g_autofree char *where = g_strdup_printf ("role[%u]", i);

              fo_json_fail (reader, where, _("unknown role “%s” (expected parent, carer, "
                                             "child or other)"), roles[i]);
            }
          else
            selector->role_mask |= 1u << role;
        }
      if (fo_json_int (reader, object, "age_min", FALSE, 0, 120, &value))
        selector->age_min = value;
      if (fo_json_int (reader, object, "age_max", FALSE, 0, 120, &value))
        selector->age_max = value;
      if (selector->age_min >= 0 && selector->age_max >= 0 && selector->age_max < selector->age_min)
        fo_json_fail (reader, "age_max", _("is below age_min"));
      if (json_object_has_member (object, "age_at"))
        selector->age_at = fo_json_enum (reader, object, "age_at", age_at_names, 0) + 1;
      {
        gboolean flag;

        if (fo_json_bool (reader, object, "school_age", &flag))
          selector->school_age = flag;
        if (fo_json_bool (reader, object, "identified", &flag))
          {
            selector->identified = flag;
            if (flag && !loader->in_indicator)
              fo_json_fail (reader, "identified",
                            _("refers to nothing: there is no indicator here"));
          }
        if (fo_json_bool (reader, object, "in_household", &flag))
          selector->in_household = flag;
      }
      if (json_object_has_member (object, "phase"))
        selector->phase = fo_json_enum (reader, object, "phase", phase_names, -1);
    }
  fo_json_pop (reader, mark);
}

static void
read_window (FoJsonReader *reader,
             JsonObject   *parent,
             const char   *key,
             gboolean      required,
             FoWindow     *window)
{
  static const char *const keys[] = { "last", "last_terms", "at", "since", "on_day", NULL };
  JsonObject *object = fo_json_object (reader, parent, key, required);
  gsize mark;
  int forms = 0;

  window->kind = FO_WINDOW_NONE;
  if (object == NULL)
    return;
  mark = fo_json_push_key (reader, key);
  if (fo_json_check_keys (reader, object, keys))
    {
      gint64 terms;
      gboolean flag = FALSE;
      const char *text;

      if (json_object_has_member (object, "last"))
        {
          forms++;
          window->kind = FO_WINDOW_LAST;
          fo_json_duration (reader, object, "last", TRUE, &window->last);
        }
      if (json_object_has_member (object, "last_terms"))
        {
          forms++;
          window->kind = FO_WINDOW_LAST_TERMS;
          if (fo_json_int (reader, object, "last_terms", TRUE, 1, 12, &terms))
            window->terms = terms;
        }
      if (json_object_has_member (object, "since"))
        {
          forms++;
          window->kind = FO_WINDOW_SINCE_ENTRY;
          text = fo_json_string (reader, object, "since", TRUE);
          if (text != NULL && !g_str_equal (text, "entry"))
            fo_json_fail (reader, "since", _("only “entry” is supported"));
        }
      if (json_object_has_member (object, "on_day"))
        {
          forms++;
          window->kind = FO_WINDOW_ON_DAY;
          if (fo_json_bool (reader, object, "on_day", &flag) && !flag)
            fo_json_fail (reader, "on_day", _("must be true"));
        }
      if (json_object_has_member (object, "at"))
        {
          text = fo_json_string (reader, object, "at", TRUE);
          if (text != NULL && g_str_equal (text, "entry"))
            window->at_entry = TRUE;
          else if (text != NULL && !g_str_equal (text, "day"))
            fo_json_fail (reader, "at", _("expected “entry” or “day”"));
          if (window->kind != FO_WINDOW_LAST && window->kind != FO_WINDOW_LAST_TERMS)
            fo_json_fail (reader, "at", _("only “last” and “last_terms” windows take “at”"));
        }
      if (forms != 1 && !fo_json_failed (reader))
        fo_json_fail (reader, NULL, _("a window needs exactly one of last, last_terms, since, "
                                      "on_day"));
    }
  fo_json_pop (reader, mark);
}

static void
read_threshold (FoJsonReader *reader,
                JsonObject   *object,
                FoRule       *rule,
                gboolean      required)
{
  gboolean has_op = json_object_has_member (object, "op");
  gboolean has_value = json_object_has_member (object, "value");

  if (!required && !has_op && !has_value)
    return;
  if (!fo_json_require (reader, object, "op") || !fo_json_require (reader, object, "value"))
    return;
  rule->op = fo_json_enum (reader, object, "op", fo_op_names, FO_OP_GE);
  fo_json_number (reader, object, "value", TRUE, &rule->value);
  rule->has_threshold = TRUE;
}

static GPtrArray *
read_rule_list (PlanLoader *loader,
                JsonObject *object,
                const char *key,
                guint       min_length)
{
  FoJsonReader *reader = loader->reader;
  JsonArray *array = fo_json_array (reader, object, key, TRUE);
  GPtrArray *rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  gsize mark;

  if (array == NULL)
    return rules;
  mark = fo_json_push_key (reader, key);
  if (json_array_get_length (array) < min_length)
    fo_json_fail (reader, NULL, _("needs at least %u rules"), min_length);
  for (guint i = 0; i < json_array_get_length (array) && !fo_json_failed (reader); i++)
    {
      gsize item_mark = fo_json_push_index (reader, i);
      FoRule *child = read_rule (loader, json_array_get_element (array, i));

      if (child != NULL)
        g_ptr_array_add (rules, child);
      fo_json_pop (reader, item_mark);
    }
  fo_json_pop (reader, mark);
  return rules;
}

static FoRule *
read_child (PlanLoader *loader,
            JsonObject *object,
            const char *key)
{
  FoRule *child;
  gsize mark;

  if (!fo_json_require (loader->reader, object, key))
    return NULL;
  mark = fo_json_push_key (loader->reader, key);
  child = read_rule (loader, json_object_get_member (object, key));
  fo_json_pop (loader->reader, mark);
  return child;
}

#define CHECK_KEYS(...) \
  G_STMT_START { \
    static const char *const keys_[] = { __VA_ARGS__, NULL }; \
    if (!fo_json_check_keys (reader, object, keys_)) \
      return; \
  } G_STMT_END

static void
read_count (PlanLoader *loader,
            JsonObject *object,
            FoRule     *rule,
            gboolean    as_metric)
{
  FoJsonReader *reader = loader->reader;
  const char *sum;

  if (as_metric)
    CHECK_KEYS ("kinds", "types", "subject", "sum", "window");
  else
    CHECK_KEYS ("kinds", "types", "subject", "window", "sum", "op", "value");
  rule->kinds_mask = read_kinds (reader, object, "kinds", TRUE);
  rule->types = fo_json_strv (reader, object, "types", FALSE);
  read_selector (loader, object, "subject", FO_AGE_AT_DAY, &rule->subject);
  read_window (reader, object, "window", !as_metric, &rule->window);
  sum = fo_json_string (reader, object, "sum", FALSE);
  if (sum != NULL)
    {
      if (g_str_equal (sum, "days"))
        rule->sum_field = 1;
      else if (g_str_equal (sum, "hours"))
        rule->sum_field = 2;
      else
        fo_json_fail (reader, "sum", _("expected “days” or “hours”"));
    }
  if (!as_metric)
    read_threshold (reader, object, rule, TRUE);
}

static void
read_spell (PlanLoader *loader,
            JsonObject *object,
            FoRule     *rule)
{
  FoJsonReader *reader = loader->reader;
  JsonObject *n_of_m;

  CHECK_KEYS ("kinds", "types", "subject", "min_level", "min_hours", "below_hours", "continuous",
              "n_of_m");
  rule->kinds_mask = read_kinds (reader, object, "kinds", TRUE);
  {
    g_auto(GStrv) names = fo_json_strv (reader, object, "kinds", TRUE);

    for (guint i = 0; names != NULL && names[i] != NULL; i++)
      {
        int kind = fo_kind_from_name (names[i]);

        if (kind >= 0 && !fo_kind_is_spell (kind))
          {
            g_autofree char *where = g_strdup_printf ("kinds[%u]", i);

            fo_json_fail (reader, where, _("“%s” is not a spell kind (a spell has a start and "
                                           "an end)"), names[i]);
            return;
          }
      }
  }
  rule->types = fo_json_strv (reader, object, "types", FALSE);
  read_selector (loader, object, "subject", FO_AGE_AT_DAY, &rule->subject);
  rule->min_level = fo_json_enum (reader, object, "min_level", fo_level_names, FO_LEVEL_UNSET);
  rule->has_min_hours = fo_json_number (reader, object, "min_hours", FALSE, &rule->min_hours);
  rule->has_below_hours = fo_json_number (reader, object, "below_hours", FALSE,
                                          &rule->below_hours);
  rule->has_continuous = fo_json_duration (reader, object, "continuous", FALSE,
                                           &rule->continuous);
  n_of_m = fo_json_object (reader, object, "n_of_m", FALSE);
  if (n_of_m != NULL)
    {
      gsize mark = fo_json_push_key (reader, "n_of_m");
      static const char *const keys[] = { "n", "m", NULL };

      if (fo_json_check_keys (reader, n_of_m, keys) &&
          fo_json_duration (reader, n_of_m, "n", TRUE, &rule->n_of_m_n) &&
          fo_json_duration (reader, n_of_m, "m", TRUE, &rule->n_of_m_m))
        {
          if (rule->n_of_m_n.unit == FO_UNIT_MONTHS || rule->n_of_m_m.unit == FO_UNIT_MONTHS)
            fo_json_fail (reader, NULL, _("n and m must be in days or weeks"));
          else if (fo_day_add_duration (0, &rule->n_of_m_n) > fo_day_add_duration (0,
                                                                                   &rule->n_of_m_m))
            fo_json_fail (reader, "n", _("is longer than m"));
          rule->has_n_of_m = TRUE;
        }
      fo_json_pop (reader, mark);
    }
  if (rule->has_continuous && rule->has_n_of_m)
    fo_json_fail (reader, "n_of_m", _("use either continuous or n_of_m, not both"));
}

static void
read_measure (PlanLoader *loader,
              JsonObject *object,
              FoRule     *rule,
              gboolean    as_metric)
{
  FoJsonReader *reader = loader->reader;
  const char *at, *aggregate;
  gint64 terms = 0;

  if (as_metric)
    CHECK_KEYS ("series", "subject", "terms", "at");
  else
    CHECK_KEYS ("series", "subject", "terms", "at", "after_entry", "aggregate", "op", "value");
  rule->series = fo_json_enum (reader, object, "series", series_names, 0);
  if (!fo_json_require (reader, object, "series"))
    return;
  read_selector (loader, object, "subject", FO_AGE_AT_DAY, &rule->subject);
  if (fo_json_int (reader, object, "terms", !as_metric, 1, 12, &terms))
    rule->terms = terms;
  at = fo_json_string (reader, object, "at", FALSE);
  if (at != NULL && g_str_equal (at, "entry"))
    rule->at_entry = TRUE;
  else if (at != NULL && !g_str_equal (at, "day"))
    fo_json_fail (reader, "at", _("expected “entry” or “day”"));
  fo_json_bool (reader, object, "after_entry", &rule->after_entry);
  if (rule->after_entry && rule->at_entry)
    fo_json_fail (reader, "after_entry", _("cannot be combined with at: entry"));
  aggregate = fo_json_string (reader, object, "aggregate", FALSE);
  if (aggregate != NULL && g_str_equal (aggregate, "each"))
    rule->each_term = TRUE;
  else if (aggregate != NULL && !g_str_equal (aggregate, "pooled"))
    fo_json_fail (reader, "aggregate", _("expected “pooled” or “each”"));
  if (!as_metric)
    {
      read_threshold (reader, object, rule, TRUE);
      if (rule->has_threshold && (rule->value < 0 || rule->value > 100))
        fo_json_fail (reader, "value", _("a percentage must be between 0 and 100"));
    }
}

static void
read_metric (PlanLoader *loader,
             JsonObject *parent,
             const char *key,
             FoRule    **out,
             gboolean    allow_reading);

static void
read_reading (PlanLoader *loader,
              JsonObject *object,
              FoRule     *rule,
              gboolean    as_metric);

static void
read_change (PlanLoader *loader,
             JsonObject *object,
             FoRule     *rule)
{
  FoJsonReader *reader = loader->reader;
  gint64 terms;

  CHECK_KEYS ("metric", "baseline", "compare", "mode", "baseline_terms", "compare_terms",
              "direction", "min_pct", "min_points", "floor", "ceiling", "zero_baseline");
  read_metric (loader, object, "metric", &rule->metric, FALSE);
  if (rule->metric == NULL)
    return;
  if (!fo_json_require (reader, object, "direction"))
    return;
  rule->direction = fo_json_enum (reader, object, "direction", direction_names, 0) == 1 ? 1 : -1;
  rule->has_min_pct = fo_json_number (reader, object, "min_pct", FALSE, &rule->min_pct);
  rule->has_min_points = fo_json_number (reader, object, "min_points", FALSE, &rule->min_points);
  if (rule->has_min_pct && (rule->min_pct <= 0 || (rule->direction < 0 && rule->min_pct > 100)))
    fo_json_fail (reader, "min_pct", _("must be above 0 (and at most 100 for a decrease)"));
  if (rule->has_min_points && rule->min_points <= 0)
    fo_json_fail (reader, "min_points", _("must be above 0"));
  rule->has_floor = fo_json_number (reader, object, "floor", FALSE, &rule->floor_value);
  rule->has_ceiling = fo_json_number (reader, object, "ceiling", FALSE, &rule->ceiling_value);
  /* Compared values are counts or percentages, never negative. */
  if (rule->has_floor && rule->floor_value < 0)
    fo_json_fail (reader, "floor", _("must not be negative"));
  if (rule->has_ceiling && rule->ceiling_value < 0)
    fo_json_fail (reader, "ceiling", _("must not be negative"));
  rule->zero_baseline = fo_json_enum (reader, object, "zero_baseline", zero_names,
                                      FO_ZERO_REQUIRE_ZERO);

  if (rule->metric->kind == FO_RULE_COUNT)
    {
      read_window (reader, object, "baseline", TRUE, &rule->baseline);
      if (rule->baseline.kind != FO_WINDOW_NONE &&
          (rule->baseline.kind != FO_WINDOW_LAST || !rule->baseline.at_entry))
        fo_json_fail (reader, "baseline", _("the baseline must be {\"last\": …, \"at\": "
                                            "\"entry\"}"));
      fo_json_duration (reader, object, "compare", TRUE, &rule->compare);
      rule->rate = fo_json_enum (reader, object, "mode", mode_names, 0) == 0;
      if (rule->rate && !fo_json_failed (reader) &&
          (rule->compare.unit != FO_UNIT_MONTHS || rule->baseline.last.unit != FO_UNIT_MONTHS))
        fo_json_fail (reader, "mode", _("a rate compares windows in months"));
      if (rule->has_min_points)
        fo_json_fail (reader, "min_points", _("counts change by min_pct, not points"));
      for (const char *const *k = (const char *const[]) { "baseline_terms", "compare_terms", NULL };
           *k != NULL; k++)
        if (json_object_has_member (object, *k))
          fo_json_fail (reader, *k, _("only an attendance metric takes terms"));
    }
  else
    {
      /* Attendance is a percentage, and so are its floor, its ceiling and its points. */
      if (rule->has_floor && rule->floor_value > 100)
        fo_json_fail (reader, "floor", _("a percentage must be between 0 and 100"));
      if (rule->has_ceiling && rule->ceiling_value > 100)
        fo_json_fail (reader, "ceiling", _("a percentage must be between 0 and 100"));
      if (rule->has_min_points && rule->min_points > 100)
        fo_json_fail (reader, "min_points", _("a percentage must be between 0 and 100"));
      if (fo_json_int (reader, object, "baseline_terms", TRUE, 1, 12, &terms))
        rule->baseline_terms = terms;
      if (fo_json_int (reader, object, "compare_terms", TRUE, 1, 12, &terms))
        rule->compare_terms = terms;
      for (const char *const *k = (const char *const[]) { "baseline", "compare", "mode", NULL };
           *k != NULL; k++)
        if (json_object_has_member (object, *k))
          fo_json_fail (reader, *k, _("only a count metric takes this key"));
    }
}

static void
read_reading (PlanLoader *loader,
              JsonObject *object,
              FoRule     *rule,
              gboolean    as_metric)
{
  FoJsonReader *reader = loader->reader;
  JsonNode *areas;
  JsonObject *change, *sustain;
  const char *which, *taken_by;
  gint64 value;

  CHECK_KEYS ("instrument", "areas", "subject", "aggregate", "op", "value", "at_least", "change",
              "reading", "sustain", "taken_by");
  rule->instrument = dup_string (reader, object, "instrument", TRUE);
  if (rule->instrument == NULL)
    return;
  rule->star = g_str_equal (rule->instrument, "star");
  read_selector (loader, object, "subject", FO_AGE_AT_DAY, &rule->subject);

  areas = json_object_get_member (object, "areas");
  if (rule->star)
    {
      if (areas == NULL)
        {
          fo_json_fail (reader, "areas", _("a Star rule names its areas (or \"all\")"));
          return;
        }
      if (JSON_NODE_HOLDS_VALUE (areas) && json_node_get_value_type (areas) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (areas), "all"))
        rule->areas_mask = (1u << FO_STAR_AREAS) - 1;
      else
        {
          g_auto(GStrv) names = fo_json_strv (reader, object, "areas", TRUE);

          for (guint i = 0; names != NULL && names[i] != NULL; i++)
            {
              int area = fo_star_area_from_name (names[i]);
              g_autofree char *where = g_strdup_printf ("areas[%u]", i);

              if (area < 0)
                {
                  g_autofree char *list = g_strjoinv (", ", (char **) fo_star_area_names);

                  fo_json_fail (reader, where, _("unknown Star area “%s” (expected one of: %s)"),
                                names[i], list);
                  return;
                }
              if (rule->areas_mask & (1u << area))
                fo_json_fail (reader, where, _("area “%s” is listed twice"), names[i]);
              rule->areas_mask |= 1u << area;
            }
        }
      for (guint area = 0; area < FO_STAR_AREAS; area++)
        if (rule->areas_mask & (1u << area))
          rule->n_areas++;
      rule->aggregate = fo_json_enum (reader, object, "aggregate", aggregate_names, FO_AGG_EACH);
    }
  else
    {
      if (areas != NULL)
        fo_json_fail (reader, "areas", _("only Star rules have areas"));
      if (json_object_has_member (object, "aggregate"))
        fo_json_fail (reader, "aggregate", _("only Star rules aggregate areas"));
      rule->n_areas = 1;
      rule->aggregate = FO_AGG_SUM;
    }

  if (fo_json_int (reader, object, "at_least", FALSE, 1, FO_STAR_AREAS, &value))
    {
      rule->at_least_areas = value;
      if (rule->aggregate != FO_AGG_EACH)
        fo_json_fail (reader, "at_least", _("only aggregate “each” counts areas"));
      else if (value > rule->n_areas)
        fo_json_fail (reader, "at_least", _("asks for more areas than are listed"));
    }
  else
    rule->at_least_areas = rule->n_areas;

  which = fo_json_string (reader, object, "reading", FALSE);
  if (which != NULL && g_str_equal (which, "baseline"))
    rule->baseline_only = TRUE;
  else if (which != NULL && !g_str_equal (which, "latest"))
    fo_json_fail (reader, "reading", _("expected “baseline” or “latest”"));

  taken_by = fo_json_string (reader, object, "taken_by", FALSE);
  if (taken_by != NULL && g_str_equal (taken_by, "joint"))
    rule->joint_only = TRUE;
  else if (taken_by != NULL && !g_str_equal (taken_by, "any"))
    fo_json_fail (reader, "taken_by", _("expected “joint” or “any”"));

  if (as_metric)
    {
      if (!rule->baseline_only)
        fo_json_fail (reader, "reading", _("a tier is set by the baseline reading: "
                                           "\"reading\": \"baseline\""));
      return;
    }

  change = fo_json_object (reader, object, "change", FALSE);
  if (change != NULL)
    {
      static const char *const keys[] = { "direction", "points", "pct", NULL };
      gsize mark = fo_json_push_key (reader, "change");

      rule->has_change = TRUE;
      if (fo_json_check_keys (reader, change, keys) && fo_json_require (reader, change,
                                                                        "direction"))
        {
          rule->direction = fo_json_enum (reader, change, "direction", direction_names, 0) == 1
                            ? 1 : -1;
          if (fo_json_number (reader, change, "pct", FALSE, &rule->change_pct))
            rule->change_is_pct = TRUE;
          fo_json_number (reader, change, "points", FALSE, &rule->change_points);
          if (json_object_has_member (change, "pct") && json_object_has_member (change, "points"))
            fo_json_fail (reader, "pct", _("use either points or pct"));
          if (rule->change_points < 0)
            fo_json_fail (reader, "points", _("a change must not be negative (direction says "
                                              "which way)"));
          if (rule->change_pct < 0)
            fo_json_fail (reader, "pct", _("a change must not be negative (direction says "
                                           "which way)"));
        }
      fo_json_pop (reader, mark);
      if (rule->baseline_only)
        fo_json_fail (reader, "change", _("the baseline reading cannot change from itself"));
      if (rule->star && rule->aggregate == FO_AGG_EACH && !fo_json_failed (reader))
        fo_json_fail (reader, "aggregate", _("a change is measured on “sum” or “average”"));
    }
  read_threshold (reader, object, rule, change == NULL);
  if (change != NULL && rule->has_threshold)
    fo_json_fail (reader, "op", _("use either change or op/value"));
  if (rule->star && rule->has_threshold && rule->aggregate == FO_AGG_EACH &&
      (rule->value < 1 || rule->value > 10))
    fo_json_fail (reader, "value", _("Star scores run from 1 to 10"));

  sustain = fo_json_object (reader, object, "sustain", FALSE);
  if (sustain != NULL)
    {
      static const char *const keys[] = { "readings", "span", NULL };
      gsize mark = fo_json_push_key (reader, "sustain");

      if (fo_json_check_keys (reader, sustain, keys))
        {
          if (fo_json_int (reader, sustain, "readings", FALSE, 1, 50, &value))
            rule->sustain_readings = value;
          rule->has_span = fo_json_duration (reader, sustain, "span", FALSE, &rule->sustain_span);
          if (rule->sustain_readings == 0 && !rule->has_span && !fo_json_failed (reader))
            fo_json_fail (reader, NULL, _("needs readings or span"));
        }
      fo_json_pop (reader, mark);
      if (rule->baseline_only)
        fo_json_fail (reader, "sustain", _("a single baseline reading cannot be sustained"));
    }
}

static void
read_metric (PlanLoader *loader,
             JsonObject *parent,
             const char *key,
             FoRule    **out,
             gboolean    allow_reading)
{
  FoJsonReader *reader = loader->reader;
  JsonObject *object = fo_json_object (reader, parent, key, TRUE);
  g_autoptr(GList) members = NULL;
  const char *name;
  FoRule *rule;
  gsize mark, inner;

  *out = NULL;
  if (object == NULL)
    return;
  mark = fo_json_push_key (reader, key);
  members = json_object_get_members (object);
  if (g_list_length (members) != 1)
    {
      fo_json_fail (reader, NULL, _("a metric has exactly one key: count, measure%s"),
                    allow_reading ? _(" or reading") : "");
      fo_json_pop (reader, mark);
      return;
    }
  name = members->data;
  rule = g_new0 (FoRule, 1);
  rule->path = g_strdup (reader->path->str);
  inner = fo_json_push_key (reader, name);
  /* The path already names the key, so the body is checked as a value. */
  object = fo_json_as_object (reader, json_object_get_member (object, name),
                              _("the metric's parameters"));
  if (object == NULL)
    ;
  else if (g_str_equal (name, "count"))
    {
      rule->kind = FO_RULE_COUNT;
      read_count (loader, object, rule, TRUE);
    }
  else if (g_str_equal (name, "measure"))
    {
      rule->kind = FO_RULE_MEASURE;
      read_measure (loader, object, rule, TRUE);
    }
  else if (allow_reading && g_str_equal (name, "reading"))
    {
      rule->kind = FO_RULE_READING;
      read_reading (loader, object, rule, TRUE);
    }
  else
    fo_json_fail (reader, NULL, _("“%s” cannot be a metric (expected count, measure%s)"), name,
                  allow_reading ? _(" or reading") : "");
  fo_json_pop (reader, inner);
  fo_json_pop (reader, mark);
  *out = rule;
}

static void
read_transition (PlanLoader *loader,
                 JsonObject *object,
                 FoRule     *rule)
{
  FoJsonReader *reader = loader->reader;
  JsonObject *inner;

  CHECK_KEYS ("case_types", "subject", "to", "no_return", "quiet_before");
  rule->case_types = fo_json_strv (reader, object, "case_types", TRUE);
  if (rule->case_types != NULL && g_strv_contains ((const char *const *) rule->case_types,
                                                   "family"))
    {
      rule->family_case = TRUE;
      if (g_strv_length (rule->case_types) != 1)
        fo_json_fail (reader, "case_types", _("“family” stands alone"));
    }
  read_selector (loader, object, "subject", FO_AGE_AT_DAY, &rule->subject);
  rule->to = fo_json_strv (reader, object, "to", FALSE);
  inner = fo_json_object (reader, object, "no_return", FALSE);
  if (inner != NULL)
    {
      static const char *const keys[] = { "case_types", "for", NULL };
      gsize mark = fo_json_push_key (reader, "no_return");

      if (fo_json_check_keys (reader, inner, keys))
        {
          rule->return_types = fo_json_strv (reader, inner, "case_types", TRUE);
          rule->has_return = fo_json_duration (reader, inner, "for", TRUE, &rule->return_for);
        }
      fo_json_pop (reader, mark);
    }
  inner = fo_json_object (reader, object, "quiet_before", FALSE);
  if (inner != NULL)
    {
      static const char *const keys[] = { "kinds", "for", NULL };
      gsize mark = fo_json_push_key (reader, "quiet_before");

      if (fo_json_check_keys (reader, inner, keys))
        {
          rule->quiet_kinds = read_kinds (reader, inner, "kinds", TRUE);
          rule->has_quiet = fo_json_duration (reader, inner, "for", TRUE, &rule->quiet_for);
        }
      fo_json_pop (reader, mark);
    }
}

static void
read_evidence (PlanLoader *loader,
               JsonObject *object,
               FoRule     *rule)
{
  FoJsonReader *reader = loader->reader;
  JsonObject *approval;

  CHECK_KEYS ("kinds", "scope", "roles", "approval", "not_before", "or_on_closure", "min_period",
              "min_level", "tool");
  rule->evidence_kinds = fo_json_strv (reader, object, "kinds", TRUE);
  rule->scope = fo_json_enum (reader, object, "scope", scope_names, FO_SCOPE_INDICATOR);
  if (rule->scope != FO_SCOPE_FAMILY && !loader->in_indicator)
    fo_json_fail (reader, "scope", _("there is no indicator here: use \"scope\": \"family\""));
  rule->roles = fo_json_strv (reader, object, "roles", FALSE);
  approval = fo_json_object (reader, object, "approval", FALSE);
  if (approval != NULL)
    {
      static const char *const keys[] = { "roles", NULL };
      gsize mark = fo_json_push_key (reader, "approval");

      if (fo_json_check_keys (reader, approval, keys))
        rule->approval_roles = fo_json_strv (reader, approval, "roles", TRUE);
      fo_json_pop (reader, mark);
    }
  rule->has_not_before = fo_json_duration (reader, object, "not_before", FALSE, &rule->not_before);
  fo_json_bool (reader, object, "or_on_closure", &rule->or_on_closure);
  if (rule->or_on_closure && !rule->has_not_before)
    fo_json_fail (reader, "or_on_closure", _("only makes sense with not_before"));
  rule->has_min_period = fo_json_duration (reader, object, "min_period", FALSE, &rule->min_period);
  rule->evidence_min_level = fo_json_enum (reader, object, "min_level", fo_level_names,
                                           FO_LEVEL_UNSET);
  rule->tool = dup_string (reader, object, "tool", FALSE);
}

static void
read_quantify (PlanLoader *loader,
               JsonObject *object,
               FoRule     *rule)
{
  FoJsonReader *reader = loader->reader;
  JsonNode *q;
  gboolean was_bound = loader->member_bound;
  FoRule *child;

  CHECK_KEYS ("over", "q", "if_empty", "rule");
  if (!fo_json_require (reader, object, "over") || !fo_json_require (reader, object, "q"))
    return;
  if (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "q")))
    {
      fo_json_fail (reader, "q", _("expected “all”, “any”, “none” or {\"at_least\": k}"));
      return;
    }
  read_selector (loader, object, "over", FO_AGE_AT_DAY, &rule->over);
  if (rule->over.mode == FO_SEL_MEMBER)
    fo_json_fail (reader, "over", _("quantify ranges over several members"));
  q = json_object_get_member (object, "q");
  if (JSON_NODE_HOLDS_OBJECT (q))
    {
      JsonObject *at_least = json_node_get_object (q);
      static const char *const keys[] = { "at_least", NULL };
      gsize mark = fo_json_push_key (reader, "q");
      gint64 k;

      rule->quantifier = FO_Q_AT_LEAST;
      if (fo_json_check_keys (reader, at_least, keys) &&
          fo_json_int (reader, at_least, "at_least", TRUE, 1, FO_MAX_MEMBERS, &k))
        rule->k = k;
      fo_json_pop (reader, mark);
    }
  else
    {
      static const char *const names[] = { "all", "any", "none", NULL };

      rule->quantifier = fo_json_enum (reader, object, "q", names, FO_Q_ALL);
    }
  rule->if_empty = rule->quantifier == FO_Q_ALL || rule->quantifier == FO_Q_NONE;
  fo_json_bool (reader, object, "if_empty", &rule->if_empty);

  loader->member_bound = TRUE;
  child = read_child (loader, object, "rule");
  loader->member_bound = was_bound;
  rule->children = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  if (child != NULL)
    g_ptr_array_add (rule->children, child);
}

static void
read_tiered (PlanLoader *loader,
             JsonObject *object,
             FoRule     *rule)
{
  FoJsonReader *reader = loader->reader;
  JsonArray *bands;
  gsize mark;

  CHECK_KEYS ("on", "bands");
  read_metric (loader, object, "on", &rule->metric, TRUE);
  if (rule->metric != NULL && rule->metric->kind == FO_RULE_COUNT &&
      rule->metric->window.kind == FO_WINDOW_NONE)
    fo_json_fail (reader, "on", _("a tier count needs a window fixed at entry"));
  if (rule->metric != NULL && rule->metric->kind == FO_RULE_MEASURE &&
      (!rule->metric->at_entry || rule->metric->terms == 0))
    fo_json_fail (reader, "on", _("a tier measure needs terms and \"at\": \"entry\""));
  bands = fo_json_array (reader, object, "bands", TRUE);
  rule->bands = g_ptr_array_new_with_free_func ((GDestroyNotify) band_free);
  if (bands == NULL)
    return;
  mark = fo_json_push_key (reader, "bands");
  if (json_array_get_length (bands) == 0)
    fo_json_fail (reader, NULL, _("needs at least one band"));
  for (guint i = 0; i < json_array_get_length (bands) && !fo_json_failed (reader); i++)
    {
      static const char *const keys[] = { "min", "max", "rule", NULL };
      gsize item = fo_json_push_index (reader, i);
      JsonObject *band_object = fo_json_as_object (reader, json_array_get_element (bands, i),
                                                   _("a band"));
      FoBand *band = g_new0 (FoBand, 1);

      g_ptr_array_add (rule->bands, band);
      if (band_object != NULL && fo_json_check_keys (reader, band_object, keys))
        {
          band->has_min = fo_json_number (reader, band_object, "min", FALSE, &band->min);
          band->has_max = fo_json_number (reader, band_object, "max", FALSE, &band->max);
          if (!band->has_min && !band->has_max)
            fo_json_fail (reader, NULL, _("a band needs min or max"));
          else if (band->has_min && band->has_max && band->max < band->min)
            fo_json_fail (reader, "max", _("is below min"));
          band->rule = read_child (loader, band_object, "rule");
        }
      fo_json_pop (reader, item);
    }
  fo_json_pop (reader, mark);
}

static FoRule *
read_rule (PlanLoader *loader,
           JsonNode   *node)
{
  FoJsonReader *reader = loader->reader;
  g_autoptr(GList) members = NULL;
  JsonObject *wrapper, *object = NULL;
  JsonNode *body;
  const char *name;
  FoRule *rule;
  int kind = -1;
  gsize mark;

  wrapper = fo_json_as_object (reader, node, _("a rule"));
  if (wrapper == NULL)
    return NULL;
  members = json_object_get_members (wrapper);
  if (g_list_length (members) != 1)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) fo_rule_kind_names);

      fo_json_fail (reader, NULL, _("a rule has exactly one key, its primitive (one of: %s)"),
                    list);
      return NULL;
    }
  name = members->data;
  for (int i = 0; fo_rule_kind_names[i] != NULL; i++)
    if (g_str_equal (fo_rule_kind_names[i], name))
      kind = i;
  if (kind < 0)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) fo_rule_kind_names);

      fo_json_fail (reader, name, _("unknown primitive “%s” (expected one of: %s)"), name, list);
      return NULL;
    }

  rule = g_new0 (FoRule, 1);
  rule->kind = kind;
  mark = fo_json_push_key (reader, name);
  rule->path = g_strdup (reader->path->str);
  body = json_object_get_member (wrapper, name);

  switch (rule->kind)
    {
    case FO_RULE_ALL:
    case FO_RULE_ANY:
      if (!JSON_NODE_HOLDS_ARRAY (body))
        {
          fo_json_fail (reader, NULL, _("expected a list of rules"));
          break;
        }
      {
        JsonArray *array = json_node_get_array (body);

        rule->children = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
        if (json_array_get_length (array) < 1)
          fo_json_fail (reader, NULL, _("needs at least one rule"));
        for (guint i = 0; i < json_array_get_length (array) && !fo_json_failed (reader); i++)
          {
            gsize item = fo_json_push_index (reader, i);
            FoRule *child = read_rule (loader, json_array_get_element (array, i));

            if (child != NULL)
              g_ptr_array_add (rule->children, child);
            fo_json_pop (reader, item);
          }
      }
      break;

    case FO_RULE_NOT:
    case FO_RULE_AT_ENTRY:
      {
        FoRule *child = read_rule (loader, body);

        rule->children = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
        if (child != NULL)
          g_ptr_array_add (rule->children, child);
      }
      break;

    default:
      object = fo_json_as_object (reader, body, _("the primitive's parameters"));
      if (object == NULL)
        break;
      switch (rule->kind)
        {
        case FO_RULE_COUNT:
          read_count (loader, object, rule, FALSE);
          break;
        case FO_RULE_SPELL:
          read_spell (loader, object, rule);
          break;
        case FO_RULE_MEASURE:
          read_measure (loader, object, rule, FALSE);
          break;
        case FO_RULE_CHANGE:
          read_change (loader, object, rule);
          break;
        case FO_RULE_READING:
          read_reading (loader, object, rule, FALSE);
          break;
        case FO_RULE_TRANSITION:
          read_transition (loader, object, rule);
          break;
        case FO_RULE_EVIDENCE:
          read_evidence (loader, object, rule);
          break;
        case FO_RULE_QUANTIFY:
          read_quantify (loader, object, rule);
          break;
        case FO_RULE_TIERED:
          read_tiered (loader, object, rule);
          break;
        case FO_RULE_SUSTAIN:
          {
            static const char *const keys[] = { "rule", "for", NULL };

            if (!fo_json_check_keys (reader, object, keys))
              break;
            fo_json_duration (reader, object, "for", TRUE, &rule->period);
            rule->children = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
            {
              FoRule *child = read_child (loader, object, "rule");

              if (child != NULL)
                g_ptr_array_add (rule->children, child);
            }
          }
          break;
        case FO_RULE_AT_LEAST:
          {
            static const char *const keys[] = { "k", "of", NULL };
            gint64 k;

            if (!fo_json_check_keys (reader, object, keys))
              break;
            if (fo_json_int (reader, object, "k", TRUE, 1, 100, &k))
              rule->k = k;
            g_clear_pointer (&rule->children, g_ptr_array_unref);
            rule->children = read_rule_list (loader, object, "of", 1);
            if (!fo_json_failed (reader) && (guint) rule->k > rule->children->len)
              fo_json_fail (reader, "k", _("asks for %d of only %u rules"), rule->k,
                            rule->children->len);
          }
          break;
        case FO_RULE_UNDEFINED:
          {
            static const char *const keys[] = { "reason", NULL };

            if (fo_json_check_keys (reader, object, keys))
              rule->reason = dup_string (reader, object, "reason", TRUE);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  fo_json_pop (reader, mark);
  if (fo_json_failed (reader))
    {
      rule_free (rule);
      return NULL;
    }
  rule->uses_indicator = fo_rule_uses_indicator (rule);
  rule->may_not_apply = fo_rule_may_not_apply (rule);
  return rule;
}

gboolean
fo_rule_may_not_apply (const FoRule *rule)
{
  if (rule->kind == FO_RULE_TIERED)
    return TRUE;
  for (guint i = 0; rule->children != NULL && i < rule->children->len; i++)
    if (((FoRule *) g_ptr_array_index (rule->children, i))->may_not_apply)
      return TRUE;
  return FALSE;
}

gboolean
fo_rule_uses_indicator (const FoRule *rule)
{
  if (rule->subject.identified || rule->over.identified)
    return TRUE;
  if (rule->kind == FO_RULE_EVIDENCE && rule->scope == FO_SCOPE_INDICATOR)
    return TRUE;
  if (rule->metric != NULL && fo_rule_uses_indicator (rule->metric))
    return TRUE;
  for (guint i = 0; rule->children != NULL && i < rule->children->len; i++)
    if (((FoRule *) g_ptr_array_index (rule->children, i))->uses_indicator)
      return TRUE;
  for (guint i = 0; rule->bands != NULL && i < rule->bands->len; i++)
    if (((FoBand *) g_ptr_array_index (rule->bands, i))->rule->uses_indicator)
      return TRUE;
  return FALSE;
}

static FoRule *
read_named_rule (PlanLoader *loader,
                 JsonObject *object,
                 const char *key,
                 gboolean    required)
{
  if (!json_object_has_member (object, key))
    {
      if (required)
        fo_json_fail (loader->reader, key, _("required key is missing"));
      return NULL;
    }
  return read_child (loader, object, key);
}

static GPtrArray *
read_gates (PlanLoader *loader,
            JsonObject *object,
            const char *key,
            GHashTable *ids)
{
  FoJsonReader *reader = loader->reader;
  JsonArray *array = fo_json_array (reader, object, key, FALSE);
  GPtrArray *gates = g_ptr_array_new_with_free_func ((GDestroyNotify) gate_free);
  gsize mark;

  if (array == NULL)
    return gates;
  mark = fo_json_push_key (reader, key);
  for (guint i = 0; i < json_array_get_length (array) && !fo_json_failed (reader); i++)
    {
      static const char *const keys[] = { "id", "text", "rule", NULL };
      gsize item = fo_json_push_index (reader, i);
      JsonObject *gate_object = fo_json_as_object (reader, json_array_get_element (array, i),
                                                   _("a condition"));

      if (gate_object != NULL && fo_json_check_keys (reader, gate_object, keys))
        {
          FoGate *gate = g_new0 (FoGate, 1);

          g_ptr_array_add (gates, gate);
          gate->id = dup_string (reader, gate_object, "id", TRUE);
          gate->text = dup_string (reader, gate_object, "text", TRUE);
          gate->rule = read_named_rule (loader, gate_object, "rule", TRUE);
          if (gate->id != NULL && !g_hash_table_add (ids, gate->id))
            fo_json_fail (reader, "id", _("duplicate id “%s”"), gate->id);
        }
      fo_json_pop (reader, item);
    }
  fo_json_pop (reader, mark);
  return gates;
}

static void
read_eligibility (PlanLoader *loader,
                  JsonObject *root,
                  GHashTable *ids)
{
  static const char *const keys[] = {
    "min_issues", "min_indicators", "dependent_children_or_expectant", "require", NULL
  };
  FoJsonReader *reader = loader->reader;
  FoPlan *plan = loader->plan;
  JsonObject *object = fo_json_object (reader, root, "eligibility", TRUE);
  gint64 value;
  gsize mark;

  if (object == NULL)
    return;
  mark = fo_json_push_key (reader, "eligibility");
  if (fo_json_check_keys (reader, object, keys))
    {
      if (fo_json_int (reader, object, "min_issues", TRUE, 1, 100, &value))
        plan->min_issues = value;
      if (fo_json_int (reader, object, "min_indicators", FALSE, 0, 1000, &value))
        plan->min_indicators = value;
      if (!fo_json_bool (reader, object, "dependent_children_or_expectant",
                         &plan->dependents_required) && !fo_json_failed (reader))
        fo_json_require (reader, object, "dependent_children_or_expectant");
      plan->requirements = read_gates (loader, object, "require", ids);
    }
  fo_json_pop (reader, mark);
}

static FoOutcome *
read_outcome (PlanLoader  *loader,
              JsonObject  *object,
              FoIssue     *issue,
              FoIndicator *owner)
{
  static const char *const keys[] = {
    "id", "number", "text", "source", "rule", "sustain", "sustain_note", "supplementary",
    "notes", NULL
  };
  FoJsonReader *reader = loader->reader;
  FoOutcome *outcome = g_new0 (FoOutcome, 1);

  outcome->issue = issue;
  outcome->owner = owner;
  outcome->notes = g_ptr_array_new_with_free_func (g_free);
  if (!fo_json_check_keys (reader, object, keys))
    return outcome;
  outcome->id = dup_string (reader, object, "id", TRUE);
  outcome->number = dup_string (reader, object, "number", TRUE);
  outcome->text = dup_string (reader, object, "text", TRUE);
  outcome->source = dup_string (reader, object, "source", FALSE);
  outcome->sustain_note = dup_string (reader, object, "sustain_note", FALSE);
  fo_json_bool (reader, object, "supplementary", &outcome->supplementary);
  g_ptr_array_unref (outcome->notes);
  outcome->notes = fo_json_notes (reader, object);
  outcome->has_sustain = fo_json_duration (reader, object, "sustain", FALSE, &outcome->sustain);
  outcome->rule = read_named_rule (loader, object, "rule", TRUE);
  if (outcome->rule != NULL && outcome->has_sustain)
    {
      FoRule *wrapper = g_new0 (FoRule, 1);

      wrapper->kind = FO_RULE_SUSTAIN;
      wrapper->path = g_strdup_printf ("%s.sustain", reader->path->str);
      wrapper->period = outcome->sustain;
      wrapper->children = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
      g_ptr_array_add (wrapper->children, outcome->rule);
      outcome->rule = wrapper;
    }
  return outcome;
}

static GPtrArray *
read_outcomes (PlanLoader  *loader,
               JsonObject  *object,
               FoIssue     *issue,
               FoIndicator *owner,
               GHashTable  *ids)
{
  FoJsonReader *reader = loader->reader;
  JsonArray *array = fo_json_array (reader, object, "outcomes", FALSE);
  GPtrArray *outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  gsize mark;

  if (array == NULL)
    return outcomes;
  mark = fo_json_push_key (reader, "outcomes");
  for (guint i = 0; i < json_array_get_length (array) && !fo_json_failed (reader); i++)
    {
      gsize item = fo_json_push_index (reader, i);
      JsonObject *outcome_object = fo_json_as_object (reader, json_array_get_element (array, i),
                                                      _("an outcome"));

      if (outcome_object != NULL)
        {
          FoOutcome *outcome = read_outcome (loader, outcome_object, issue, owner);

          g_ptr_array_add (outcomes, outcome);
          if (outcome->id != NULL && !g_hash_table_add (ids, outcome->id))
            fo_json_fail (reader, "id", _("duplicate id “%s”"), outcome->id);
        }
      fo_json_pop (reader, item);
    }
  fo_json_pop (reader, mark);
  return outcomes;
}

static FoIndicator *
read_indicator (PlanLoader *loader,
                JsonObject *object,
                FoIssue    *issue,
                GHashTable *ids)
{
  static const char *const keys[] = {
    "id", "number", "title", "text", "source", "subject", "entry", "identified_by_roles",
    "standalone_only", "outcomes_same_as", "outcomes", "notes", NULL
  };
  FoJsonReader *reader = loader->reader;
  FoIndicator *indicator = g_new0 (FoIndicator, 1);

  indicator->issue = issue;
  indicator->effective = g_ptr_array_new ();
  indicator->notes = g_ptr_array_new_with_free_func (g_free);
  indicator->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  if (!fo_json_check_keys (reader, object, keys))
    return indicator;
  indicator->id = dup_string (reader, object, "id", TRUE);
  if (indicator->id != NULL && !g_hash_table_add (ids, indicator->id))
    fo_json_fail (reader, "id", _("duplicate id “%s”"), indicator->id);
  indicator->number = dup_string (reader, object, "number", TRUE);
  indicator->title = dup_string (reader, object, "title", FALSE);
  indicator->text = dup_string (reader, object, "text", TRUE);
  indicator->source = dup_string (reader, object, "source", FALSE);
  g_ptr_array_unref (indicator->notes);
  indicator->notes = fo_json_notes (reader, object);
  fo_json_bool (reader, object, "standalone_only", &indicator->standalone_only);
  indicator->identified_by_roles = fo_json_strv (reader, object, "identified_by_roles", FALSE);
  indicator->outcomes_same_as = dup_string (reader, object, "outcomes_same_as", FALSE);

  loader->in_indicator = TRUE;
  indicator->has_subject = json_object_has_member (object, "subject");
  read_selector (loader, object, "subject", FO_AGE_AT_ENTRY, &indicator->subject);
  if (indicator->has_subject && indicator->subject.mode != FO_SEL_FILTER)
    fo_json_fail (reader, "subject", _("an indicator's subject is a selector object"));
  if (indicator->subject.identified)
    fo_json_fail (reader, "subject", _("an indicator cannot select by its own identification"));

  loader->member_bound = indicator->has_subject;
  indicator->entry = read_named_rule (loader, object, "entry", FALSE);
  if (indicator->entry == NULL && indicator->identified_by_roles == NULL &&
      !fo_json_failed (reader))
    fo_json_fail (reader, NULL, _("an indicator needs an entry rule or identified_by_roles"));

  /* Outcomes are judged for the whole family unless they quantify over members. */
  loader->member_bound = FALSE;
  g_ptr_array_unref (indicator->outcomes);
  indicator->outcomes = read_outcomes (loader, object, issue, indicator, ids);
  if (indicator->outcomes->len > 0 && indicator->outcomes_same_as != NULL)
    fo_json_fail (reader, "outcomes_same_as", _("use either outcomes or outcomes_same_as"));
  loader->in_indicator = FALSE;
  return indicator;
}

static FoIssue *
read_issue (PlanLoader *loader,
            JsonObject *object,
            GHashTable *ids)
{
  static const char *const keys[] = {
    "id", "number", "title", "notes", "outcomes", "indicators", NULL
  };
  FoJsonReader *reader = loader->reader;
  FoIssue *issue = g_new0 (FoIssue, 1);
  JsonArray *indicators;
  gsize mark;

  issue->indicators = g_ptr_array_new_with_free_func ((GDestroyNotify) indicator_free);
  issue->notes = g_ptr_array_new_with_free_func (g_free);
  issue->shared_outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  if (!fo_json_check_keys (reader, object, keys))
    return issue;
  issue->id = dup_string (reader, object, "id", TRUE);
  if (issue->id != NULL && !g_hash_table_add (ids, issue->id))
    fo_json_fail (reader, "id", _("duplicate id “%s”"), issue->id);
  issue->number = dup_string (reader, object, "number", TRUE);
  issue->title = dup_string (reader, object, "title", TRUE);
  g_ptr_array_unref (issue->notes);
  issue->notes = fo_json_notes (reader, object);

  loader->in_indicator = TRUE;
  loader->member_bound = FALSE;
  g_ptr_array_unref (issue->shared_outcomes);
  issue->shared_outcomes = read_outcomes (loader, object, issue, NULL, ids);
  loader->in_indicator = FALSE;

  indicators = fo_json_array (reader, object, "indicators", TRUE);
  if (indicators == NULL)
    return issue;
  if (json_array_get_length (indicators) == 0 && issue->notes->len == 0)
    fo_json_fail (reader, "indicators", _("an issue without indicators needs a note saying why"));
  mark = fo_json_push_key (reader, "indicators");
  for (guint i = 0; i < json_array_get_length (indicators) && !fo_json_failed (reader); i++)
    {
      gsize item = fo_json_push_index (reader, i);
      JsonObject *indicator_object = fo_json_as_object (reader,
                                                        json_array_get_element (indicators, i),
                                                        _("an indicator"));

      if (indicator_object != NULL)
        g_ptr_array_add (issue->indicators, read_indicator (loader, indicator_object, issue, ids));
      fo_json_pop (reader, item);
    }
  fo_json_pop (reader, mark);
  return issue;
}

static void
read_route (PlanLoader *loader,
            JsonObject *object,
            GHashTable *ids)
{
  static const char *const keys[] = {
    "id", "kind", "title", "notes", "gates", "confirmation", "after_closure", "outcomes",
    "decision", "needs_agreement_of", NULL
  };
  FoJsonReader *reader = loader->reader;
  FoRoute *route = g_new0 (FoRoute, 1);
  JsonObject *inner;

  g_ptr_array_add (loader->plan->routes, route);
  route->outcomes = g_ptr_array_new ();
  if (!fo_json_check_keys (reader, object, keys))
    return;
  route->id = dup_string (reader, object, "id", TRUE);
  if (route->id != NULL && !g_hash_table_add (ids, route->id))
    fo_json_fail (reader, "id", _("duplicate id “%s”"), route->id);
  if (!fo_json_require (reader, object, "kind"))
    return;
  route->kind = fo_json_enum (reader, object, "kind", route_kind_names, 0);
  route->title = dup_string (reader, object, "title", TRUE);
  route->notes = fo_json_notes (reader, object);
  route->needs_agreement_of = fo_json_strv (reader, object, "needs_agreement_of", FALSE);
  route->gates = read_gates (loader, object, "gates", ids);
  route->has_after_closure = fo_json_duration (reader, object, "after_closure", FALSE,
                                               &route->after_closure);
  inner = fo_json_object (reader, object, "confirmation", FALSE);
  if (inner != NULL)
    {
      static const char *const ckeys[] = { "kinds", "roles", NULL };
      gsize mark = fo_json_push_key (reader, "confirmation");

      if (fo_json_check_keys (reader, inner, ckeys))
        {
          route->confirmation_kinds = fo_json_strv (reader, inner, "kinds", TRUE);
          route->confirmation_roles = fo_json_strv (reader, inner, "roles", FALSE);
        }
      fo_json_pop (reader, mark);
    }
  inner = fo_json_object (reader, object, "decision", route->kind == FO_ROUTE_DISCRETION);
  if (inner != NULL)
    {
      static const char *const dkeys[] = { "kinds", "roles", NULL };
      gsize mark = fo_json_push_key (reader, "decision");

      if (fo_json_check_keys (reader, inner, dkeys))
        {
          route->decision_kinds = fo_json_strv (reader, inner, "kinds", TRUE);
          route->decision_roles = fo_json_strv (reader, inner, "roles", TRUE);
        }
      fo_json_pop (reader, mark);
    }
  route->outcome_ids = fo_json_strv (reader, object, "outcomes",
                                     route->kind == FO_ROUTE_STANDALONE);

  if (fo_json_failed (reader))
    return;
  if (route->kind != FO_ROUTE_STANDALONE && route->outcome_ids != NULL)
    fo_json_fail (reader, "outcomes", _("only a standalone route lists outcomes"));
  if (route->kind != FO_ROUTE_ALL_IDENTIFIED &&
      (route->gates->len > 0 || route->confirmation_kinds != NULL || route->has_after_closure))
    fo_json_fail (reader, NULL, _("gates, confirmation and after_closure belong to an "
                                  "all_identified route"));
  if (route->kind != FO_ROUTE_DISCRETION && route->decision_kinds != NULL)
    fo_json_fail (reader, "decision", _("only a discretion route takes a decision"));
}

static gboolean
resolve_references (FoJsonReader *reader,
                    FoPlan       *plan)
{
  for (guint i = 0; i < plan->indicators->len; i++)
    {
      FoIndicator *indicator = g_ptr_array_index (plan->indicators, i);
      GPtrArray *source = indicator->outcomes;

      if (indicator->outcomes_same_as != NULL)
        {
          const FoIndicator *other = fo_plan_find_indicator (plan, indicator->outcomes_same_as);

          if (other == NULL || other->outcomes->len == 0)
            {
              g_string_printf (reader->path, "$.headline_issues[%u].indicators[%u]",
                               indicator->issue->index, indicator->index);
              fo_json_fail (reader, "outcomes_same_as",
                            other == NULL ? _("no indicator has the id “%s”")
                                          : _("indicator “%s” has no outcomes of its own"),
                            indicator->outcomes_same_as);
              return FALSE;
            }
          source = other->outcomes;
        }
      else if (source->len == 0)
        source = indicator->issue->shared_outcomes;

      if (source->len == 0)
        {
          g_string_printf (reader->path, "$.headline_issues[%u].indicators[%u]",
                           indicator->issue->index, indicator->index);
          fo_json_fail (reader, NULL, _("indicator “%s” has no outcomes (give it outcomes, "
                                        "outcomes_same_as, or shared outcomes on its issue)"),
                        indicator->id);
          return FALSE;
        }
      for (guint j = 0; j < source->len; j++)
        g_ptr_array_add (indicator->effective, g_ptr_array_index (source, j));
    }

  for (guint r = 0; r < plan->routes->len; r++)
    {
      FoRoute *route = g_ptr_array_index (plan->routes, r);

      for (guint j = 0; route->outcome_ids != NULL && route->outcome_ids[j] != NULL; j++)
        {
          const FoOutcome *outcome = fo_plan_find_outcome (plan, route->outcome_ids[j]);

          if (outcome == NULL || outcome->owner == NULL)
            {
              g_autofree char *where = g_strdup_printf ("outcomes[%u]", j);

              g_string_printf (reader->path, "$.claim_routes[%u]", r);
              fo_json_fail (reader, where, _("“%s” is not an indicator's outcome in this "
                                             "plan"), route->outcome_ids[j]);
              return FALSE;
            }
          g_ptr_array_add (route->outcomes, (gpointer) outcome);
        }
    }
  if (plan->routes->len == 0)
    {
      g_string_assign (reader->path, "$");
      fo_json_fail (reader, "claim_routes", _("a plan needs at least one claim route"));
      return FALSE;
    }
  return TRUE;
}

static FoPlan *
read_plan (const char *file,
           JsonNode   *root,
           GError    **error)
{
  static const char *const keys[] = {
    "format", "id", "title", "council", "version", "source_document", "date", "notes",
    "eligibility", "claim_routes", "headline_issues", NULL
  };
  g_autoptr(FoPlan) plan = g_new0 (FoPlan, 1);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  FoJsonReader reader;
  PlanLoader loader = { &reader, plan, FALSE, FALSE };
  JsonObject *object;
  JsonArray *array;
  gint64 format;

  plan->file = g_strdup (file);
  plan->notes = g_ptr_array_new_with_free_func (g_free);
  plan->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  plan->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) issue_free);
  plan->indicators = g_ptr_array_new ();
  fo_json_reader_init (&reader, file, FO_ERROR_INVALID_PLAN);

  object = fo_json_as_object (&reader, root, _("a plan"));
  if (object == NULL || !fo_json_check_keys (&reader, object, keys))
    goto out;
  fo_json_int (&reader, object, "format", TRUE, 1, 1, &format);
  plan->id = dup_string (&reader, object, "id", TRUE);
  plan->title = dup_string (&reader, object, "title", TRUE);
  plan->council = dup_string (&reader, object, "council", TRUE);
  plan->version = dup_string (&reader, object, "version", TRUE);
  plan->source_document = dup_string (&reader, object, "source_document", TRUE);
  fo_json_day (&reader, object, "date", TRUE, &plan->date);
  g_ptr_array_unref (plan->notes);
  plan->notes = fo_json_notes (&reader, object);
  if (fo_json_failed (&reader))
    goto out;

  read_eligibility (&loader, object, ids);

  array = fo_json_array (&reader, object, "headline_issues", TRUE);
  if (array != NULL && json_array_get_length (array) == 0)
    fo_json_fail (&reader, "headline_issues", _("a plan needs headline issues"));
  for (guint i = 0; array != NULL && i < json_array_get_length (array) &&
                    !fo_json_failed (&reader); i++)
    {
      gsize mark = fo_json_push_key (&reader, "headline_issues");
      JsonObject *issue_object;

      fo_json_push_index (&reader, i);
      issue_object = fo_json_as_object (&reader, json_array_get_element (array, i),
                                        _("a headline issue"));
      if (issue_object != NULL)
        {
          FoIssue *issue = read_issue (&loader, issue_object, ids);

          issue->index = i;
          g_ptr_array_add (plan->issues, issue);
          for (guint j = 0; j < issue->indicators->len; j++)
            {
              FoIndicator *indicator = g_ptr_array_index (issue->indicators, j);

              indicator->index = j;
              g_ptr_array_add (plan->indicators, indicator);
              plan->n_outcomes += indicator->outcomes->len;
            }
          plan->n_outcomes += issue->shared_outcomes->len;
        }
      fo_json_pop (&reader, mark);
    }

  array = fo_json_array (&reader, object, "claim_routes", TRUE);
  for (guint i = 0; array != NULL && i < json_array_get_length (array) &&
                    !fo_json_failed (&reader); i++)
    {
      gsize mark = fo_json_push_key (&reader, "claim_routes");
      JsonObject *route_object;

      fo_json_push_index (&reader, i);
      route_object = fo_json_as_object (&reader, json_array_get_element (array, i),
                                        _("a claim route"));
      if (route_object != NULL)
        read_route (&loader, route_object, ids);
      fo_json_pop (&reader, mark);
    }

  if (!fo_json_failed (&reader))
    resolve_references (&reader, plan);

out:
  if (fo_json_failed (&reader))
    {
      g_propagate_error (error, g_steal_pointer (&reader.error));
      fo_json_reader_clear (&reader);
      return NULL;
    }
  fo_json_reader_clear (&reader);
  return g_steal_pointer (&plan);
}

FoPlan *
fo_plan_load_data (const char *file,
                   const char *data,
                   gsize       length,
                   GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  FoPlan *plan;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  root = fo_json_load_data (file, data, length, error);
  if (root == NULL)
    return NULL;
  plan = read_plan (file, root, error);
  if (plan != NULL)
    plan->content_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                      (const guchar *) data, length);
  return plan;
}

FoPlan *
fo_plan_load_file (const char *file,
                   GError    **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (file != NULL, NULL);

  data = fo_json_read_file (file, &length, error);
  if (data == NULL)
    return NULL;
  return fo_plan_load_data (file, data, length, error);
}

const FoIndicator *
fo_plan_find_indicator (const FoPlan *plan,
                        const char   *id)
{
  for (guint i = 0; i < plan->indicators->len; i++)
    {
      const FoIndicator *indicator = g_ptr_array_index (plan->indicators, i);

      if (g_strcmp0 (indicator->id, id) == 0)
        return indicator;
    }
  return NULL;
}

const FoOutcome *
fo_plan_find_outcome (const FoPlan *plan,
                      const char   *id)
{
  for (guint i = 0; i < plan->issues->len; i++)
    {
      const FoIssue *issue = g_ptr_array_index (plan->issues, i);

      for (guint j = 0; j < issue->shared_outcomes->len; j++)
        if (g_strcmp0 (((FoOutcome *) g_ptr_array_index (issue->shared_outcomes, j))->id, id) == 0)
          return g_ptr_array_index (issue->shared_outcomes, j);
      for (guint j = 0; j < issue->indicators->len; j++)
        {
          const FoIndicator *indicator = g_ptr_array_index (issue->indicators, j);

          for (guint k = 0; k < indicator->outcomes->len; k++)
            if (g_strcmp0 (((FoOutcome *) g_ptr_array_index (indicator->outcomes, k))->id, id) == 0)
              return g_ptr_array_index (indicator->outcomes, k);
        }
    }
  return NULL;
}

/**
 * fo_window_last:
 *
 * The last day a window covers when a rule is judged on @day: @day, or the entry date for a
 * window fixed at entry.
 */
FoDay
fo_window_last (const FoWindow *window,
                FoDay           entry,
                FoDay           day)
{
  g_return_val_if_fail (window != NULL, 0);

  if ((window->kind == FO_WINDOW_LAST || window->kind == FO_WINDOW_LAST_TERMS) &&
      window->at_entry)
    return entry;
  return day;
}

/**
 * fo_window_first:
 * @terms_start: for a last_terms window, the start of the N-th most recent complete term
 *   ending on or before @last (0 when there are fewer terms: the window is then undefined)
 *
 * The first day a window covers, given its last day (see fo_window_last()).
 */
FoDay
fo_window_first (const FoWindow *window,
                 FoDay           entry,
                 FoDay           last,
                 FoDay           terms_start)
{
  g_return_val_if_fail (window != NULL, 0);

  switch (window->kind)
    {
    case FO_WINDOW_ON_DAY:
      return last;
    case FO_WINDOW_LAST:
      return fo_duration_window_start (last, &window->last);
    case FO_WINDOW_LAST_TERMS:
      return terms_start;
    case FO_WINDOW_SINCE_ENTRY:
    case FO_WINDOW_NONE:
    default:
      return entry;
    }
}
