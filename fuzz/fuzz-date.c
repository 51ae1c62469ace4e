/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-date"

#include "config.h"

#include <string.h>

#include "fo-date.h"
#include "fo-fuzz.h"

/*
 * Dates and durations come from every file the application reads: plans, families, feeds and
 * the command line. The input is tried whole as a date and as a duration, and, when it has a
 * space, as "DATE DURATION": a day and a duration that parse are then put through the calendar
 * helpers that plans and the evaluator use, which must hold for any day the parser accepts.
 */

static void
check_day (FoDay day)
{
  g_autofree char *display = fo_day_to_display (day);
  FoDay first = 0, last = 0;
  int year = fo_day_year (day);

  g_assert_nonnull (display);
  g_assert_cmpint (year, >=, 1900);
  g_assert_cmpint (year, <=, 9999);

  /* As a date of birth: ages, birthdays and school phases over a lifetime. */
  g_assert_cmpint (fo_age_years (day, day), ==, 0);
  g_assert_cmpint (fo_age_years (day, fo_day_nth_birthday (day, 16)), ==, 16);
  g_assert_cmpint (fo_age_years (day, fo_day_nth_birthday (day, 16) - 1), ==, 15);
  fo_school_age_span (day, &first, &last);
  g_assert_cmpuint (first, >, day);
  g_assert_cmpuint (last, >, first);
  g_assert_cmpuint (fo_primary_phase_last_day (day), >, day);
  fo_is_primary_phase (day, last);

  g_assert_cmpuint (fo_day_add_months (fo_day_add_months (day, 1200), -1200), <=, day);
  g_assert_cmpuint (fo_day_add_months (day, -1200), <, day);
}

static void
check_duration (FoDay             day,
                const FoDuration *duration)
{
  FoDay done = fo_duration_completed_on (day, duration);
  FoDay start = fo_duration_window_start (day, duration);

  /* Every duration is at least a day long, both ways. */
  g_assert_cmpuint (done, >=, day);
  g_assert_cmpuint (start, <=, day);
  g_assert_cmpint (fo_duration_whole_units (day, done, duration), ==, duration->n);
  g_assert_cmpint (fo_duration_whole_units (day, day - 1, duration), ==, 0);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fo_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fo_fuzz_strndup (data, size);
  FoDuration duration = { FO_UNIT_DAYS, 0 };
  FoDay day = 0;
  char *space;

  if (fo_day_parse (text, &day))
    {
      g_autofree char *back = fo_day_format (day);

      /* Exactly one spelling of each day is accepted. */
      g_assert_cmpstr (back, ==, text);
      check_day (day);
    }
  if (fo_duration_parse (text, &duration))
    {
      g_autofree char *label = fo_duration_to_string (&duration);

      g_assert_cmpint (duration.n, >=, 1);
      g_assert_cmpint (duration.n, <=, 1200);
      g_assert_true (duration.unit == FO_UNIT_DAYS || duration.unit == FO_UNIT_WEEKS ||
                     duration.unit == FO_UNIT_MONTHS);
      g_assert_cmpint (g_ascii_strtoll (text, NULL, 10), ==, duration.n);
      g_assert_nonnull (label);
    }

  space = strchr (text, ' ');
  if (space != NULL)
    {
      *space = '\0';
      if (fo_day_parse (text, &day) && fo_duration_parse (space + 1, &duration))
        check_duration (day, &duration);
    }
  return 0;
}
