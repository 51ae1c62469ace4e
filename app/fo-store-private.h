/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "fo-store.h"

G_BEGIN_DECLS

/* For the files that extend the store (claims, the audit log): one connection, one cache of
 * prepared statements, one way of reporting SQLite's errors. */

sqlite3_stmt *_fo_store_statement   (FoStore       *store,
                                     const char    *sql,
                                     GError       **error);
gboolean      _fo_store_step_done   (FoStore       *store,
                                     sqlite3_stmt  *stmt,
                                     const char    *doing,
                                     GError       **error);
void          _fo_store_bind_text   (sqlite3_stmt  *stmt,
                                     int            index,
                                     const char    *text);
void          _fo_store_bind_day    (sqlite3_stmt  *stmt,
                                     int            index,
                                     FoDay          day);
char         *_fo_store_column_text (sqlite3_stmt  *stmt,
                                     int            index);
FoDay         _fo_store_column_day  (sqlite3_stmt  *stmt,
                                     int            index);
char         *_fo_store_family_sha256 (const FoFamily *family);

G_END_DECLS
