/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-family"

#include "config.h"

#include "fo-batch.h"
#include "fo-evaluator.h"
#include "fo-family.h"
#include "fo-fuzz.h"
#include "fo-json.h"

/*
 * Family files come from other systems and from people. The input goes through the same
 * strict reader and loader as `evaluate --family`. A refusal must be an FO_ERROR naming the
 * file; a family that loads must survive its own JSON (the store and `export` rely on the
 * round trip) and an evaluation against the plan it names.
 */

#define FILE_NAME "fuzz.family.json"

static FoPlanSet *plans;
static FoDay as_of;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = g_build_filename (SOURCE_DIR, "plans", NULL);
  g_autoptr(GError) error = NULL;

  fo_fuzz_setup ();
  plans = fo_plan_set_new ();
  if (!fo_plan_set_add_dir (plans, dir, &error))
    g_error ("%s", error->message);
  fo_day_parse ("2026-08-01", &as_of);
  return 0;
}

static char *
family_text (const FoFamily *family)
{
  g_autoptr(JsonNode) node = fo_family_to_json (family);

  return json_to_string (node, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again_root = NULL;
  g_autoptr(FoFamily) family = NULL;
  g_autoptr(FoFamily) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again_text = NULL;
  const FoPlan *plan;

  root = fo_json_load_data (FILE_NAME, (const char *) data, size, &error);
  if (root != NULL)
    family = fo_family_load_node (FILE_NAME, root, &error);
  if (family == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == FO_ERROR);
      if (!g_str_has_prefix (error->message, FILE_NAME))
        g_error ("the error does not name the file: %s", error->message);
      return 0;
    }
  g_assert_no_error (error);

  text = family_text (family);
  again_root = fo_json_load_data ("round trip", text, -1, &error);
  g_assert_no_error (error);
  again = fo_family_load_node ("round trip", again_root, &error);
  g_assert_no_error (error);
  again_text = family_text (again);
  g_assert_cmpstr (again_text, ==, text);

  plan = family->plan != NULL ? fo_plan_set_lookup (plans, family->plan) : NULL;
  if (plan != NULL)
    {
      g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, as_of, FO_EVALUATE_DEFAULT);

      g_assert_nonnull (evaluation);
    }
  return 0;
}
