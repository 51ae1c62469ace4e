/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define APPLICATION_ID "com.example.FamilyOutcomes"

#define FO_TYPE_APPLICATION (fo_application_get_type ())
G_DECLARE_FINAL_TYPE (FoApplication, fo_application, FO, APPLICATION, AdwApplication)

FoApplication *fo_application_new (void);

G_END_DECLS
