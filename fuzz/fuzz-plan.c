/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-plan"

#include "config.h"

#include "fo-evaluator.h"
#include "fo-explain.h"
#include "fo-fuzz.h"
#include "fo-plan.h"

/*
 * A council writes its own plan file, and `check-plan` is how it finds its mistakes. The input
 * goes through fo_plan_load_data (), as `check-plan` does. A refusal must be an FO_ERROR naming
 * the file; a plan that loads must be safe to count and to evaluate, with explanations, on a
 * family that has records of most kinds.
 */

#define FILE_NAME "fuzz.plan.json"

static FoFamily *family;
static FoDay as_of;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *file = g_build_filename (SOURCE_DIR, "tests", "scenarios", "cbc",
                                            "claimable-attendance-and-physical-health.family.json",
                                            NULL);
  g_autoptr(GError) error = NULL;

  fo_fuzz_setup ();
  family = fo_family_load_file (file, &error);
  if (family == NULL)
    g_error ("%s", error->message);
  fo_day_parse ("2026-08-01", &as_of);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlan) plan = NULL;
  g_autoptr(FoEvaluation) evaluation = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *report = NULL;

  plan = fo_plan_load_data (FILE_NAME, (const char *) data, size, &error);
  if (plan == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == FO_ERROR);
      if (!g_str_has_prefix (error->message, FILE_NAME))
        g_error ("the error does not name the file: %s", error->message);
      return 0;
    }
  g_assert_no_error (error);

  counts = fo_plan_counts_text (plan);
  g_assert_nonnull (counts);
  evaluation = fo_evaluate (plan, family, as_of, FO_EVALUATE_EXPLAIN);
  g_assert_nonnull (evaluation);
  report = fo_evaluation_to_text (evaluation);
  g_assert_nonnull (report);
  return 0;
}
