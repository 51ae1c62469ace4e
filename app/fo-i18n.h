/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *fo_locale_dir       (void);
char       *fo_locale_dir_find  (const char         *configured,
                                 const char * const *data_dirs,
                                 const char * const *languages);

G_END_DECLS
