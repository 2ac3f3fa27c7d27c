"""Queries of a hot path, compiled by the ORM once per process and then run with new values.

Turning a queryset into SQL costs the ORM 0.3–0.9 ms of Python each time; running that SQL
on PostgreSQL costs about 0.1 ms. On the registration submit, which many delegates post at
the same moment when registration opens, the compiling was most of the work
(docs/performance.md). A ``Prepared`` query is still written with the ORM, so it follows
the models; it is compiled on first use with stand-in values, and later calls put their
values where the stand-ins were (docs/decisions/0005-hot-queries-compiled-once.md).

Only what a hot path needs is supported: a queryset of one model's rows without related
rows or annotations, or a ``values_list``; every value passed reaches the SQL unchanged
(compared with ``=``), which is checked when the query is compiled.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.transaction import TransactionManagementError


class PreparedQueryError(Exception):
    """The queryset cannot be compiled once and reused as asked."""


# Stand-ins for the values of a call: each must reach the SQL parameters unchanged, so they
# are plain ints or lower-case strings no real value takes.
# The int stand-ins fit a 32-bit column: the ORM gives up on a value outside a column's range.
_INT_STAND_IN = -1_987_654_321
_TEXT_STAND_IN = "⟦prepared value {}⟧"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # For each SQL parameter: the index of the call's value, or None for a constant.
    slots: tuple[int | None, ...]
    constants: tuple[Any, ...]
    converters: dict
    compiler: Any
    model: type[Model] | None
    attnames: tuple[str, ...]
    for_update: bool


class Prepared:
    """``build(*values)`` returns the queryset; ``kinds`` says for each value int or str."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        if not kinds or any(kind not in (int, str) for kind in kinds):
            raise PreparedQueryError("Each value is an int or a str.")
        self._build = build
        self._kinds = kinds
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        stand_ins = [
            _INT_STAND_IN - n if kind is int else _TEXT_STAND_IN.format(n)
            for n, kind in enumerate(self._kinds)
        ]
        queryset = self._build(*stand_ins)
        query = queryset.query
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
            raise PreparedQueryError("Rows of the model or a values_list, not flat or dicts.")
        if queryset._iterable_class is ModelIterable and (
            query.select_related or query.annotation_select or query.extra_select
        ):
            raise PreparedQueryError("Rows of a model come without related rows or annotations.")
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise PreparedQueryError(
                "The ORM finds the query empty with stand-in values."
            ) from None
        slots, constants = [], []
        for param in params:
            slot = next((n for n, s in enumerate(stand_ins) if param == s), None)
            slots.append(slot)
            constants.append(None if slot is not None else param)
        missing = set(range(len(stand_ins))) - {slot for slot in slots if slot is not None}
        if missing:
            raise PreparedQueryError(f"Values {sorted(missing)} do not reach the SQL as given.")
        columns = [column for column, _sql, _alias in compiler.select]
        model, attnames = None, ()
        if queryset._iterable_class is ModelIterable:
            model = queryset.model
            attnames = tuple(column.target.attname for column in columns)
        return _Compiled(
            sql=sql,
            slots=tuple(slots),
            constants=tuple(constants),
            converters=compiler.get_converters(columns),
            compiler=compiler,
            model=model,
            attnames=attnames,
            for_update=query.select_for_update
            and connections[using].features.has_select_for_update,
        )

    def rows(self, *values: Any, using: str = "default") -> list:
        """The model instances, or the tuples of a ``values_list``, for these values."""
        if len(values) != len(self._kinds):
            raise PreparedQueryError(f"Expected {len(self._kinds)} values, got {len(values)}.")
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        if compiled.for_update and connection.get_autocommit():
            # What the ORM says of select_for_update() outside a transaction.
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = [
            values[slot] if slot is not None else constant
            for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        if compiled.model is None:
            return [tuple(row) for row in rows]
        return [compiled.model.from_db(using, compiled.attnames, row) for row in rows]

    def first(self, *values: Any, using: str = "default") -> Any:
        rows = self.rows(*values, using=using)
        return rows[0] if rows else None
