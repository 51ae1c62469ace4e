/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-family"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fo-family-edit.h"

/*
 * A change made in a form goes through the family's JSON form and back through the same
 * validating loader that reads family files, so that the application can never store a
 * family that `family-outcomes-cli` would refuse, and a fault in the form is named by the
 * loader's own message, at the field it concerns.
 */

#define FORM_NAME "form"

void
fo_edit_fault_clear (FoEditFault *fault)
{
  g_clear_pointer (&fault->field, g_free);
  g_clear_pointer (&fault->message, g_free);
}

static const char *
array_name (FoEditTarget target)
{
  return target == FO_EDIT_MEMBER ? "members" : "events";
}

/* The element of @array whose "id" is @id, or -1. */
static int
find_index (JsonArray  *array,
            const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *element = json_array_get_object_element (array, i);

      if (element != NULL && g_strcmp0 (json_object_get_string_member_with_default (element, "id",
                                                                                  NULL), id) == 0)
        return i;
    }
  return -1;
}

/* Turns "form: $.events[3].attended: attended is greater than possible" into the field
 * "attended" when $.events[3] is the changed element, and the bare message. */
static void
split_fault (const char  *error_message,
             const char  *changed_prefix,
             FoEditFault *fault)
{
  const char *path, *message;

  fault->field = NULL;
  fault->message = NULL;
  if (!g_str_has_prefix (error_message, FORM_NAME ": "))
    {
      fault->message = g_strdup (error_message);
      return;
    }
  path = error_message + strlen (FORM_NAME ": ");
  message = strstr (path, ": ");
  if (message == NULL || path[0] != '$')
    {
      fault->message = g_strdup (path);
      return;
    }
  fault->message = g_strdup (message + 2);
  if (changed_prefix != NULL && g_str_has_prefix (path, changed_prefix) &&
      path[strlen (changed_prefix)] == '.')
    {
      const char *key = path + strlen (changed_prefix) + 1;
      gsize length = strcspn (key, ".[:");

      fault->field = g_strndup (key, length);
    }
}

static FoFamily *
load_checked (JsonNode     *root,
              const char   *changed_prefix,
              FoEditFault  *out_fault,
              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  FoFamily *edited = fo_family_load_node (FORM_NAME, root, &local_error);

  if (edited != NULL)
    return edited;
  if (out_fault != NULL)
    split_fault (local_error->message, changed_prefix, out_fault);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * fo_family_edit:
 * @family: the family as stored
 * @target: what the change touches
 * @id: (nullable): the member or record to replace or delete; %NULL adds @object
 * @object: (nullable): the new member, record or details; %NULL deletes @id
 * @out_fault: (out) (optional): where the loader found a fault, for the form to show
 * @error: the loader's error
 *
 * Returns: (transfer full): the family with the change made, or %NULL when the result would
 *   not be a valid family
 */
FoFamily *
fo_family_edit (const FoFamily  *family,
                FoEditTarget     target,
                const char      *id,
                JsonObject      *object,
                FoEditFault     *out_fault,
                GError         **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *changed_prefix = NULL;
  JsonObject *family_object;

  g_return_val_if_fail (family != NULL, NULL);
  g_return_val_if_fail (id != NULL || object != NULL, NULL);

  root = fo_family_to_json (family);
  family_object = json_node_get_object (root);
  if (target == FO_EDIT_DETAILS)
    {
      g_autoptr(GList) members = NULL;

      g_return_val_if_fail (object != NULL, NULL);
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (family_object, l->data,
                                json_node_copy (json_object_get_member (object, l->data)));
      changed_prefix = g_strdup ("$");
    }
  else
    {
      JsonArray *array = json_object_get_array_member (family_object, array_name (target));
      int index = id != NULL ? find_index (array, id) : -1;

      if (id != NULL && index < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The family has no %s “%s”; someone may have removed it"),
                       target == FO_EDIT_MEMBER ? _("member") : _("record"), id);
          if (out_fault != NULL)
            {
              out_fault->field = NULL;
              out_fault->message = g_strdup ((*error)->message);
            }
          return NULL;
        }
      if (object == NULL)
        json_array_remove_element (array, index);
      else if (index >= 0)
        {
          /* JsonArray has no replace: rebuild it with the new element in place. */
          JsonArray *rebuilt = json_array_sized_new (json_array_get_length (array));

          for (guint i = 0; i < json_array_get_length (array); i++)
            if ((int) i == index)
              json_array_add_object_element (rebuilt, json_object_ref (object));
            else
              json_array_add_element (rebuilt, json_node_copy (json_array_get_element (array, i)));
          json_object_set_array_member (family_object, array_name (target), rebuilt);
          changed_prefix = g_strdup_printf ("$.%s[%d]", array_name (target), index);
        }
      else
        {
          json_array_add_object_element (array, json_object_ref (object));
          changed_prefix = g_strdup_printf ("$.%s[%u]", array_name (target),
                                            json_array_get_length (array) - 1);
        }
    }
  return load_checked (root, changed_prefix, out_fault, error);
}

/**
 * fo_family_new_from_details:
 * @details: the new family's own fields
 *
 * Returns: (transfer full): a family with no members or records yet, or %NULL
 */
FoFamily *
fo_family_new_from_details (JsonObject   *details,
                            FoEditFault  *out_fault,
                            GError      **error)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (details);

  json_object_set_int_member (object, "format", 1);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (object, l->data,
                            json_node_copy (json_object_get_member (details, l->data)));
  json_object_set_array_member (object, "members", json_array_new ());
  json_object_set_array_member (object, "events", json_array_new ());
  json_node_take_object (root, object);
  return load_checked (root, "$", out_fault, error);
}

/**
 * fo_family_find_object:
 * @id: (nullable): the member or record; ignored for %FO_EDIT_DETAILS
 *
 * Returns: (transfer full) (nullable): the member, record or details as JSON, for a form
 */
JsonObject *
fo_family_find_object (const FoFamily *family,
                       FoEditTarget    target,
                       const char     *id)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *family_object;
  JsonArray *array;
  int index;

  g_return_val_if_fail (family != NULL, NULL);

  root = fo_family_to_json (family);
  family_object = json_node_get_object (root);
  if (target == FO_EDIT_DETAILS)
    return json_object_ref (family_object);
  array = json_object_get_array_member (family_object, array_name (target));
  index = find_index (array, id);
  return index >= 0 ? json_object_ref (json_array_get_object_element (array, index)) : NULL;
}
