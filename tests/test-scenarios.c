/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-scenarios"

#include "config.h"

#include "fo-evaluator.h"
#include "fo-json.h"

/* Runs every scenario under tests/scenarios/PLAN/: a family, and the verdicts that the plan's
 * text gives for it, written by hand. Only what a check names is asserted. */

typedef struct
{
  char *plan_file;
  char *family_file;
  char *expect_file;
} Scenario;

static void
scenario_free (gpointer data)
{
  Scenario *scenario = data;

  g_free (scenario->plan_file);
  g_free (scenario->family_file);
  g_free (scenario->expect_file);
  g_free (scenario);
}

static const char *
optional_string (JsonObject *object,
                 const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

static char *
day_string (FoDay day)
{
  return fo_day_format (day);
}

static void
check_day (const char *where,
           const char *field,
           JsonObject *expected,
           FoDay       actual)
{
  g_autofree char *got = NULL;
  const char *want;

  if (!json_object_has_member (expected, field))
    return;
  want = optional_string (expected, field);
  got = day_string (actual);
  if (g_strcmp0 (want, got) != 0)
    g_test_fail_printf ("%s: %s: expected %s, got %s", where, field, want ? want : "null",
             got ? got : "null");
}

static void
run_check (const Scenario *scenario,
           FoPlan         *plan,
           FoFamily       *family,
           JsonObject     *check)
{
  g_autoptr(FoEvaluation) evaluation = NULL;
  g_autofree char *where = NULL;
  const char *as_of_text = json_object_get_string_member (check, "as_of");
  FoDay as_of;

  g_assert_true (fo_day_parse (as_of_text, &as_of));
  where = g_strdup_printf ("%s as of %s", scenario->expect_file, as_of_text);
  /* Explanations on and off must agree; the explained run is the one checked in detail. */
  {
    g_autoptr(FoEvaluation) quick = fo_evaluate (plan, family, as_of, FO_EVALUATE_DEFAULT);

    evaluation = fo_evaluate (plan, family, as_of, FO_EVALUATE_EXPLAIN);
    g_assert_cmpint (quick->claimable, ==, evaluation->claimable);
    g_assert_cmpuint (quick->claimable_from, ==, evaluation->claimable_from);
    g_assert_cmpint (quick->eligible, ==, evaluation->eligible);
  }

  if (json_object_has_member (check, "eligible") &&
      json_object_get_boolean_member (check, "eligible") != evaluation->eligible)
    g_test_fail_printf ("%s: eligible: expected %d, got %d", where,
             json_object_get_boolean_member (check, "eligible"), evaluation->eligible);
  if (json_object_has_member (check, "claimable") &&
      json_object_get_boolean_member (check, "claimable") != evaluation->claimable)
    {
      g_autofree char *blockers = NULL;

      g_ptr_array_add (evaluation->blockers, NULL);
      blockers = g_strjoinv (" | ", (char **) evaluation->blockers->pdata);
      g_test_fail_printf ("%s: claimable: expected %d, got %d (%s)", where,
               json_object_get_boolean_member (check, "claimable"), evaluation->claimable,
               blockers);
    }
  check_day (where, "claimable_from", check, evaluation->claimable_from);
  if (json_object_has_member (check, "route"))
    {
      const char *want = optional_string (check, "route");
      const char *got = evaluation->route ? evaluation->route->id : NULL;

      if (g_strcmp0 (want, got) != 0)
        g_test_fail_printf ("%s: route: expected %s, got %s", where, want, got);
    }

  if (json_object_has_member (check, "issues"))
    {
      JsonObject *issues = json_object_get_object_member (check, "issues");
      JsonObjectIter iter;
      const char *id;
      JsonNode *value;

      json_object_iter_init (&iter, issues);
      while (json_object_iter_next (&iter, &id, &value))
        {
          const FoIssueResult *issue = fo_evaluation_issue (evaluation, id);

          if (issue == NULL)
            g_test_fail_printf ("%s: no headline issue %s", where, id);
          if (g_strcmp0 (json_node_get_string (value), fo_issue_state_to_string (issue->state)))
            g_test_fail_printf ("%s: issue %s: expected %s, got %s", where, id,
                                json_node_get_string (value),
                     fo_issue_state_to_string (issue->state));
        }
    }

  if (json_object_has_member (check, "indicators"))
    {
      JsonObject *indicators = json_object_get_object_member (check, "indicators");
      JsonObjectIter iter;
      const char *id;
      JsonNode *value;

      json_object_iter_init (&iter, indicators);
      while (json_object_iter_next (&iter, &id, &value))
        {
          const FoIndicatorResult *indicator = fo_evaluation_indicator (evaluation, id);
          JsonObject *want = json_node_get_object (value);

          if (indicator == NULL)
            g_test_fail_printf ("%s: no indicator %s", where, id);
          if (json_object_has_member (want, "identified") &&
              json_object_get_boolean_member (want, "identified") != indicator->identified)
            g_test_fail_printf ("%s: indicator %s identified: expected %d, got %d (%s)", where, id,
                     json_object_get_boolean_member (want, "identified"), indicator->identified,
                     indicator->reason);
          if (json_object_has_member (want, "members"))
            {
              JsonArray *members = json_object_get_array_member (want, "members");
              guint64 mask = 0;

              for (guint i = 0; i < json_array_get_length (members); i++)
                {
                  int index = fo_family_member_index (family,
                                                      json_array_get_string_element (members, i));

                  g_assert_cmpint (index, >=, 0);
                  mask |= G_GUINT64_CONSTANT (1) << index;
                }
              if (mask != indicator->members)
                g_test_fail_printf ("%s: indicator %s members: expected %" G_GINT64_MODIFIER "x, got %"
                         G_GINT64_MODIFIER "x", where, id, mask, indicator->members);
            }
          if (json_object_has_member (want, "met") &&
              json_object_get_boolean_member (want, "met") != indicator->met)
            g_test_fail_printf ("%s: indicator %s met: expected %d, got %d", where, id,
                     json_object_get_boolean_member (want, "met"), indicator->met);
        }
    }

  if (json_object_has_member (check, "outcomes"))
    {
      JsonObject *outcomes = json_object_get_object_member (check, "outcomes");
      JsonObjectIter iter;
      const char *id;
      JsonNode *value;

      json_object_iter_init (&iter, outcomes);
      while (json_object_iter_next (&iter, &id, &value))
        {
          JsonObject *want = json_node_get_object (value);
          const char *indicator_id = optional_string (want, "indicator");
          const FoOutcomeResult *outcome = fo_evaluation_outcome (evaluation, indicator_id, id);
          g_autofree char *outcome_where = g_strdup_printf ("%s: outcome %s", where, id);

          if (outcome == NULL)
            g_test_fail_printf ("%s: not found", outcome_where);
          if (json_object_has_member (want, "state") &&
              g_strcmp0 (json_object_get_string_member (want, "state"),
                         fo_state_to_string (outcome->state)) != 0)
            g_test_fail_printf ("%s: state: expected %s, got %s (%s)", outcome_where,
                     json_object_get_string_member (want, "state"),
                     fo_state_to_string (outcome->state), outcome->reason);
          check_day (outcome_where, "achieved_since", want, outcome->achieved_since);
          check_day (outcome_where, "sustained_since", want, outcome->sustained_since);
        }
    }
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlan) plan = fo_plan_load_file (scenario->plan_file, &error);
  g_autoptr(FoFamily) family = NULL;
  g_autoptr(JsonNode) expect = NULL;
  JsonArray *checks;

  g_assert_no_error (error);
  family = fo_family_load_file (scenario->family_file, &error);
  g_assert_no_error (error);
  expect = fo_json_load_file (scenario->expect_file, &error);
  g_assert_no_error (error);
  checks = json_object_get_array_member (json_node_get_object (expect), "checks");
  g_assert_nonnull (checks);
  g_assert_cmpuint (json_array_get_length (checks), >, 0);
  for (guint i = 0; i < json_array_get_length (checks); i++)
    run_check (scenario, plan, family, json_array_get_object_element (checks, i));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) scenarios = g_ptr_array_new_with_free_func (scenario_free);
  const char *source = g_getenv ("FO_SOURCE_DIR");
  g_autofree char *root = g_build_filename (source ? source : SOURCE_DIR, "tests", "scenarios",
                                            NULL);
  g_autoptr(GDir) plans = g_dir_open (root, 0, NULL);
  const char *plan_name;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (plans);
  while ((plan_name = g_dir_read_name (plans)) != NULL)
    {
      g_autofree char *folder = g_build_filename (root, plan_name, NULL);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".expect.json"))
          g_ptr_array_add (names, g_strndup (name, strlen (name) - strlen (".expect.json")));
      g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
      for (guint i = 0; i < names->len; i++)
        {
          const char *base = g_ptr_array_index (names, i);
          Scenario *scenario = g_new0 (Scenario, 1);
          g_autofree char *family = g_strconcat (base, ".family.json", NULL);
          g_autofree char *expect = g_strconcat (base, ".expect.json", NULL);
          g_autofree char *plan = g_strconcat (plan_name, ".json", NULL);
          g_autofree char *path = g_strdup_printf ("/scenarios/%s/%s", plan_name, base);

          scenario->plan_file = g_build_filename (source ? source : SOURCE_DIR, "plans", plan,
                                                  NULL);
          scenario->family_file = g_build_filename (folder, family, NULL);
          scenario->expect_file = g_build_filename (folder, expect, NULL);
          g_ptr_array_add (scenarios, scenario);
          g_test_add_data_func (path, scenario, test_scenario);
        }
    }
  return g_test_run ();
}
