"""Primary keys typed by hand: in an address, a filter or a form field that names a row."""

from django.contrib.admin.utils import unquote


def id_in_address(value: object) -> int | None:
    """A primary key typed in the address or a posted field, or None where it cannot be one.

    ASCII digits only ("²".isdigit() holds, yet int("²") fails), and at most 18 of them: a
    larger number fits no key column, and SQLite refuses it with an error rather than no row.
    """
    text = str(value) if value is not None else ""
    if text and text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


class ObjectByTypedKey:
    """A ModelAdmin's object named by a number in its address: none where it cannot be a key.

    For a model whose primary key is a one-to-one to another row (a meeting's policy), the
    admin passes the typed id through the relation unchecked, and SQLite raises on a number
    no column can hold instead of finding no row.
    """

    def get_object(self, request, object_id, from_field=None):
        if from_field is None and id_in_address(unquote(object_id)) is None:
            return None
        return super().get_object(request, object_id, from_field)
