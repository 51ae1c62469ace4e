/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fo-report.h"

G_BEGIN_DECLS

void fo_report_print      (GtkWindow       *parent,
                           FoReport        *report,
                           GSettings       *settings);
void fo_report_export_pdf (GtkWindow       *parent,
                           FoReport        *report,
                           const char      *suggested_name,
                           AdwToastOverlay *toasts);

G_END_DECLS
