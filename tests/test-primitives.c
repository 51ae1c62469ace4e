/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-primitives"

#include "config.h"

#include <string.h>

#include "fo-evaluator.h"
#include "fo-json.h"

/*
 * Unit tests of the rule primitives (plans/README.md) at the boundaries that the catalogue's
 * §9 fixes (A00–A43). Every case builds a one-indicator plan and a tiny family from inline JSON
 * and asserts what a user would see: the outcome's state, achieved-since and sustained-since,
 * on the boundary day and a day either side.
 *
 * JSON is written with single quotes for legibility; they are turned into double quotes before
 * parsing (no string in these tests contains an apostrophe). All names are invented.
 *
 * Checks are non-fatal (g_test_fail_printf) and the program keeps going after a failed case,
 * so one wrong verdict does not hide the others.
 */

#define INDICATOR "T-1.1"
#define DEFAULT_ENTRY_DATE "2025-09-01"

/* Identifies the indicator whatever the data. */
#define ENTRY_ALWAYS \
  "{'count': {'kinds': ['identified'], 'window': {'on_day': true}, 'op': '>=', 'value': 0}}"

#define PARENT "{'id': 'p1', 'name': 'Alex Testparent', 'dob': '1985-03-10', 'role': 'parent'}"
#define CHILD1 "{'id': 'c1', 'name': 'Sam Testchild', 'dob': '2014-05-20', 'role': 'child'}"
#define CHILD2 "{'id': 'c2', 'name': 'Jo Testchild', 'dob': '2012-03-03', 'role': 'child'}"
/* Pre-school throughout these tests (compulsory school age from 2028-04-01). */
#define TODDLER "{'id': 'c3', 'name': 'Kit Testchild', 'dob': '2023-01-10', 'role': 'child'}"
/* Turns 16 on 2025-12-01: of school age through Friday 2026-06-26 (A26). */
#define LEAVER "{'id': 'c4', 'name': 'Lee Testchild', 'dob': '2009-12-01', 'role': 'child'}"

#define DEFAULT_MEMBERS PARENT ", " CHILD1

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct
{
  const char *subject;     /* the indicator's subject selector, or NULL (family level) */
  const char *entry;       /* the entry rule, or NULL: always identified */
  const char *rule;        /* the rule of the one outcome "O1" ... */
  const char *sustain;     /* ... and its optional sustain period */
  const char *outcomes;    /* or else a whole outcome list */
  const char *entry_date;  /* default DEFAULT_ENTRY_DATE */
  const char *family;      /* extra top-level family keys, e.g. closure, ending in a comma */
  const char *members;     /* default DEFAULT_MEMBERS */
  const char *events;      /* default none */
} Spec;

typedef struct
{
  FoPlan   *plan;
  FoFamily *family;
} Fixture;

static void
fixture_clear (Fixture *fixture)
{
  g_clear_pointer (&fixture->plan, fo_plan_free);
  g_clear_pointer (&fixture->family, fo_family_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

/* Single quotes to double quotes. */
static char *
sq (const char *text)
{
  char *json = g_strdup (text);

  for (char *p = json; *p != '\0'; p++)
    if (*p == '\'')
      *p = '"';
  return json;
}

static gboolean
load (Fixture    *fixture,
      const Spec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *outcomes = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *plan_text = NULL;
  g_autofree char *family_text = NULL;
  g_autofree char *plan_json = NULL;
  g_autofree char *family_json = NULL;

  if (spec->outcomes != NULL)
    outcomes = g_strdup (spec->outcomes);
  else
    outcomes = g_strdup_printf ("[{'id': 'O1', 'number': '1', 'text': 'Outcome one', %s%s%s"
                                "'rule': %s}]",
                                spec->sustain ? "'sustain': '" : "",
                                spec->sustain ? spec->sustain : "",
                                spec->sustain ? "', " : "", spec->rule);
  subject = spec->subject ? g_strdup_printf ("'subject': %s, ", spec->subject) : g_strdup ("");
  plan_text = g_strdup_printf (
    "{'format': 1, 'id': 'test', 'title': 'Test plan', 'council': 'Nowhere Test Council',"
    " 'version': '1', 'source_document': 'none', 'date': '2020-01-01',"
    " 'eligibility': {'min_issues': 1, 'dependent_children_or_expectant': false},"
    " 'claim_routes': [{'id': 'full', 'kind': 'all_identified', 'title': 'All identified'}],"
    " 'headline_issues': [{'id': 'T-1', 'number': '1', 'title': 'Test issue', 'indicators': ["
    "   {'id': '" INDICATOR "', 'number': '1.1', 'text': 'Test indicator', %s"
    "    'entry': %s, 'outcomes': %s}]}]}",
    subject, spec->entry ? spec->entry : ENTRY_ALWAYS, outcomes);
  family_text = g_strdup_printf (
    "{'format': 1, 'reference': 'FAM-TEST-1', 'name': 'Testfamily', 'entry_date': '%s', %s"
    " 'members': [%s], 'events': [%s]}",
    spec->entry_date ? spec->entry_date : DEFAULT_ENTRY_DATE, spec->family ? spec->family : "",
    spec->members ? spec->members : DEFAULT_MEMBERS, spec->events ? spec->events : "");
  plan_json = sq (plan_text);
  family_json = sq (family_text);

  fixture->plan = fo_plan_load_data ("test-plan.json", plan_json, strlen (plan_json), &error);
  if (fixture->plan == NULL)
    {
      g_test_fail_printf ("plan does not load: %s\n%s", error->message, plan_json);
      return FALSE;
    }
  root = fo_json_load_data ("test-family.json", family_json, -1, &error);
  if (root != NULL)
    fixture->family = fo_family_load_node ("test-family.json", root, &error);
  if (fixture->family == NULL)
    {
      g_test_fail_printf ("family does not load: %s\n%s", error->message, family_json);
      return FALSE;
    }
  return TRUE;
}

static FoEvaluation *
evaluate (Fixture    *fixture,
          const char *as_of)
{
  FoDay day;

  if (!fo_day_parse (as_of, &day))
    {
      g_test_fail_printf ("bad as-of date in the test: %s", as_of);
      return NULL;
    }
  return fo_evaluate (fixture->plan, fixture->family, day, FO_EVALUATE_EXPLAIN);
}

/* Every failed check is logged; the TAP line alone shows only a test's last failure. */
static void G_GNUC_PRINTF (1, 2)
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_message ("FAIL: %s", message);
  g_test_fail_printf ("%s", message);
}

static void
check_day (const char *where,
           const char *field,
           const char *want,
           FoDay       got)
{
  g_autofree char *text = fo_day_format (got);

  if (g_strcmp0 (want, text) != 0)
    fail ("%s: %s: expected %s, got %s", where, field, want ? want : "none",
                        text ? text : "none");
}

static const FoOutcomeResult *
find_outcome (FoEvaluation *evaluation,
              const char   *where,
              const char   *outcome_id)
{
  const FoOutcomeResult *result = fo_evaluation_outcome (evaluation, INDICATOR, outcome_id);

  if (result == NULL)
    fail ("%s: no outcome %s", where, outcome_id);
  return result;
}

/* The outcome's state and dates as of @as_of; NULL dates mean "none". */
static void
expect (Fixture    *fixture,
        const char *as_of,
        const char *outcome_id,
        FoState     state,
        const char *achieved_since,
        const char *sustained_since)
{
  g_autoptr(FoEvaluation) evaluation = evaluate (fixture, as_of);
  g_autofree char *where = g_strdup_printf ("%s as of %s: %s", g_test_get_path (), as_of,
                                            outcome_id);
  const FoOutcomeResult *result;

  if (evaluation == NULL || (result = find_outcome (evaluation, where, outcome_id)) == NULL)
    return;
  if (result->state != state)
    fail ("%s: state: expected %s, got %s (%s)", where, fo_state_to_string (state),
                        fo_state_to_string (result->state),
                        result->reason ? result->reason : "no reason");
  check_day (where, "achieved_since", achieved_since, result->achieved_since);
  check_day (where, "sustained_since", sustained_since, result->sustained_since);

  /* Explaining must not change a verdict. */
  {
    FoDay day;
    g_autoptr(FoEvaluation) quick = NULL;
    const FoOutcomeResult *plain;

    fo_day_parse (as_of, &day);
    quick = fo_evaluate (fixture->plan, fixture->family, day, FO_EVALUATE_DEFAULT);
    plain = fo_evaluation_outcome (quick, INDICATOR, outcome_id);
    if (plain == NULL || plain->state != result->state ||
        plain->achieved_since != result->achieved_since ||
        plain->sustained_since != result->sustained_since)
      fail ("%s: the verdict differs with and without explanations", where);
  }
}

/* Not met as of @as_of, with the last run that was lost (A00); NULL: it never held. */
static void
expect_lost (Fixture    *fixture,
             const char *as_of,
             const char *outcome_id,
             const char *held_from,
             const char *held_to)
{
  g_autoptr(FoEvaluation) evaluation = evaluate (fixture, as_of);
  g_autofree char *where = g_strdup_printf ("%s as of %s: %s", g_test_get_path (), as_of,
                                            outcome_id);
  const FoOutcomeResult *result;

  if (evaluation == NULL || (result = find_outcome (evaluation, where, outcome_id)) == NULL)
    return;
  if (result->state != FO_STATE_NOT_MET)
    fail ("%s: state: expected not_met, got %s (%s)", where,
                        fo_state_to_string (result->state),
                        result->reason ? result->reason : "no reason");
  check_day (where, "achieved_since", NULL, result->achieved_since);
  check_day (where, "sustained_since", NULL, result->sustained_since);
  check_day (where, "held_from", held_from, result->held_from);
  check_day (where, "held_to", held_to, result->held_to);
}

static void
expect_projected (Fixture    *fixture,
                  const char *as_of,
                  const char *outcome_id,
                  const char *projected)
{
  g_autoptr(FoEvaluation) evaluation = evaluate (fixture, as_of);
  g_autofree char *where = g_strdup_printf ("%s as of %s: %s", g_test_get_path (), as_of,
                                            outcome_id);
  const FoOutcomeResult *result;

  if (evaluation == NULL || (result = find_outcome (evaluation, where, outcome_id)) == NULL)
    return;
  check_day (where, "projected_sustained", projected, result->projected_sustained);
}

static void
expect_progress (Fixture        *fixture,
                 const char     *as_of,
                 const char     *outcome_id,
                 FoProgressUnit  unit,
                 int             done,
                 int             needed)
{
  g_autoptr(FoEvaluation) evaluation = evaluate (fixture, as_of);
  g_autofree char *where = g_strdup_printf ("%s as of %s: %s", g_test_get_path (), as_of,
                                            outcome_id);
  const FoOutcomeResult *result;

  if (evaluation == NULL || (result = find_outcome (evaluation, where, outcome_id)) == NULL)
    return;
  if (result->progress.unit != unit || result->progress.done != done ||
      result->progress.needed != needed)
    fail ("%s: progress: expected %d of %d (unit %d), got %d of %d (unit %d)",
                        where, done, needed, unit, result->progress.done,
                        result->progress.needed, result->progress.unit);
}

static void
expect_indicator (Fixture    *fixture,
                  const char *as_of,
                  gboolean    identified,
                  gboolean    met,
                  const char *met_since)
{
  g_autoptr(FoEvaluation) evaluation = evaluate (fixture, as_of);
  g_autofree char *where = g_strdup_printf ("%s as of %s: %s", g_test_get_path (), as_of,
                                            INDICATOR);
  const FoIndicatorResult *result;

  if (evaluation == NULL)
    return;
  result = fo_evaluation_indicator (evaluation, INDICATOR);
  if (result == NULL)
    {
      fail ("%s: no indicator", where);
      return;
    }
  if (result->identified != identified)
    fail ("%s: identified: expected %d, got %d (%s)", where, identified,
                        result->identified, result->reason ? result->reason : "no reason");
  if (result->met != met)
    fail ("%s: met: expected %d, got %d", where, met, result->met);
  check_day (where, "met_since", met_since, result->met_since);
}

/* A Family Star Plus reading: ten scores in the order of fo_star_area_names. */
static char *
star (const char *id,
      const char *date,
      const char *scores)
{
  g_auto(GStrv) values = g_strsplit (scores, " ", -1);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_cmpuint (g_strv_length (values), ==, FO_STAR_AREAS);
  g_string_append_printf (text, "{'id': '%s', 'kind': 'star_reading', 'date': '%s', "
                          "'taken_by': 'joint', 'scores': {", id, date);
  for (guint i = 0; i < FO_STAR_AREAS; i++)
    g_string_append_printf (text, "%s'%s': %s", i ? ", " : "", fo_star_area_names[i], values[i]);
  g_string_append (text, "}}");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
join_events (const char *first,
             ...)
{
  g_autoptr(GString) text = g_string_new (NULL);
  va_list args;

  va_start (args, first);
  for (const char *event = first; event != NULL; event = va_arg (args, const char *))
    g_string_append_printf (text, "%s%s", text->len ? ", " : "", event);
  va_end (args);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- measure (A06) ------------------------------------------------------------------------- */

#define ENTRY_BELOW_90 \
  "{'measure': {'series': 'attendance', 'terms': 3, 'at': 'entry', 'op': '<', 'value': 90}}"

#define TERM(id, start, end, possible, attended) \
  "{'id': '" id "', 'kind': 'attendance', 'member': 'c1', 'start': '" start "', 'end': '" end \
  "', 'possible': " #possible ", 'attended': " #attended "}"

/* "Below 90%": pooled 9000 of 10000 sessions over the 3 terms before entry is not identified. */
static void
test_measure_entry_exactly_90 (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .subject = "{'role': ['child']}",
        .entry = ENTRY_BELOW_90,
        .rule = "{'measure': {'series': 'attendance', 'terms': 3, 'op': '>=', 'value': 90}}",
        .events = TERM ("t1", "2024-09-04", "2024-12-20", 3334, 3000) ", "
                  TERM ("t2", "2025-01-06", "2025-04-04", 3333, 3000) ", "
                  TERM ("t3", "2025-04-22", "2025-07-18", 3333, 3000) }))
    return;
  expect_indicator (&f, "2025-09-01", FALSE, FALSE, NULL);
  expect (&f, "2025-09-01", "O1", FO_STATE_NOT_APPLICABLE, NULL, NULL);
}

/* 8999 of 10000 (89.99%) is below 90%: identified. */
static void
test_measure_entry_just_below_90 (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .subject = "{'role': ['child']}",
        .entry = ENTRY_BELOW_90,
        .rule = "{'measure': {'series': 'attendance', 'terms': 3, 'op': '>=', 'value': 90}}",
        .events = TERM ("t1", "2024-09-04", "2024-12-20", 3334, 3000) ", "
                  TERM ("t2", "2025-01-06", "2025-04-04", 3333, 3000) ", "
                  TERM ("t3", "2025-04-22", "2025-07-18", 3333, 2999) }))
    return;
  expect_indicator (&f, "2025-09-01", TRUE, FALSE, NULL);
}

#define MEASURE_90_AFTER_ENTRY \
  "{'measure': {'series': 'attendance', 'terms': 3, 'after_entry': true, 'op': '>=', 'value': 90}}"

/* "90% or above" over the 3 terms after entry: exactly 90.0% passes; sustained when the third
 * term ends, holding (k of 3 terms) from the end of the first. */
static void
test_measure_exactly_90 (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = MEASURE_90_AFTER_ENTRY,
        .events = TERM ("a1", "2025-09-03", "2025-12-19", 100, 90) ", "
                  TERM ("a2", "2026-01-05", "2026-03-27", 100, 90) ", "
                  TERM ("a3", "2026-04-13", "2026-07-17", 100, 90) }))
    return;
  expect (&f, "2025-12-18", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect (&f, "2025-12-19", "O1", FO_STATE_ACHIEVED, "2025-12-19", NULL);
  expect (&f, "2026-07-16", "O1", FO_STATE_ACHIEVED, "2025-12-19", NULL);
  expect_progress (&f, "2026-07-16", "O1", FO_PROGRESS_TERMS, 2, 3);
  expect (&f, "2026-07-17", "O1", FO_STATE_SUSTAINED, "2025-12-19", "2026-07-17");
}

/* Pooled 8999 of 10000 when the third term ends: the run is lost on that day. */
static void
test_measure_just_below_90 (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = MEASURE_90_AFTER_ENTRY,
        .events = TERM ("a1", "2025-09-03", "2025-12-19", 3334, 3001) ", "
                  TERM ("a2", "2026-01-05", "2026-03-27", 3333, 3000) ", "
                  TERM ("a3", "2026-04-13", "2026-07-17", 3333, 2998) }))
    return;
  expect (&f, "2026-07-16", "O1", FO_STATE_ACHIEVED, "2025-12-19", NULL);
  expect_lost (&f, "2026-07-17", "O1", "2025-12-19", "2026-07-16");
}

/* Hertfordshire "less than 10% absence": exactly 10.0% fails. */
static void
test_measure_absence_exactly_10 (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'measure': {'series': 'absence', 'terms': 3, 'after_entry': true, "
                "'op': '<', 'value': 10}}",
        .events = TERM ("a1", "2025-09-03", "2025-12-19", 100, 90) ", "
                  TERM ("a2", "2026-01-05", "2026-03-27", 100, 90) ", "
                  TERM ("a3", "2026-04-13", "2026-07-17", 100, 90) }))
    return;
  expect_lost (&f, "2026-07-17", "O1", NULL, NULL);
}

/* ---- change on counts (A03, A04) ----------------------------------------------------------- */

/* Entry 2025-09-15: the baseline is 2024-09-16 … 2025-09-15; the first 6-month window that
 * starts on or after entry ends on 2026-03-14. */
#define CHANGE_ENTRY "2025-09-15"

#define CHANGE_60(extra) \
  "{'change': {'metric': {'count': {'kinds': ['asb_incident']}}," \
  " 'baseline': {'last': '12m', 'at': 'entry'}, 'compare': '6m', 'direction': 'decrease'," \
  " 'min_pct': 60, 'mode': 'rate'" extra "}}"

#define ASB(id, date) "{'id': '" id "', 'kind': 'asb_incident', 'member': 'p1', 'date': '" date "'}"

/* Nine incidents inside the baseline window. */
#define BASELINE_9 \
  ASB ("b2", "2024-10-05") ", " ASB ("b3", "2024-11-12") ", " ASB ("b4", "2024-12-03") ", " \
  ASB ("b5", "2025-01-14") ", " ASB ("b6", "2025-02-20") ", " ASB ("b7", "2025-03-11") ", " \
  ASB ("b8", "2025-04-08") ", " ASB ("b9", "2025-05-16") ", " ASB ("b10", "2025-08-02")

/* Ten, the first on the window's first day. */
#define BASELINE_10 ASB ("b1", "2024-09-16") ", " BASELINE_9

/* 10 in 12 months → 2 in 6 months is exactly a 60% fall in rate: 2×12×100 ≤ 10×6×40. */
static void
test_change_exactly_60 (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = CHANGE_ENTRY,
        .rule = CHANGE_60 (""),
        .events = BASELINE_10 ", " ASB ("n1", "2025-11-03") ", " ASB ("n2", "2026-01-20") }))
    return;
  expect (&f, "2026-03-13", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect_projected (&f, "2026-03-13", "O1", "2026-03-14");
  expect (&f, "2026-03-14", "O1", FO_STATE_SUSTAINED, "2026-03-14", "2026-03-14");
  expect (&f, "2026-03-15", "O1", FO_STATE_SUSTAINED, "2026-03-14", "2026-03-14");
}

static void
test_change_one_more_fails (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = CHANGE_ENTRY,
        .rule = CHANGE_60 (""),
        .events = BASELINE_10 ", " ASB ("n1", "2025-11-03") ", " ASB ("n2", "2026-01-20") ", "
                  ASB ("n3", "2026-02-10") }))
    return;
  expect (&f, "2026-03-13", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect_lost (&f, "2026-03-14", "O1", NULL, NULL);
}

/* An incident on add_months (entry, −12) is outside "the last 12 months": baseline 9, and
 * 2 of 9 is not a 60% fall. */
static void
test_change_baseline_window_edge (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = CHANGE_ENTRY,
        .rule = CHANGE_60 (""),
        .events = ASB ("b0", "2024-09-15") ", " BASELINE_9 ", " ASB ("n1", "2025-11-03") ", "
                  ASB ("n2", "2026-01-20") }))
    return;
  expect_lost (&f, "2026-03-14", "O1", NULL, NULL);
}

static void
test_change_zero_require_zero_pass (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) { .entry_date = CHANGE_ENTRY, .rule = CHANGE_60 (""), .events = "" }))
    return;
  expect (&f, "2026-03-13", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect (&f, "2026-03-14", "O1", FO_STATE_SUSTAINED, "2026-03-14", "2026-03-14");
}

static void
test_change_zero_require_zero_fail (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = CHANGE_ENTRY,
        .rule = CHANGE_60 (", 'zero_baseline': 'require_zero'"),
        .events = ASB ("n1", "2026-01-20") }))
    return;
  expect_lost (&f, "2026-03-14", "O1", NULL, NULL);
}

static void
test_change_zero_fail (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = CHANGE_ENTRY,
        .rule = CHANGE_60 (", 'zero_baseline': 'fail'"),
        .events = "" }))
    return;
  expect (&f, "2026-03-13", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect_lost (&f, "2026-03-14", "O1", NULL, NULL);
}

static void
test_change_zero_pass (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = CHANGE_ENTRY,
        .rule = CHANGE_60 (", 'zero_baseline': 'pass'"),
        .events = ASB ("n1", "2026-01-20") }))
    return;
  expect (&f, "2026-03-13", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect (&f, "2026-03-14", "O1", FO_STATE_SUSTAINED, "2026-03-14", "2026-03-14");
}

/* Entry 2025-09-01: the window "last 6 months" ending 2026-02-28 starts 2025-08-29 (before
 * entry), the one ending 2026-03-01 starts 2025-09-02. */
static void
test_change_first_window_month_end (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) { .entry_date = "2025-09-01", .rule = CHANGE_60 ("") }))
    return;
  expect (&f, "2026-02-28", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect (&f, "2026-03-01", "O1", FO_STATE_SUSTAINED, "2026-03-01", "2026-03-01");
}

/* Moving "last 3 months" window (README: the days after add_months (D, −3), through D): an
 * incident on 2025-11-30 is inside the window ending 2026-02-28, outside the one ending
 * 2026-03-01. */
static void
test_count_last_3m_month_end (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'count': {'kinds': ['asb_incident'], 'window': {'last': '3m'}, 'op': '==',"
                " 'value': 0}}",
        .events = ASB ("n1", "2025-11-30") }))
    return;
  expect (&f, "2025-11-29", "O1", FO_STATE_SUSTAINED, "2025-09-01", "2025-09-01");
  expect_lost (&f, "2026-02-28", "O1", "2025-09-01", "2025-11-29");
  expect (&f, "2026-03-01", "O1", FO_STATE_SUSTAINED, "2026-03-01", "2026-03-01");
}

#define ATTENDANCE_30_PCT \
  "{'change': {'metric': {'measure': {'series': 'attendance'}}, 'baseline_terms': 2," \
  " 'compare_terms': 2, 'direction': 'increase', 'min_pct': 30, 'floor': 50}}"

#define BEFORE_ENTRY_TERMS(attended) \
  TERM ("b1", "2025-01-06", "2025-04-04", 100, attended) ", " \
  TERM ("b2", "2025-04-22", "2025-07-18", 100, attended)

/* A10: "30% improvement" is relative: 40% → 52% passes (a points reading would not). */
static void
test_change_attendance_30_pct (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = ATTENDANCE_30_PCT,
        .events = BEFORE_ENTRY_TERMS (40) ", "
                  TERM ("a1", "2025-09-03", "2025-12-19", 100, 52) ", "
                  TERM ("a2", "2026-01-05", "2026-03-27", 100, 52) }))
    return;
  expect (&f, "2025-12-18", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect (&f, "2026-03-26", "O1", FO_STATE_ACHIEVED, "2025-12-19", NULL);
  expect (&f, "2026-03-27", "O1", FO_STATE_SUSTAINED, "2025-12-19", "2026-03-27");
}

/* 40% → 51.5% pooled is short of 30%. */
static void
test_change_attendance_short (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = ATTENDANCE_30_PCT,
        .events = BEFORE_ENTRY_TERMS (40) ", "
                  TERM ("a1", "2025-09-03", "2025-12-19", 100, 52) ", "
                  TERM ("a2", "2026-01-05", "2026-03-27", 100, 51) }))
    return;
  expect_lost (&f, "2026-03-27", "O1", "2025-12-19", "2026-03-26");
}

/* 30% → 39% is +30% relative, but under the 50% floor. */
static void
test_change_attendance_floor (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = ATTENDANCE_30_PCT,
        .events = BEFORE_ENTRY_TERMS (30) ", "
                  TERM ("a1", "2025-09-03", "2025-12-19", 100, 39) ", "
                  TERM ("a2", "2026-01-05", "2026-03-27", 100, 39) }))
    return;
  expect_lost (&f, "2026-03-27", "O1", NULL, NULL);
}

/* ---- sustain (A00, A01, A02) ---------------------------------------------------------------- */

#define HOUSING "{'spell': {'kinds': ['status'], 'types': ['suitable_housing']}}"
#define STATUS(id, type, start, end) \
  "{'id': '" id "', 'kind': 'status', 'type': '" type "', 'start': '" start "', 'end': " end "}"

/* Held from 2025-10-10: six months complete on add_months (S, 6) − 1 = 2026-04-09. */
static void
test_sustain_exactly_6_months (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = HOUSING, .sustain = "6m",
        .events = STATUS ("s1", "suitable_housing", "2025-10-10", "null") }))
    return;
  expect_lost (&f, "2025-10-09", "O1", NULL, NULL);
  expect (&f, "2025-10-10", "O1", FO_STATE_ACHIEVED, "2025-10-10", NULL);
  expect (&f, "2026-04-08", "O1", FO_STATE_ACHIEVED, "2025-10-10", NULL);
  expect_projected (&f, "2026-04-08", "O1", "2026-04-09");
  expect_progress (&f, "2026-04-08", "O1", FO_PROGRESS_MONTHS, 5, 6);
  expect (&f, "2026-04-09", "O1", FO_STATE_SUSTAINED, "2025-10-10", "2026-04-09");
}

/* add_months (2025-08-31, 6) = 2026-02-28 (clamped), so six months complete on 2026-02-27. */
static void
test_sustain_month_end_clamp (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = "2025-08-01", .rule = HOUSING, .sustain = "6m",
        .events = STATUS ("s1", "suitable_housing", "2025-08-31", "null") }))
    return;
  expect (&f, "2026-02-26", "O1", FO_STATE_ACHIEVED, "2025-08-31", NULL);
  expect (&f, "2026-02-27", "O1", FO_STATE_SUSTAINED, "2025-08-31", "2026-02-27");
}

/* A break resets the clock: the new run from 2026-01-05 completes on 2026-07-04. */
static void
test_sustain_break_resets (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = HOUSING, .sustain = "6m",
        .events = STATUS ("s1", "suitable_housing", "2025-10-10", "'2025-12-31'") ", "
                  STATUS ("s2", "suitable_housing", "2026-01-05", "null") }))
    return;
  expect_lost (&f, "2026-01-02", "O1", "2025-10-10", "2025-12-31");
  expect (&f, "2026-04-09", "O1", FO_STATE_ACHIEVED, "2026-01-05", NULL);
  expect (&f, "2026-07-03", "O1", FO_STATE_ACHIEVED, "2026-01-05", NULL);
  expect (&f, "2026-07-04", "O1", FO_STATE_SUSTAINED, "2026-01-05", "2026-07-04");
}

/* Achieved, then lost before the period: not met, and the lost run is reported. */
static void
test_sustain_held_then_lost (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = HOUSING, .sustain = "6m",
        .events = STATUS ("s1", "suitable_housing", "2025-10-10", "'2026-01-31'") }))
    return;
  expect (&f, "2026-01-31", "O1", FO_STATE_ACHIEVED, "2025-10-10", NULL);
  expect_lost (&f, "2026-02-01", "O1", "2025-10-10", "2026-01-31");
  expect_lost (&f, "2026-03-01", "O1", "2025-10-10", "2026-01-31");
}

/* Sustained, then lost: not met as of a later day (A00), with the run shown. */
static void
test_sustain_sustained_then_lost (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = HOUSING, .sustain = "6m",
        .events = STATUS ("s1", "suitable_housing", "2025-10-10", "'2026-05-31'") }))
    return;
  expect (&f, "2026-05-31", "O1", FO_STATE_SUSTAINED, "2025-10-10", "2026-04-09");
  expect_lost (&f, "2026-06-01", "O1", "2025-10-10", "2026-05-31");
}

/* A02: a state that began before entry counts from entry only. */
static void
test_sustain_starts_at_entry (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = HOUSING, .sustain = "6m",
        .events = STATUS ("s1", "suitable_housing", "2025-03-01", "null") }))
    return;
  expect (&f, "2026-02-27", "O1", FO_STATE_ACHIEVED, "2025-09-01", NULL);
  expect (&f, "2026-02-28", "O1", FO_STATE_SUSTAINED, "2025-09-01", "2026-02-28");
}

/* A01: a quiet period after an incident on D is complete on add_months (D, 6). */
static void
test_sustain_quiet_after_incident (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'count': {'kinds': ['asb_incident'], 'window': {'on_day': true}, "
                "'op': '==', 'value': 0}}",
        .sustain = "6m",
        .events = ASB ("n1", "2025-10-15") }))
    return;
  expect_lost (&f, "2025-10-15", "O1", "2025-09-01", "2025-10-14");
  expect (&f, "2026-04-14", "O1", FO_STATE_ACHIEVED, "2025-10-16", NULL);
  expect (&f, "2026-04-15", "O1", FO_STATE_SUSTAINED, "2025-10-16", "2026-04-15");
}

/* ---- tiered (P11, A05) --------------------------------------------------------------------- */

#define CRIME_KINDS "['offence', 'arrest', 'named_suspect', 'asb_incident']"

static char *
tier_outcomes (int max_low)
{
  const char *on = "{'count': {'kinds': " CRIME_KINDS ", 'window': {'last': '12m', 'at': 'entry'}}}";

  return g_strdup_printf (
    "[{'id': 'O1', 'number': '1', 'text': 'Low tier: none for 6 months',"
    "  'rule': {'tiered': {'on': %s, 'bands': [{'max': %d, 'rule': {'sustain': {'rule':"
    "    {'count': {'kinds': " CRIME_KINDS ", 'window': {'on_day': true}, 'op': '==', 'value': 0}},"
    "    'for': '6m'}}}]}}},"
    " {'id': 'O2', 'number': '2', 'text': 'High tier: 50%% reduction',"
    "  'rule': {'tiered': {'on': %s, 'bands': [{'min': %d, 'rule': {'change': {"
    "    'metric': {'count': {'kinds': " CRIME_KINDS "}}, 'baseline': {'last': '12m', 'at': 'entry'},"
    "    'compare': '6m', 'direction': 'decrease', 'min_pct': 50, 'mode': 'rate'}}}]}}}]",
    on, max_low, on, max_low + 1);
}

/* @n incidents before entry 2025-09-15, the earliest dated @first. */
static char *
tier_events (int         n,
             const char *first)
{
  static const char *const kinds[] = {
    "asb_incident", "offence", "arrest", "named_suspect", "asb_incident", "offence",
    "asb_incident", "arrest"
  };
  static const char *const dates[] = {
    NULL, "2024-11-02", "2024-12-14", "2025-01-25", "2025-03-08", "2025-04-19", "2025-06-07",
    "2025-08-23"
  };
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_cmpint (n, <=, (int) G_N_ELEMENTS (dates));
  for (int i = 0; i < n; i++)
    g_string_append_printf (text, "%s{'id': 'x%d', 'kind': '%s', 'member': 'p1', 'date': '%s'}",
                            i ? ", " : "", i, kinds[i], i == 0 ? first : dates[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
check_tier (int         max_low,
            int         n,
            const char *first)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *outcomes = tier_outcomes (max_low);
  g_autofree char *events = tier_events (n, first);
  gboolean counted = g_strcmp0 (first, "2024-09-16") == 0;
  int baseline = counted ? n : n - 1;

  if (!load (&f, &(Spec) { .entry_date = CHANGE_ENTRY, .outcomes = outcomes, .events = events }))
    return;
  if (baseline <= max_low)
    {
      expect (&f, "2026-03-13", "O1", FO_STATE_ACHIEVED, "2025-09-15", NULL);
      expect (&f, "2026-03-14", "O1", FO_STATE_SUSTAINED, "2025-09-15", "2026-03-14");
      expect (&f, "2026-03-14", "O2", FO_STATE_NOT_APPLICABLE, NULL, NULL);
      expect_indicator (&f, "2026-03-14", TRUE, TRUE, "2026-03-14");
    }
  else
    {
      expect (&f, "2026-03-14", "O1", FO_STATE_NOT_APPLICABLE, NULL, NULL);
      expect (&f, "2026-03-13", "O2", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
      expect (&f, "2026-03-14", "O2", FO_STATE_SUSTAINED, "2026-03-14", "2026-03-14");
      expect_indicator (&f, "2026-03-14", TRUE, TRUE, "2026-03-14");
    }
}

static void test_tiered_7 (void) { check_tier (7, 7, "2024-09-16"); }
static void test_tiered_8 (void) { check_tier (7, 8, "2024-09-16"); }
static void test_tiered_4 (void) { check_tier (4, 4, "2024-09-16"); }
static void test_tiered_5 (void) { check_tier (4, 5, "2024-09-16"); }
/* Eight records, one on add_months (entry, −12): seven in the tier window, the low band. */
static void test_tiered_window_edge (void) { check_tier (7, 8, "2024-09-15"); }

/* ---- quantify (P9, A26, A27) --------------------------------------------------------------- */

#define EVERY_SCHOOL_CHILD(if_empty) \
  "{'quantify': {'over': {'role': ['child'], 'school_age': true}, 'q': 'all', 'if_empty': " \
  if_empty ", 'rule': {'spell': {'kinds': ['status'], 'types': ['registered_with_school']," \
  " 'subject': 'member'}}}}"

#define REGISTERED(id, member, start) \
  "{'id': '" id "', 'kind': 'status', 'type': 'registered_with_school', 'member': '" member \
  "', 'start': '" start "'}"

/* Both school-age children pass; the pre-school child, with no record, is not in the domain. */
static void
test_quantify_all_pass (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = EVERY_SCHOOL_CHILD ("true"),
        .members = PARENT ", " CHILD1 ", " CHILD2 ", " TODDLER,
        .events = REGISTERED ("r1", "c1", "2025-09-01") ", " REGISTERED ("r2", "c2", "2025-10-06") }))
    return;
  expect_lost (&f, "2025-10-05", "O1", NULL, NULL);
  expect (&f, "2025-10-06", "O1", FO_STATE_SUSTAINED, "2025-10-06", "2025-10-06");
  expect (&f, "2025-12-01", "O1", FO_STATE_SUSTAINED, "2025-10-06", "2025-10-06");
}

static void
test_quantify_one_fails (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = EVERY_SCHOOL_CHILD ("true"),
        .members = PARENT ", " CHILD1 ", " CHILD2 ", " TODDLER,
        .events = REGISTERED ("r1", "c1", "2025-09-01") }))
    return;
  expect_lost (&f, "2025-12-01", "O1", NULL, NULL);
}

/* A child who leaves school age (last Friday of June of the year they turn 16) drops out. */
static void
test_quantify_leaves_school_age (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = EVERY_SCHOOL_CHILD ("true"),
        .members = PARENT ", " CHILD1 ", " LEAVER,
        .events = REGISTERED ("r1", "c1", "2025-09-01") }))
    return;
  expect_lost (&f, "2026-06-26", "O1", NULL, NULL);
  expect (&f, "2026-06-27", "O1", FO_STATE_SUSTAINED, "2026-06-27", "2026-06-27");
}

/* Compulsory school age starts on the prescribed day after the 5th birthday (A26): a child
 * who turns 5 on 2025-10-15 joins "every school-age child" on 2026-01-01. */
static void
test_quantify_starts_school_age (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = EVERY_SCHOOL_CHILD ("true"),
        .members = PARENT ", " CHILD1 ", "
                   "{'id': 'c5', 'name': 'Ray Testchild', 'dob': '2020-10-15', 'role': 'child'}",
        .events = REGISTERED ("r1", "c1", "2025-09-01") }))
    return;
  expect (&f, "2025-12-31", "O1", FO_STATE_SUSTAINED, "2025-09-01", "2025-09-01");
  expect_lost (&f, "2026-01-01", "O1", "2025-09-01", "2025-12-31");
}

/* No school-age child at all: if_empty decides (A27). */
static void
test_quantify_empty_true (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = EVERY_SCHOOL_CHILD ("true"),
        .members = PARENT ", " TODDLER }))
    return;
  expect (&f, "2025-12-01", "O1", FO_STATE_SUSTAINED, "2025-09-01", "2025-09-01");
}

static void
test_quantify_empty_false (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = EVERY_SCHOOL_CHILD ("false"),
        .members = PARENT ", " TODDLER }))
    return;
  expect_lost (&f, "2025-12-01", "O1", NULL, NULL);
}

/* ---- reading (A13, A15) -------------------------------------------------------------------- */

#define STAR_SAFE_TWO \
  "{'reading': {'instrument': 'star', 'areas': ['keeping_safe', 'boundaries_behaviour']," \
  " 'aggregate': 'each', 'op': '>=', 'value': 7, 'sustain': {'readings': 2}}}"

/* keeping_safe is the 4th score, boundaries_behaviour the 7th. */
static void
test_reading_once_then_drops (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r0 = star ("r0", "2025-08-20", "5 5 5 4 5 5 4 5 5 5");
  g_autofree char *r1 = star ("r1", "2025-11-10", "5 5 5 7 5 5 7 5 5 5");
  g_autofree char *r2 = star ("r2", "2026-02-10", "5 5 5 6 5 5 7 5 5 5");
  g_autofree char *events = join_events (r0, r1, r2, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_SAFE_TWO, .events = events }))
    return;
  expect (&f, "2025-11-10", "O1", FO_STATE_ACHIEVED, "2025-11-10", NULL);
  expect (&f, "2026-02-09", "O1", FO_STATE_ACHIEVED, "2025-11-10", NULL);
  expect_lost (&f, "2026-02-10", "O1", "2025-11-10", "2026-02-09");
}

static void
test_reading_two_qualifying (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r0 = star ("r0", "2025-08-20", "5 5 5 4 5 5 4 5 5 5");
  g_autofree char *r1 = star ("r1", "2025-11-10", "5 5 5 7 5 5 8 5 5 5");
  g_autofree char *r2 = star ("r2", "2026-02-10", "5 5 5 7 5 5 7 5 5 5");
  g_autofree char *events = join_events (r0, r1, r2, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_SAFE_TWO, .events = events }))
    return;
  expect (&f, "2025-11-09", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect (&f, "2026-02-09", "O1", FO_STATE_ACHIEVED, "2025-11-10", NULL);
  expect_progress (&f, "2026-02-09", "O1", FO_PROGRESS_READINGS, 1, 2);
  expect (&f, "2026-02-10", "O1", FO_STATE_SUSTAINED, "2025-11-10", "2026-02-10");
}


/* Two readings entered on one day are one reading: the later one stands, once. */
static void
test_reading_same_day_once (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r1 = star ("r1", "2025-11-10", "5 5 5 7 5 5 7 5 5 5");
  g_autofree char *r2 = star ("r2", "2025-11-10", "5 5 5 8 5 5 8 5 5 5");
  g_autofree char *events = join_events (r1, r2, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_SAFE_TWO, .events = events }))
    return;
  expect (&f, "2025-11-10", "O1", FO_STATE_ACHIEVED, "2025-11-10", NULL);
  expect_progress (&f, "2025-11-10", "O1", FO_PROGRESS_READINGS, 1, 2);
}

#define TURNS_18 "{'id': 'y1', 'name': 'Rory Testyouth', 'dob': '2008-01-15', 'role': 'child'}"

/* An age band inside an outcome is judged on each record's date: an offence at 17 stays an
 * under-18 offence after the 18th birthday, so the clean run starts the day after it. */
static void
test_count_age_on_record_date (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'count': {'kinds': ['offence'], 'subject': {'age_max': 17}, "
                "'window': {'on_day': true}, 'op': '==', 'value': 0}}",
        .sustain = "6m",
        .members = PARENT ", " TURNS_18,
        .events = "{'id': 'o1', 'kind': 'offence', 'member': 'y1', 'date': '2025-11-01'}" }))
    return;
  expect (&f, "2026-03-01", "O1", FO_STATE_ACHIEVED, "2025-11-02", NULL);
  expect (&f, "2026-05-01", "O1", FO_STATE_SUSTAINED, "2025-11-02", "2026-05-01");
}

#define STAR_HEALTH_SPAN \
  "{'reading': {'instrument': 'star', 'areas': ['physical_health'], 'op': '>=', 'value': 7," \
  " 'sustain': {'span': '3m'}}}"

/* From 2025-10-20, 3 months are spanned by a reading on add_months (first, 3) − 1. */
static void
test_reading_span_exact (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r1 = star ("r1", "2025-10-20", "7 5 5 5 5 5 5 5 5 5");
  g_autofree char *r2 = star ("r2", "2026-01-19", "8 5 5 5 5 5 5 5 5 5");
  g_autofree char *events = join_events (r1, r2, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_HEALTH_SPAN, .events = events }))
    return;
  expect (&f, "2026-01-18", "O1", FO_STATE_ACHIEVED, "2025-10-20", NULL);
  expect (&f, "2026-01-19", "O1", FO_STATE_SUSTAINED, "2025-10-20", "2026-01-19");
}

static void
test_reading_span_one_day_short (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r1 = star ("r1", "2025-10-20", "7 5 5 5 5 5 5 5 5 5");
  g_autofree char *r2 = star ("r2", "2026-01-18", "8 5 5 5 5 5 5 5 5 5");
  g_autofree char *events = join_events (r1, r2, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_HEALTH_SPAN, .events = events }))
    return;
  expect (&f, "2026-01-18", "O1", FO_STATE_ACHIEVED, "2025-10-20", NULL);
  /* No presumption that a score persists between readings (A13). */
  expect (&f, "2026-02-01", "O1", FO_STATE_ACHIEVED, "2025-10-20", NULL);
}

#define STAR_AVERAGE_PLUS_2 \
  "{'reading': {'instrument': 'star', 'areas': 'all', 'aggregate': 'average'," \
  " 'change': {'direction': 'increase', 'points': 2}}}"

#define STAR_SUM_PLUS_20 \
  "{'reading': {'instrument': 'star', 'areas': 'all', 'aggregate': 'sum'," \
  " 'change': {'direction': 'increase', 'points': 20}, 'sustain': {'readings': 2}}}"

/* A15: average 3.6 → 5.6 is +2 exactly (sum 36 → 56), which a float comparison misses. */
static void
test_reading_average_plus_2 (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r0 = star ("r0", "2025-08-20", "4 4 4 4 4 4 3 3 3 3");
  g_autofree char *r1 = star ("r1", "2025-12-01", "6 6 6 6 6 6 5 5 5 5");
  g_autofree char *events = join_events (r0, r1, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_AVERAGE_PLUS_2, .events = events }))
    return;
  expect (&f, "2025-11-30", "O1", FO_STATE_INSUFFICIENT_DATA, NULL, NULL);
  expect (&f, "2025-12-01", "O1", FO_STATE_SUSTAINED, "2025-12-01", "2025-12-01");
}

/* 36 → 55 is +1.9 on average. */
static void
test_reading_average_plus_1_9 (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r0 = star ("r0", "2025-08-20", "4 4 4 4 4 4 3 3 3 3");
  g_autofree char *r1 = star ("r1", "2025-12-01", "6 6 6 6 6 5 5 5 5 5");
  g_autofree char *events = join_events (r0, r1, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_AVERAGE_PLUS_2, .events = events }))
    return;
  expect_lost (&f, "2025-12-01", "O1", NULL, NULL);
}

/* Hertfordshire 3.4 as encoded: sum +20 over two readings in a row. */
static void
test_reading_sum_plus_20 (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r0 = star ("r0", "2025-08-20", "4 4 4 4 4 4 3 3 3 3");
  g_autofree char *r1 = star ("r1", "2025-12-01", "6 6 6 6 6 6 5 5 5 5");
  g_autofree char *r2 = star ("r2", "2026-03-02", "6 6 6 6 6 6 5 5 5 5");
  g_autofree char *events = join_events (r0, r1, r2, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_SUM_PLUS_20, .events = events }))
    return;
  expect (&f, "2026-03-01", "O1", FO_STATE_ACHIEVED, "2025-12-01", NULL);
  expect (&f, "2026-03-02", "O1", FO_STATE_SUSTAINED, "2025-12-01", "2026-03-02");
}

static void
test_reading_sum_plus_19 (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r0 = star ("r0", "2025-08-20", "4 4 4 4 4 4 3 3 3 3");
  g_autofree char *r1 = star ("r1", "2025-12-01", "6 6 6 6 6 6 5 5 5 5");
  g_autofree char *r2 = star ("r2", "2026-03-02", "6 6 6 6 6 5 5 5 5 5");
  g_autofree char *events = join_events (r0, r1, r2, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_SUM_PLUS_20, .events = events }))
    return;
  expect_lost (&f, "2026-03-02", "O1", "2025-12-01", "2026-03-01");
}

/* A13: sustained, then a reading drops: not sustained any more; a new run starts from one. */
static void
test_reading_sustained_drops_recovers (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r1 = star ("r1", "2025-11-10", "5 5 5 7 5 5 7 5 5 5");
  g_autofree char *r2 = star ("r2", "2026-02-10", "5 5 5 7 5 5 7 5 5 5");
  g_autofree char *r3 = star ("r3", "2026-05-11", "5 5 5 6 5 5 7 5 5 5");
  g_autofree char *r4 = star ("r4", "2026-08-10", "5 5 5 7 5 5 7 5 5 5");
  g_autofree char *events = join_events (r1, r2, r3, r4, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_SAFE_TWO, .events = events }))
    return;
  expect (&f, "2026-05-10", "O1", FO_STATE_SUSTAINED, "2025-11-10", "2026-02-10");
  expect_lost (&f, "2026-05-11", "O1", "2025-11-10", "2026-05-10");
  expect (&f, "2026-08-10", "O1", FO_STATE_ACHIEVED, "2026-08-10", NULL);
  expect_progress (&f, "2026-08-10", "O1", FO_PROGRESS_READINGS, 1, 2);
}

/* A13: qualifying readings must be on or after entry; a good baseline does not count. */
static void
test_reading_baseline_not_counted (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *r0 = star ("r0", "2025-08-20", "5 5 5 7 5 5 7 5 5 5");
  g_autofree char *r1 = star ("r1", "2025-11-10", "5 5 5 7 5 5 7 5 5 5");
  g_autofree char *events = join_events (r0, r1, NULL);

  if (!load (&f, &(Spec) { .rule = STAR_SAFE_TWO, .events = events }))
    return;
  expect (&f, "2025-11-10", "O1", FO_STATE_ACHIEVED, "2025-11-10", NULL);
}

#define DASH_25 \
  "{'reading': {'instrument': 'DASH', 'subject': 'family', 'change': {'direction': 'decrease'," \
  " 'pct': 25}, 'sustain': {'span': '3m'}}}"

#define DASH(id, date, score) \
  "{'id': '" id "', 'kind': 'assessment', 'type': 'DASH', 'member': 'p1', 'date': '" date \
  "', 'score': " #score "}"

/* 20 → 15 is a 25% fall exactly; the run from 2025-10-01 spans 3 months on 2025-12-31. */
static void
test_reading_dash_25_pct (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = DASH_25,
        .events = DASH ("d0", "2025-08-25", 20) ", " DASH ("d1", "2025-10-01", 15) ", "
                  DASH ("d2", "2025-12-31", 14) }))
    return;
  expect (&f, "2025-12-30", "O1", FO_STATE_ACHIEVED, "2025-10-01", NULL);
  expect (&f, "2025-12-31", "O1", FO_STATE_SUSTAINED, "2025-10-01", "2025-12-31");
}

static void
test_reading_dash_20_pct (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = DASH_25,
        .events = DASH ("d0", "2025-08-25", 20) ", " DASH ("d1", "2025-10-01", 16) }))
    return;
  expect_lost (&f, "2025-12-31", "O1", NULL, NULL);
}

/* ---- spell (A22) --------------------------------------------------------------------------- */

#define JOB(id, start, end) \
  "{'id': '" id "', 'kind': 'employment', 'member': 'p1', 'start': '" start "', 'end': " end \
  ", 'hours_per_week': 20}"

/* 13 weeks from 2025-10-06 = 91 days: complete on S + 90. */
static void
test_spell_13_weeks (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'spell': {'kinds': ['employment'], 'continuous': '13w'}}",
        .events = JOB ("j1", "2025-10-06", "null") }))
    return;
  expect (&f, "2026-01-03", "O1", FO_STATE_ACHIEVED, "2025-10-06", NULL);
  expect (&f, "2026-01-04", "O1", FO_STATE_SUSTAINED, "2025-10-06", "2026-01-04");
}

/* Gaps of zero days between contiguous spells merge (A22). */
static void
test_spell_13_weeks_touching (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'spell': {'kinds': ['employment'], 'continuous': '13w'}}",
        .events = JOB ("j1", "2025-10-06", "'2025-11-30'") ", " JOB ("j2", "2025-12-01", "null") }))
    return;
  expect (&f, "2026-01-03", "O1", FO_STATE_ACHIEVED, "2025-10-06", NULL);
  expect (&f, "2026-01-04", "O1", FO_STATE_SUSTAINED, "2025-10-06", "2026-01-04");
}

/* 182 of the 210 days ending on the day: employed from entry with a 28-day gap, the 210th day
 * since entry (2026-03-29) is the first with 182 employed days. */
static void
test_spell_182_of_210 (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'spell': {'kinds': ['employment'], 'n_of_m': {'n': '182d', 'm': '210d'}}}",
        .events = JOB ("j1", "2025-09-01", "'2025-10-31'") ", " JOB ("j2", "2025-11-29", "null") }))
    return;
  expect (&f, "2026-03-28", "O1", FO_STATE_ACHIEVED, "2025-11-29", NULL);
  expect (&f, "2026-03-29", "O1", FO_STATE_SUSTAINED, "2025-11-29", "2026-03-29");
}

/* Counted from entry (A02): a job that began before entry completes 13 weeks on entry + 90. */
static void
test_spell_13_weeks_from_entry (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'spell': {'kinds': ['employment'], 'continuous': '13w'}}",
        .events = JOB ("j1", "2025-06-01", "null") }))
    return;
  expect (&f, "2025-11-29", "O1", FO_STATE_ACHIEVED, "2025-09-01", NULL);
  expect (&f, "2025-11-30", "O1", FO_STATE_SUSTAINED, "2025-09-01", "2025-11-30");
}

/* Days before entry are not in the 210-day window: 182 days from entry end on 2026-03-01. */
static void
test_spell_182_of_210_from_entry (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = "{'spell': {'kinds': ['employment'], 'n_of_m': {'n': '182d', 'm': '210d'}}}",
        .events = JOB ("j1", "2025-03-01", "null") }))
    return;
  expect (&f, "2026-02-28", "O1", FO_STATE_ACHIEVED, "2025-09-01", NULL);
  expect (&f, "2026-03-01", "O1", FO_STATE_SUSTAINED, "2025-09-01", "2026-03-01");
}

/* ---- transition (A34) ---------------------------------------------------------------------- */

#define CIN_CLOSED \
  "{'transition': {'case_types': ['CIN'], 'to': ['closed', 'stepped_down']," \
  " 'no_return': {'case_types': ['CIN', 'CP'], 'for': '6m'}}}"

#define CASE(id, type, start, end, reason) \
  "{'id': '" id "', 'kind': 'case', 'type': '" type "', 'member': 'c1', 'start': '" start \
  "', 'end': " end ", 'end_reason': " reason "}"

/* Closed 2025-11-20: holds from c + 1; sustained on add_months (c + 1, 6) − 1 = 2026-05-20. */
static void
test_transition_closed_6_months (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = CIN_CLOSED,
        .events = CASE ("k1", "CIN", "2025-06-01", "'2025-11-20'", "'closed'") }))
    return;
  expect_lost (&f, "2025-11-20", "O1", NULL, NULL);
  expect (&f, "2025-11-21", "O1", FO_STATE_ACHIEVED, "2025-11-21", NULL);
  expect (&f, "2026-05-19", "O1", FO_STATE_ACHIEVED, "2025-11-21", NULL);
  expect (&f, "2026-05-20", "O1", FO_STATE_SUSTAINED, "2025-11-21", "2026-05-20");
}

static void
test_transition_re_referral (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = CIN_CLOSED,
        .events = CASE ("k1", "CIN", "2025-06-01", "'2025-11-20'", "'closed'") ", "
                  CASE ("k2", "CP", "2026-03-02", "null", "null") }))
    return;
  expect (&f, "2026-03-01", "O1", FO_STATE_ACHIEVED, "2025-11-21", NULL);
  expect_lost (&f, "2026-03-02", "O1", "2025-11-21", "2026-03-01");
  expect_lost (&f, "2026-05-20", "O1", "2025-11-21", "2026-03-01");
}

/* README: the latest end c must have an accepted end_reason. An earlier case, ended before
 * entry for another reason (here stepped up), does not stop a later closure from counting. */
static void
test_transition_earlier_case_reason (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = CIN_CLOSED,
        .events = CASE ("k0", "CIN", "2024-01-10", "'2024-06-30'", "'stepped_up'") ", "
                  CASE ("k1", "CIN", "2025-06-01", "'2025-11-20'", "'closed'") }))
    return;
  expect (&f, "2025-11-21", "O1", FO_STATE_ACHIEVED, "2025-11-21", NULL);
  expect (&f, "2026-05-20", "O1", FO_STATE_SUSTAINED, "2025-11-21", "2026-05-20");
}

#define CIN_QUIET \
  "{'transition': {'case_types': ['CIN'], 'to': ['closed'], 'quiet_before': {'kinds':" \
  " ['missing_episode'], 'for': '1m'}}}"

#define MISSING(id, date) \
  "{'id': '" id "', 'kind': 'missing_episode', 'member': 'c1', 'date': '" date "', 'hours': 5}"

/* "No missing report in the month prior to closure" = add_months (c, −1) … c (A34). */
static void
test_transition_quiet_before_inside (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = CIN_QUIET,
        .events = CASE ("k1", "CIN", "2025-06-01", "'2025-11-20'", "'closed'") ", "
                  MISSING ("m1", "2025-10-20") }))
    return;
  expect_lost (&f, "2025-12-01", "O1", NULL, NULL);
}

static void
test_transition_quiet_before_outside (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = CIN_QUIET,
        .events = CASE ("k1", "CIN", "2025-06-01", "'2025-11-20'", "'closed'") ", "
                  MISSING ("m1", "2025-10-19") }))
    return;
  expect (&f, "2025-12-01", "O1", FO_STATE_SUSTAINED, "2025-11-21", "2025-11-21");
}

/* ---- evidence (P7, A24, A31) --------------------------------------------------------------- */

#define LP_STATEMENT \
  "{'evidence': {'kinds': ['significant_improvement'], 'roles': ['lead_professional']," \
  " 'not_before': '3m', 'or_on_closure': true}}"

#define STATEMENT(date) \
  "{'id': 'e1', 'kind': 'evidence', 'date': '" date "', 'indicator': '" INDICATOR "'," \
  " 'type': 'significant_improvement', 'author': 'Robin Testworker'," \
  " 'author_role': 'lead_professional'}"

/* Entry 2025-09-10: statements count from add_months (entry, 3) = 2025-12-10. */
static void
test_evidence_not_before_early (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = "2025-09-10", .rule = LP_STATEMENT, .events = STATEMENT ("2025-12-09") }))
    return;
  expect_lost (&f, "2025-12-10", "O1", NULL, NULL);
  expect_lost (&f, "2026-01-15", "O1", NULL, NULL);
}

static void
test_evidence_not_before_on_day (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = "2025-09-10", .rule = LP_STATEMENT, .events = STATEMENT ("2025-12-10") }))
    return;
  expect_lost (&f, "2025-12-09", "O1", NULL, NULL);
  expect (&f, "2025-12-10", "O1", FO_STATE_SUSTAINED, "2025-12-10", "2025-12-10");
}

/* or_on_closure: an early statement dated on the closure day, support completed, counts. */
static void
test_evidence_on_closure (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = "2025-09-10", .rule = LP_STATEMENT,
        .family = "'closure_date': '2025-11-01', 'closure_reason': 'support_completed',",
        .events = STATEMENT ("2025-11-01") }))
    return;
  expect (&f, "2025-11-01", "O1", FO_STATE_SUSTAINED, "2025-11-01", "2025-11-01");
}

static void
test_evidence_on_closure_disengaged (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .entry_date = "2025-09-10", .rule = LP_STATEMENT,
        .family = "'closure_date': '2025-11-01', 'closure_reason': 'disengaged',",
        .events = STATEMENT ("2025-11-01") }))
    return;
  expect_lost (&f, "2025-11-01", "O1", NULL, NULL);
}

#define APPROVED_STATEMENT \
  "{'evidence': {'kinds': ['exceptional_attendance'], 'roles': ['head_teacher']," \
  " 'approval': {'roles': ['internal_auditor']}}}"

#define HEAD_STATEMENT(approval) \
  "{'id': 'e1', 'kind': 'evidence', 'date': '2025-11-03', 'indicator': '" INDICATOR "'," \
  " 'type': 'exceptional_attendance', 'author': 'Morgan Testhead', 'author_role': 'head_teacher'" \
  approval "}"

static void
test_evidence_approval_missing (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) { .rule = APPROVED_STATEMENT, .events = HEAD_STATEMENT ("") }))
    return;
  expect_lost (&f, "2026-01-15", "O1", NULL, NULL);
}

/* A31: nobody approves their own statement. */
static void
test_evidence_approved_by_author (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = APPROVED_STATEMENT,
        .events = HEAD_STATEMENT (", 'approved_by': 'Morgan Testhead', "
                                  "'approver_role': 'internal_auditor', 'approved_on': '2025-11-10'") }))
    return;
  expect_lost (&f, "2026-01-15", "O1", NULL, NULL);
}

static void
test_evidence_approved_wrong_role (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = APPROVED_STATEMENT,
        .events = HEAD_STATEMENT (", 'approved_by': 'Casey Testaudit', "
                                  "'approver_role': 'business_manager', 'approved_on': '2025-11-10'") }))
    return;
  expect_lost (&f, "2026-01-15", "O1", NULL, NULL);
}

/* Approved by another person in the right role: counts from the approval date. With no
 * sustain period, achieved is sustained (A35). */
static void
test_evidence_approved_by_other (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .rule = APPROVED_STATEMENT,
        .events = HEAD_STATEMENT (", 'approved_by': 'Casey Testaudit', "
                                  "'approver_role': 'internal_auditor', 'approved_on': '2025-11-10'") }))
    return;
  expect_lost (&f, "2025-11-09", "O1", NULL, NULL);
  expect (&f, "2025-11-10", "O1", FO_STATE_SUSTAINED, "2025-11-10", "2025-11-10");
}

/* ---- combinators (P12, A17) ---------------------------------------------------------------- */

#define SPELL_A "{'spell': {'kinds': ['status'], 'types': ['suitable_housing']}}"
#define SPELL_B "{'spell': {'kinds': ['status'], 'types': ['debt_plan']}}"
#define SPELL_C "{'spell': {'kinds': ['status'], 'types': ['eet']}}"

#define COMBINATOR_EVENTS \
  STATUS ("s1", "suitable_housing", "2025-10-01", "null") ", " \
  STATUS ("s2", "debt_plan", "2025-11-01", "'2026-01-31'")

#define OUTCOME(id, rule) "{'id': '" id "', 'number': '" id "', 'text': 'Outcome " id "', 'rule': " rule "}"

static void
test_combinators_basics (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .outcomes = "["
          OUTCOME ("all", "{'all': [" SPELL_A ", " SPELL_B "]}") ", "
          OUTCOME ("any", "{'any': [" SPELL_B ", " SPELL_C "]}") ", "
          OUTCOME ("k2", "{'at_least': {'k': 2, 'of': [" SPELL_A ", " SPELL_B ", " SPELL_C "]}}") ", "
          OUTCOME ("k3", "{'at_least': {'k': 3, 'of': [" SPELL_A ", " SPELL_B ", " SPELL_C "]}}") ", "
          OUTCOME ("not", "{'not': " SPELL_B "}")
          "]",
        .events = COMBINATOR_EVENTS }))
    return;
  /* Only A holds. */
  expect_lost (&f, "2025-10-15", "all", NULL, NULL);
  expect_lost (&f, "2025-10-15", "any", NULL, NULL);
  expect_lost (&f, "2025-10-15", "k2", NULL, NULL);
  expect (&f, "2025-10-15", "not", FO_STATE_SUSTAINED, "2025-09-01", "2025-09-01");
  /* A and B hold. */
  expect (&f, "2025-12-01", "all", FO_STATE_SUSTAINED, "2025-11-01", "2025-11-01");
  expect (&f, "2025-12-01", "any", FO_STATE_SUSTAINED, "2025-11-01", "2025-11-01");
  expect (&f, "2025-12-01", "k2", FO_STATE_SUSTAINED, "2025-11-01", "2025-11-01");
  expect_lost (&f, "2025-12-01", "k3", NULL, NULL);
  expect_lost (&f, "2025-12-01", "not", "2025-09-01", "2025-10-31");
  /* B has ended. */
  expect_lost (&f, "2026-02-01", "all", "2025-11-01", "2026-01-31");
  expect_lost (&f, "2026-02-01", "any", "2025-11-01", "2026-01-31");
  expect_lost (&f, "2026-02-01", "k2", "2025-11-01", "2026-01-31");
  expect (&f, "2026-02-01", "not", FO_STATE_SUSTAINED, "2026-02-01", "2026-02-01");
}

/* A17: a supplementary outcome never meets the indicator on its own. */
static void
test_combinators_supplementary_alone (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .outcomes = "[{'id': 'O1', 'number': '1', 'text': 'Supplementary', 'supplementary': true,"
                    "  'rule': " SPELL_A "}, " OUTCOME ("O2", SPELL_C) "]",
        .events = COMBINATOR_EVENTS }))
    return;
  expect (&f, "2025-12-01", "O1", FO_STATE_SUSTAINED, "2025-10-01", "2025-10-01");
  expect_lost (&f, "2025-12-01", "O2", NULL, NULL);
  expect_indicator (&f, "2025-12-01", TRUE, FALSE, NULL);
}

static void
test_combinators_supplementary_with_other (void)
{
  g_auto(Fixture) f = { 0 };

  if (!load (&f, &(Spec) {
        .outcomes = "[{'id': 'O1', 'number': '1', 'text': 'Supplementary', 'supplementary': true,"
                    "  'rule': " SPELL_A "}, " OUTCOME ("O2", SPELL_B) "]",
        .events = COMBINATOR_EVENTS }))
    return;
  expect_indicator (&f, "2025-10-15", TRUE, FALSE, NULL);
  expect_indicator (&f, "2025-12-01", TRUE, TRUE, "2025-11-01");
}

/* ---- loader -------------------------------------------------------------------------------- */

static void
test_loader_plans (void)
{
  const char *source = g_getenv ("FO_SOURCE_DIR");
  g_autofree char *folder = g_build_filename (source ? source : SOURCE_DIR, "plans", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = NULL;
      g_autoptr(FoPlan) plan = NULL;
      g_autoptr(GError) load_error = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      file = g_build_filename (folder, name, NULL);
      plan = fo_plan_load_file (file, &load_error);
      if (plan == NULL)
        fail ("%s does not load: %s", name, load_error->message);
      else if (plan->indicators->len == 0)
        fail ("%s has no indicators", name);
      n++;
    }
  g_assert_cmpuint (n, >=, 5);
}

/* ---- main ---------------------------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  /* Keep going after a failed case, so that one wrong verdict does not hide the others. */
  g_autofree char **args = g_new0 (char *, argc + 2);
  int n_args = argc + 1;

  memcpy (args, argv, sizeof (char *) * argc);
  args[argc] = (char *) "--keep-going";
  argv = args;
  g_test_init (&n_args, &argv, NULL);

  g_test_add_func ("/primitives/measure/entry-exactly-90-not-identified", test_measure_entry_exactly_90);
  g_test_add_func ("/primitives/measure/entry-89.99-identified", test_measure_entry_just_below_90);
  g_test_add_func ("/primitives/measure/exactly-90", test_measure_exactly_90);
  g_test_add_func ("/primitives/measure/89.99-fails", test_measure_just_below_90);
  g_test_add_func ("/primitives/measure/absence-exactly-10-fails", test_measure_absence_exactly_10);

  g_test_add_func ("/primitives/change/exactly-60", test_change_exactly_60);
  g_test_add_func ("/primitives/change/one-more-fails", test_change_one_more_fails);
  g_test_add_func ("/primitives/change/baseline-window-edge", test_change_baseline_window_edge);
  g_test_add_func ("/primitives/change/zero-baseline/require-zero-pass", test_change_zero_require_zero_pass);
  g_test_add_func ("/primitives/change/zero-baseline/require-zero-fail", test_change_zero_require_zero_fail);
  g_test_add_func ("/primitives/change/zero-baseline/fail", test_change_zero_fail);
  g_test_add_func ("/primitives/change/zero-baseline/pass", test_change_zero_pass);
  g_test_add_func ("/primitives/change/first-window-month-end", test_change_first_window_month_end);
  g_test_add_func ("/primitives/change/attendance-30pct-relative", test_change_attendance_30_pct);
  g_test_add_func ("/primitives/change/attendance-short-of-30pct", test_change_attendance_short);
  g_test_add_func ("/primitives/change/attendance-under-floor", test_change_attendance_floor);
  g_test_add_func ("/primitives/count/last-3m-month-end", test_count_last_3m_month_end);

  g_test_add_func ("/primitives/sustain/exactly-6-months", test_sustain_exactly_6_months);
  g_test_add_func ("/primitives/sustain/month-end-clamp", test_sustain_month_end_clamp);
  g_test_add_func ("/primitives/sustain/break-resets", test_sustain_break_resets);
  g_test_add_func ("/primitives/sustain/held-then-lost", test_sustain_held_then_lost);
  g_test_add_func ("/primitives/sustain/sustained-then-lost", test_sustain_sustained_then_lost);
  g_test_add_func ("/primitives/sustain/starts-at-entry", test_sustain_starts_at_entry);
  g_test_add_func ("/primitives/sustain/quiet-after-incident", test_sustain_quiet_after_incident);

  g_test_add_func ("/primitives/tiered/count-7-low-band", test_tiered_7);
  g_test_add_func ("/primitives/tiered/count-8-high-band", test_tiered_8);
  g_test_add_func ("/primitives/tiered/count-4-low-band", test_tiered_4);
  g_test_add_func ("/primitives/tiered/count-5-high-band", test_tiered_5);
  g_test_add_func ("/primitives/tiered/window-edge", test_tiered_window_edge);

  g_test_add_func ("/primitives/quantify/every-school-child-passes", test_quantify_all_pass);
  g_test_add_func ("/primitives/quantify/one-child-fails", test_quantify_one_fails);
  g_test_add_func ("/primitives/quantify/leaves-school-age", test_quantify_leaves_school_age);
  g_test_add_func ("/primitives/quantify/starts-school-age", test_quantify_starts_school_age);
  g_test_add_func ("/primitives/quantify/empty-if-empty-true", test_quantify_empty_true);
  g_test_add_func ("/primitives/quantify/empty-if-empty-false", test_quantify_empty_false);

  g_test_add_func ("/primitives/reading/once-then-drops", test_reading_once_then_drops);
  g_test_add_func ("/primitives/reading/two-qualifying", test_reading_two_qualifying);
  g_test_add_func ("/primitives/reading/span-3m-exact", test_reading_span_exact);
  g_test_add_func ("/primitives/reading/span-3m-one-day-short", test_reading_span_one_day_short);
  g_test_add_func ("/primitives/reading/average-plus-2", test_reading_average_plus_2);
  g_test_add_func ("/primitives/reading/average-plus-1.9", test_reading_average_plus_1_9);
  g_test_add_func ("/primitives/reading/sum-plus-20", test_reading_sum_plus_20);
  g_test_add_func ("/primitives/reading/sum-plus-19", test_reading_sum_plus_19);
  g_test_add_func ("/primitives/reading/sustained-drops-recovers", test_reading_sustained_drops_recovers);
  g_test_add_func ("/primitives/reading/baseline-not-counted", test_reading_baseline_not_counted);
  g_test_add_func ("/primitives/reading/dash-25pct-span", test_reading_dash_25_pct);
  g_test_add_func ("/primitives/reading/dash-20pct-fails", test_reading_dash_20_pct);

  g_test_add_func ("/primitives/spell/13-weeks", test_spell_13_weeks);
  g_test_add_func ("/primitives/spell/13-weeks-touching", test_spell_13_weeks_touching);
  g_test_add_func ("/primitives/spell/182-of-210-days", test_spell_182_of_210);
  g_test_add_func ("/primitives/spell/13-weeks-from-entry", test_spell_13_weeks_from_entry);
  g_test_add_func ("/primitives/spell/182-of-210-from-entry", test_spell_182_of_210_from_entry);

  g_test_add_func ("/primitives/transition/closed-6-months", test_transition_closed_6_months);
  g_test_add_func ("/primitives/transition/re-referral", test_transition_re_referral);
  g_test_add_func ("/primitives/transition/earlier-case-reason", test_transition_earlier_case_reason);
  g_test_add_func ("/primitives/transition/quiet-before-inside", test_transition_quiet_before_inside);
  g_test_add_func ("/primitives/transition/quiet-before-outside", test_transition_quiet_before_outside);

  g_test_add_func ("/primitives/evidence/not-before-one-day-early", test_evidence_not_before_early);
  g_test_add_func ("/primitives/evidence/not-before-on-the-day", test_evidence_not_before_on_day);
  g_test_add_func ("/primitives/evidence/on-closure", test_evidence_on_closure);
  g_test_add_func ("/primitives/evidence/on-closure-disengaged", test_evidence_on_closure_disengaged);
  g_test_add_func ("/primitives/evidence/approval-missing", test_evidence_approval_missing);
  g_test_add_func ("/primitives/evidence/approved-by-author", test_evidence_approved_by_author);
  g_test_add_func ("/primitives/evidence/approved-wrong-role", test_evidence_approved_wrong_role);
  g_test_add_func ("/primitives/evidence/approved-by-other", test_evidence_approved_by_other);

  g_test_add_func ("/primitives/combinators/basics", test_combinators_basics);
  g_test_add_func ("/primitives/combinators/supplementary-alone", test_combinators_supplementary_alone);
  g_test_add_func ("/primitives/combinators/supplementary-with-other", test_combinators_supplementary_with_other);

  g_test_add_func ("/primitives/reading/same-day-counts-once", test_reading_same_day_once);
  g_test_add_func ("/primitives/count/age-on-record-date", test_count_age_on_record_date);
  g_test_add_func ("/primitives/loader/all-plans", test_loader_plans);

  return g_test_run ();
}
