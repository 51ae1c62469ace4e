/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A day is a GDate Julian day number; 0 means "no date". */
typedef guint32 FoDay;

typedef struct _FoFamily     FoFamily;
typedef struct _FoMember     FoMember;
typedef struct _FoEvent      FoEvent;
typedef struct _FoPlan       FoPlan;
typedef struct _FoIssue      FoIssue;
typedef struct _FoIndicator  FoIndicator;
typedef struct _FoOutcome    FoOutcome;
typedef struct _FoRoute      FoRoute;
typedef struct _FoRule       FoRule;
typedef struct _FoEvaluation FoEvaluation;

#define FO_ERROR (fo_error_quark ())

typedef enum
{
  FO_ERROR_INVALID_JSON,
  FO_ERROR_INVALID_PLAN,
  FO_ERROR_INVALID_FAMILY,
  FO_ERROR_INVALID_ARGUMENT,
  FO_ERROR_IO,
} FoErrorCode;

GQuark fo_error_quark (void);

G_END_DECLS
