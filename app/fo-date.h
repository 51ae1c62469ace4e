/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-types.h"

G_BEGIN_DECLS

typedef enum
{
  FO_UNIT_DAYS = 'd',
  FO_UNIT_WEEKS = 'w',
  FO_UNIT_MONTHS = 'm',
} FoUnit;

typedef struct
{
  FoUnit unit;
  int    n;
} FoDuration;

gboolean fo_day_parse             (const char  *text,
                                   FoDay       *out_day);
char    *fo_day_format            (FoDay        day);
FoDay    fo_day_today             (void);
char    *fo_day_to_display        (FoDay        day);
void     fo_day_format_buf        (FoDay        day,
                                   char         buf[11]);
FoDay    fo_day_add_months        (FoDay        day,
                                   int          months);
FoDay    fo_day_nth_birthday      (FoDay        dob,
                                   int          years);
int      fo_day_year              (FoDay        day);
int      fo_age_years             (FoDay        dob,
                                   FoDay        on);

gboolean fo_duration_parse        (const char  *text,
                                   FoDuration  *out_duration);
char    *fo_duration_to_string    (const FoDuration *duration);
FoDay    fo_duration_completed_on (FoDay        start,
                                   const FoDuration *duration);
FoDay    fo_duration_window_start (FoDay        end,
                                   const FoDuration *duration);
FoDay    fo_day_add_duration      (FoDay        day,
                                   const FoDuration *duration);
int      fo_duration_whole_units  (FoDay        start,
                                   FoDay        end,
                                   const FoDuration *duration);

void     fo_school_age_span       (FoDay        dob,
                                   FoDay       *out_first,
                                   FoDay       *out_last);
FoDay    fo_day_from_dmy          (int          day,
                                   int          month,
                                   int          year);
FoDay    fo_primary_phase_last_day (FoDay       dob);
void     fo_school_age_span_dmy   (int          year,
                                   int          month,
                                   int          day,
                                   FoDay       *out_first,
                                   FoDay       *out_last);
FoDay    fo_primary_phase_last_day_dmy (int     year,
                                        int     month,
                                        int     day);
gboolean fo_is_primary_phase      (FoDay        dob,
                                   FoDay        on);

G_END_DECLS
