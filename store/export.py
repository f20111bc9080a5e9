"""A project's full export (an AVG access request): everything stored, as JSON-ready data."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from store.engine import dumps
from store.retention import aggregates
from store.schema import SCHEMA_VERSION, audit, imports

if TYPE_CHECKING:
    from store.projects import Store


def export_project(store: Store, project_id: int, *, who: str = "") -> dict[str, Any]:
    """Everything stored about one project, as plain JSON-ready data (AVG request)."""
    project = store.get_project(project_id)
    project_id = project.id
    table = store.respondents(project_id)
    with store._read() as conn:
        import_rows = [dict(r._mapping) for r in conn.execute(
            sa.select(imports).where(imports.c.project_id == project_id).order_by(imports.c.id))]
        audit_rows = [dict(r._mapping) for r in conn.execute(
            sa.select(audit.c.at, audit.c.action, audit.c.actor, audit.c.detail)
            .where(audit.c.project_id == project_id).order_by(audit.c.id))]
    records = json.loads(table.to_json(orient="records", date_format="iso"))
    counts = aggregates(store, project_id)
    data = {
        "format": "bereikwijzer-projectexport",
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "project": project.to_dict(),
        "imports": json.loads(dumps(import_rows)),
        "respondents": records,
        "aggregates": json.loads(counts.to_json(orient="records", date_format="iso")),
        "effort": json.loads(store.effort(project_id).to_json(orient="records", date_format="iso")),
        "audit": json.loads(dumps(audit_rows)),
    }
    store.log_event(project_id, "export", who=who, respondents=len(records))
    return data

def export_project_json(store: Store, project_id: int, *, who: str = "") -> bytes:
    """export_project as UTF-8 JSON bytes, ready for a download button."""
    return json.dumps(export_project(store, project_id, who=who), ensure_ascii=False,
                      indent=1).encode("utf-8")
