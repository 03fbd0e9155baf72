"""Indexes whose columns are stored in the order the search reads them.

PostgreSQL's B-tree puts NULLs last ascending and first descending; the search's default
order is ``sent_at DESC NULLS LAST`` (not yet deposited last), so its index must say
``NULLS LAST`` for PostgreSQL to read it instead of sorting a whole étude. SQLite refuses
``NULLS FIRST/LAST`` in an index definition and needs none: its NULLs sort first ascending
and last descending. ``SortIndex`` writes the modifier on PostgreSQL only.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Statement
from django.db.models.expressions import OrderBy


def _sqlite_order(expression: Any) -> Any:
    """The same order without the NULLS modifier, where SQLite's default is that order."""
    if not isinstance(expression, OrderBy) or not (expression.nulls_first or expression.nulls_last):
        return expression
    default = expression.nulls_last if expression.descending else expression.nulls_first
    if not default:
        raise ValueError(f"SQLite cannot store {expression!r} in an index")
    return OrderBy(expression.expression, descending=expression.descending)


class SortIndex(models.Index):
    """An index of expressions, ``F("sent_at").desc(nulls_last=True)`` included."""

    def create_sql(
        self,
        model: type[models.Model],
        schema_editor: BaseDatabaseSchemaEditor,
        using: str = "",
        **kwargs: Any,
    ) -> Statement:
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using, **kwargs)
        portable = copy.copy(self)
        portable.expressions = tuple(_sqlite_order(e) for e in self.expressions)
        return models.Index.create_sql(portable, model, schema_editor, using, **kwargs)
