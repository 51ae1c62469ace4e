/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "fo-evaluator.h"

G_BEGIN_DECLS

#define FO_EVALUATION_JSON_FORMAT 1

char     *fo_evaluation_to_text   (const FoEvaluation *evaluation);
JsonNode *fo_evaluation_to_json   (const FoEvaluation *evaluation);
char     *fo_explain_indicator    (const FoEvaluation *evaluation,
                                   const char         *indicator_id,
                                   GError            **error);
char     *fo_plan_counts_text     (const FoPlan       *plan);

G_END_DECLS
