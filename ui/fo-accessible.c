/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-accessible"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-accessible.h"

/*
 * GTK 4.8 names an unlabelled widget after its type ("GtkImage"), which a screen reader
 * then reads out. This pass over a window's widgets hides icons that only decorate text
 * beside them, names scroll bars and the inner buttons of drop-downs after what they
 * belong to, and leaves alone every widget the application named itself.
 */

static GQuark named_quark;

static void
ensure_quark (void)
{
  if (named_quark == 0)
    named_quark = g_quark_from_static_string ("fo-accessible-named");
}

/* Names @widget for assistive technologies, and marks it as named for fo_accessible_tidy(). */
void
fo_accessible_set_label (gpointer    widget,
                         const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  ensure_quark ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_set_qdata (G_OBJECT (widget), named_quark, GINT_TO_POINTER (TRUE));
}

/* Marks @widget as named by other means (a labelled-by relation), for fo_accessible_tidy(). */
void
fo_accessible_mark_named (gpointer widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  ensure_quark ();
  g_object_set_qdata (G_OBJECT (widget), named_quark, GINT_TO_POINTER (TRUE));
}

static gboolean
is_named (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), named_quark) != NULL;
}

static void
label_like_parent (GtkWidget *widget,
                   GtkWidget *parent)
{
  GList *labels = gtk_widget_list_mnemonic_labels (parent);

  if (labels != NULL)
    {
      gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, labels->data, NULL,
                                      -1);
      g_object_set_qdata (G_OBJECT (widget), named_quark, GINT_TO_POINTER (TRUE));
    }
  g_list_free (labels);
}

static void
tidy_widget (GtkWidget *widget)
{
  const char *type_name = G_OBJECT_TYPE_NAME (widget);
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (is_named (widget))
    return;
  /* An icon-only button from a library, such as a toast's close button, is named after its
   * tooltip or its icon. */
  if (GTK_IS_BUTTON (widget) && !GTK_IS_TOGGLE_BUTTON (widget) &&
      gtk_button_get_label (GTK_BUTTON (widget)) == NULL &&
      GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))))
    {
      const char *tooltip = gtk_widget_get_tooltip_text (widget);
      const char *icon = gtk_image_get_icon_name (GTK_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))));

      if (tooltip != NULL)
        fo_accessible_set_label (widget, tooltip);
      else if (g_strcmp0 (icon, "window-close-symbolic") == 0)
        fo_accessible_set_label (widget, _("Close"));
    }
  if (GTK_IS_IMAGE (widget) || g_str_equal (type_name, "GtkBuiltinIcon"))
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  else if (GTK_IS_SCROLLBAR (widget))
    fo_accessible_set_label (widget,
                             gtk_orientable_get_orientation (GTK_ORIENTABLE (widget))
                             == GTK_ORIENTATION_VERTICAL ? _("Vertical scroll bar")
                                                         : _("Horizontal scroll bar"));
  else if (g_str_equal (type_name, "GtkRange"))
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  else if (g_str_equal (type_name, "AdwGizmo"))
    /* libadwaita's header bars hold their buttons in these. */
    fo_accessible_set_label (widget, _("Header bar controls"));
  else if (GTK_IS_SPINNER (widget))
    fo_accessible_set_label (widget, _("Working"));
  else if (GTK_IS_TOGGLE_BUTTON (widget) && parent != NULL)
    label_like_parent (widget, parent);
  else if (GTK_IS_STACK (widget))
    {
      g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (GTK_STACK (widget));

      /* A page is announced by its title, or else by its name. */
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
          GtkStackPage *page = GTK_STACK_PAGE (item);
          const char *title = gtk_stack_page_get_title (page);
          const char *name = gtk_stack_page_get_name (page);

          if (GTK_IS_ACCESSIBLE (page) && (title != NULL || name != NULL))
            gtk_accessible_update_property (GTK_ACCESSIBLE (page), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            title != NULL ? title : name, -1);
        }
    }
}

static void
tidy_tree (GtkWidget *widget)
{
  tidy_widget (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tidy_tree (child);
}

/* Tidies @root and everything inside it; call it again after building new content. */
void
fo_accessible_tidy (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  ensure_quark ();
  tidy_tree (root);
}

static void
map_cb (GtkWidget *window)
{
  fo_accessible_tidy (window);
}

static gboolean
tidy_idle (gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr(GtkWidget) widget = g_weak_ref_get (ref);

  if (widget != NULL)
    fo_accessible_tidy (widget);
  g_weak_ref_clear (ref);
  g_free (ref);
  return G_SOURCE_REMOVE;
}

/* Tidies @root once GTK has built what was just added to it, such as a toast. */
void
fo_accessible_tidy_soon (GtkWidget *root)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_return_if_fail (GTK_IS_WIDGET (root));

  g_weak_ref_init (ref, root);
  g_idle_add (tidy_idle, ref);
}

void
fo_accessible_tidy_on_map (GtkWidget *window)
{
  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
}
