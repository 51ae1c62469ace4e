/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-date"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fo-date.h"

G_DEFINE_QUARK (fo-error-quark, fo_error)

static void
day_to_gdate (FoDay  day,
              GDate *date)
{
  g_date_clear (date, 1);
  g_date_set_julian (date, day);
}

gboolean
fo_day_parse (const char *text,
              FoDay      *out_day)
{
  GDate date;
  guint year, month, day;

  g_return_val_if_fail (out_day != NULL, FALSE);

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  month = (text[5] - '0') * 10 + (text[6] - '0');
  day = (text[8] - '0') * 10 + (text[9] - '0');

  /* Year 0 does not exist in GDate's calendar; anything before 1900 in this domain is a typo. */
  if (year < 1900 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  *out_day = g_date_get_julian (&date);
  return TRUE;
}

/* Today on the local clock. Only the applications call this: the evaluator never reads the
 * clock, so that a verdict depends on its as-of date alone. */
FoDay
fo_day_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  return g_date_get_julian (&date);
}

/**
 * fo_day_to_display:
 * @day: a day, or 0
 *
 * Returns: (transfer full) (nullable): the day as people read it, "21 Jul 2026" in the
 *   user's language, or %NULL for 0
 */
char *
fo_day_to_display (FoDay day)
{
  GDate date;
  char buf[64];

  if (day == 0)
    return NULL;
  day_to_gdate (day, &date);
  if (g_date_strftime (buf, sizeof buf, "%-d %b %Y", &date) == 0)
    return fo_day_format (day);
  return g_strdup (buf);
}

void
fo_day_format_buf (FoDay day,
                   char  buf[11])
{
  GDate date;

  if (day == 0)
    {
      g_strlcpy (buf, "—", 11);
      return;
    }
  day_to_gdate (day, &date);
  g_snprintf (buf, 11, "%04u-%02u-%02u",
              g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
}

char *
fo_day_format (FoDay day)
{
  char buf[11];

  if (day == 0)
    return NULL;
  fo_day_format_buf (day, buf);
  return g_strdup (buf);
}

/* GDate does the calendar arithmetic; evaluating a cohort asks it the same few questions
 * (entry minus 12 months, a birthday) thousands of times, so answers are remembered. */
#define MONTHS_CACHE_SIZE 1024

typedef struct
{
  FoDay day;
  int   months;
  FoDay result;
} MonthsCacheEntry;

static __thread MonthsCacheEntry months_cache[MONTHS_CACHE_SIZE];

FoDay
fo_day_add_months (FoDay day,
                   int   months)
{
  MonthsCacheEntry *entry = &months_cache[(day * 31u + (guint) months * 2654435761u) %
                                          MONTHS_CACHE_SIZE];
  GDate date;

  if (entry->day == day && entry->months == months && entry->result != 0)
    return entry->result;
  day_to_gdate (day, &date);
  if (months >= 0)
    g_date_add_months (&date, months);
  else
    g_date_subtract_months (&date, -months);
  entry->day = day;
  entry->months = months;
  entry->result = g_date_get_julian (&date);
  return entry->result;
}

/* The day someone born on @dob turns @years: 29 February birthdays fall on 1 March in
 * common years, as in English law. */
static FoDay
nth_birthday (FoDay dob,
              int   years)
{
  FoDay shifted = fo_day_add_months (dob, 12 * years);
  GDate birth;

  day_to_gdate (dob, &birth);
  if (g_date_get_month (&birth) == G_DATE_FEBRUARY && g_date_get_day (&birth) == 29 &&
      !g_date_is_leap_year (g_date_get_year (&birth) + years))
    return shifted + 1;
  return shifted;
}

FoDay
fo_day_nth_birthday (FoDay dob,
                     int   years)
{
  /* Remembered like month arithmetic: the same members' birthdays are asked for again and
   * again while a cohort is evaluated. */
  static __thread MonthsCacheEntry cache[MONTHS_CACHE_SIZE];
  MonthsCacheEntry *entry = &cache[(dob * 31u + (guint) years * 2654435761u) % MONTHS_CACHE_SIZE];

  if (entry->day != dob || entry->months != years || entry->result == 0)
    {
      entry->day = dob;
      entry->months = years;
      entry->result = nth_birthday (dob, years);
    }
  return entry->result;
}

int
fo_day_year (FoDay day)
{
  GDate date;

  day_to_gdate (day, &date);
  return g_date_get_year (&date);
}

int
fo_age_years (FoDay dob,
              FoDay on)
{
  GDate birth, when;
  int age;

  if (dob == 0 || on < dob)
    return -1;
  day_to_gdate (dob, &birth);
  day_to_gdate (on, &when);
  age = g_date_get_year (&when) - g_date_get_year (&birth);
  if (g_date_get_month (&when) < g_date_get_month (&birth) ||
      (g_date_get_month (&when) == g_date_get_month (&birth) &&
       g_date_get_day (&when) < g_date_get_day (&birth)))
    age--;
  return age;
}

gboolean
fo_duration_parse (const char *text,
                   FoDuration *out_duration)
{
  char *end = NULL;
  gint64 n;

  g_return_val_if_fail (out_duration != NULL, FALSE);

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;
  n = g_ascii_strtoll (text, &end, 10);
  if (end == NULL || end[0] == '\0' || end[1] != '\0' || n <= 0 || n > 1200)
    return FALSE;
  if (end[0] != 'd' && end[0] != 'w' && end[0] != 'm')
    return FALSE;
  out_duration->unit = (FoUnit) end[0];
  out_duration->n = (int) n;
  return TRUE;
}

char *
fo_duration_to_string (const FoDuration *duration)
{
  switch (duration->unit)
    {
    case FO_UNIT_MONTHS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d month", "%d months", duration->n),
                              duration->n);
    case FO_UNIT_WEEKS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d week", "%d weeks", duration->n),
                              duration->n);
    case FO_UNIT_DAYS:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", duration->n),
                              duration->n);
    }
}

FoDay
fo_day_add_duration (FoDay             day,
                     const FoDuration *duration)
{
  switch (duration->unit)
    {
    case FO_UNIT_MONTHS:
      return fo_day_add_months (day, duration->n);
    case FO_UNIT_WEEKS:
      return day + 7 * duration->n;
    case FO_UNIT_DAYS:
    default:
      return day + duration->n;
    }
}

/* A condition holding every day from @start has held for @duration on this day (catalogue A01). */
FoDay
fo_duration_completed_on (FoDay             start,
                          const FoDuration *duration)
{
  return fo_day_add_duration (start, duration) - 1;
}

/* The first day of "the last @duration" ending on @end: the days after end − duration. */
FoDay
fo_duration_window_start (FoDay             end,
                          const FoDuration *duration)
{
  switch (duration->unit)
    {
    case FO_UNIT_MONTHS:
      return fo_day_add_months (end, -duration->n) + 1;
    case FO_UNIT_WEEKS:
      return end - 7 * duration->n + 1;
    case FO_UNIT_DAYS:
    default:
      return end - duration->n + 1;
    }
}

/* How many whole units of @duration's kind a run from @start has completed by @end. */
int
fo_duration_whole_units (FoDay             start,
                         FoDay             end,
                         const FoDuration *duration)
{
  FoDuration one = { duration->unit, 1 };
  int units = 0;

  if (end < start)
    return 0;
  if (duration->unit == FO_UNIT_DAYS)
    return MIN ((int) (end - start + 1), duration->n);
  if (duration->unit == FO_UNIT_WEEKS)
    return MIN ((int) ((end - start + 1) / 7), duration->n);

  while (units < duration->n)
    {
      one.n = units + 1;
      if (fo_duration_completed_on (start, &one) > end)
        break;
      units++;
    }
  return units;
}

/* Compulsory school age (catalogue A26): from the prescribed day (1 January, 1 April or
 * 1 September) following the fifth birthday, to the last Friday of June of the school year
 * in which the child turns 16. */
static void school_age_span (FoDay dob, FoDay *out_first, FoDay *out_last);

void
fo_school_age_span (FoDay  dob,
                    FoDay *out_first,
                    FoDay *out_last)
{
  static __thread struct { FoDay dob, first, last; } cache[MONTHS_CACHE_SIZE];
  guint slot = (dob * 2654435761u) % MONTHS_CACHE_SIZE;

  if (cache[slot].dob != dob || cache[slot].first == 0)
    {
      cache[slot].dob = dob;
      school_age_span (dob, &cache[slot].first, &cache[slot].last);
    }
  *out_first = cache[slot].first;
  *out_last = cache[slot].last;
}

/* The same from a date of birth given as year, month and day. */
void
fo_school_age_span_dmy (int    year,
                        int    month,
                        int    day,
                        FoDay *out_first,
                        FoDay *out_last)
{
  GDate june;
  int fifth_year = year + 5, fifth_month = month, fifth_day = day;
  int last_year = month >= G_DATE_SEPTEMBER ? year + 17 : year + 16;

  if (month == G_DATE_FEBRUARY && day == 29 && !g_date_is_leap_year (fifth_year))
    {
      fifth_month = G_DATE_MARCH;
      fifth_day = 1;
    }
  if (fifth_day == 1 && (fifth_month == G_DATE_JANUARY || fifth_month == G_DATE_APRIL ||
                         fifth_month == G_DATE_SEPTEMBER))
    *out_first = fo_day_from_dmy (1, fifth_month, fifth_year);
  else if (fifth_month < G_DATE_APRIL)
    *out_first = fo_day_from_dmy (1, G_DATE_APRIL, fifth_year);
  else if (fifth_month < G_DATE_SEPTEMBER)
    *out_first = fo_day_from_dmy (1, G_DATE_SEPTEMBER, fifth_year);
  else
    *out_first = fo_day_from_dmy (1, G_DATE_JANUARY, fifth_year + 1);

  g_date_clear (&june, 1);
  g_date_set_dmy (&june, 30, G_DATE_JUNE, last_year);
  *out_last = g_date_get_julian (&june) - (g_date_get_weekday (&june) + 7 - G_DATE_FRIDAY) % 7;
}

/* 31 August before the first 1 September on which the child is 11 or over. */
FoDay
fo_primary_phase_last_day_dmy (int year,
                               int month,
                               int day)
{
  gboolean eleven_on_first_september = month < G_DATE_SEPTEMBER ||
                                        (month == G_DATE_SEPTEMBER && day == 1);

  return fo_day_from_dmy (31, G_DATE_AUGUST, year + (eleven_on_first_september ? 11 : 12));
}

static void
school_age_span (FoDay  dob,
                 FoDay *out_first,
                 FoDay *out_last)
{
  GDate fifth, first, june;
  GDate birth;
  int year, last_year;
  GDateMonth month;

  day_to_gdate (dob, &birth);
  fifth = birth;
  g_date_add_years (&fifth, 5);
  year = g_date_get_year (&fifth);
  month = g_date_get_month (&fifth);

  g_date_clear (&first, 1);
  if (month < G_DATE_APRIL)
    g_date_set_dmy (&first, 1, G_DATE_APRIL, year);
  else if (month < G_DATE_SEPTEMBER)
    g_date_set_dmy (&first, 1, G_DATE_SEPTEMBER, year);
  else
    g_date_set_dmy (&first, 1, G_DATE_JANUARY, year + 1);
  if (g_date_get_day (&fifth) == 1 &&
      (month == G_DATE_JANUARY || month == G_DATE_APRIL || month == G_DATE_SEPTEMBER))
    g_date_set_dmy (&first, 1, month, year);

  /* The school year runs 1 September to 31 August. */
  year = g_date_get_year (&birth) + 16;
  last_year = g_date_get_month (&birth) >= G_DATE_SEPTEMBER ? year + 1 : year;
  g_date_clear (&june, 1);
  g_date_set_dmy (&june, 30, G_DATE_JUNE, last_year);
  while (g_date_get_weekday (&june) != G_DATE_FRIDAY)
    g_date_subtract_days (&june, 1);

  *out_first = g_date_get_julian (&first);
  *out_last = g_date_get_julian (&june);
}

/* Primary phase: under 11 on the 1 September that began the current school year. */
gboolean
fo_is_primary_phase (FoDay dob,
                     FoDay on)
{
  GDate when, september;
  int year;

  day_to_gdate (on, &when);
  year = g_date_get_year (&when);
  if (g_date_get_month (&when) < G_DATE_SEPTEMBER)
    year--;
  g_date_clear (&september, 1);
  g_date_set_dmy (&september, 1, G_DATE_SEPTEMBER, year);
  return fo_age_years (dob, g_date_get_julian (&september)) < 11;
}

FoDay
fo_day_from_dmy (int day,
                 int month,
                 int year)
{
  GDate date;

  g_return_val_if_fail (g_date_valid_dmy (day, month, year), 0);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return g_date_get_julian (&date);
}

/* The 31 August before the first 1 September on which the child is 11 or over. */
FoDay
fo_primary_phase_last_day (FoDay dob)
{
  static __thread struct { FoDay dob, last; } cache[MONTHS_CACHE_SIZE];
  guint slot = (dob * 2654435761u) % MONTHS_CACHE_SIZE;
  int year;

  if (cache[slot].dob == dob && cache[slot].last != 0)
    return cache[slot].last;
  year = fo_day_year (dob) + 11;

  if (fo_age_years (dob, fo_day_from_dmy (1, 9, year)) < 11)
    year++;
  cache[slot].dob = dob;
  cache[slot].last = fo_day_from_dmy (31, 8, year);
  return cache[slot].last;
}
